import Foundation

/// `sla diff`: which two states of an agreement to compare, by DESIGN.md's defaults.
extension SLARepository {
    public struct Comparison: Sendable {
        /// `vN` or `draft`.
        public let fromName: String
        public let toName: String
        public let from: Agreement
        public let to: Agreement
        public var diff: AgreementDiff { AgreementDiff(from: from, to: to) }
    }

    /// TO defaults to the draft if one is open, else the latest version. FROM defaults to the
    /// version in force at `today`, or the version before TO when none is in force or the one
    /// in force is TO itself. A faulted agreement has no version in force: `active` and the
    /// default FROM fail closed.
    public func comparison(
        _ id: String, from: VersionSelector?, to: VersionSelector?, today: LocalDate, in built: Ledger? = nil
    ) throws -> Comparison {
        let agreement = try self.agreement(id, in: try built ?? ledger())
        let toSelector = try to ?? (draftData(id) != nil ? .draft : .latest)
        let (toName, toAgreement) = try state(agreement, toSelector, today: today)
        let fromName: String
        let fromAgreement: Agreement
        if let from {
            (fromName, fromAgreement) = try state(agreement, from, today: today)
        } else if let inForce = try agreement.inForce(today: today), "v\(inForce.number)" != toName {
            (fromName, fromAgreement) = ("v\(inForce.number)", inForce.agreement)
        } else {
            // The version before TO: for the draft, the latest version.
            let before: Int?
            if toName == "draft" {
                before = agreement.latestVersion
            } else {
                let n = Int(toName.dropFirst()) ?? 0
                before = agreement.versionNumbers.last { $0 < n }
            }
            guard let before else {
                let hint =
                    if toName == "draft" {
                        "it is only a draft, with no version yet: read it with `sla show \(id) draft`, and propose it with `sla propose \(id)`"
                    } else if agreement.versionNumbers.count > 1 {
                        "name two versions, e.g. `sla diff \(id) v1 v2`"
                    } else {
                        "there is only one version: read it with `sla show \(id) \(toName)`, or open a revision (`sla revise \(id)`) and compare `sla diff \(id) \(toName) draft`"
                    }
                throw SLAError(
                    "\(id) \(toName) has nothing before it to compare with; \(hint)",
                    kind: .refused)
            }
            (fromName, fromAgreement) = ("v\(before)", try agreement.version(before).agreement)
        }
        return Comparison(fromName: fromName, toName: toName, from: fromAgreement, to: toAgreement)
    }

    private func state(_ agreement: AgreementLedger, _ selector: VersionSelector, today: LocalDate) throws -> (String, Agreement) {
        if selector == .draft {
            guard let data = try draftData(agreement.id) else {
                throw SLAError("agreement '\(agreement.id)' has no open draft", kind: .notFound)
            }
            return ("draft", try decodeAgreement(data, path: agreement.paths.draft, id: agreement.id).0)
        }
        let n = try agreement.select(selector, today: today)
        return ("v\(n)", try agreement.version(n).agreement)
    }
}
