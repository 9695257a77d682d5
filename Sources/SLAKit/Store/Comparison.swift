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
    /// in force is TO itself.
    public func comparison(_ id: String, from: VersionSelector?, to: VersionSelector?, today: LocalDate) throws -> Comparison {
        try requireAgreement(id)
        let ledger = try self.ledger(id)
        let toSelector = try to ?? (draftData(id) != nil ? .draft : .latest)
        let (toName, toAgreement) = try state(id, toSelector, ledger: ledger, today: today)
        let fromName: String
        let fromAgreement: Agreement
        if let from {
            (fromName, fromAgreement) = try state(id, from, ledger: ledger, today: today)
        } else if let inForce = try ledger.inForce(today: today), "v\(inForce.number)" != toName {
            (fromName, fromAgreement) = ("v\(inForce.number)", inForce.agreement)
        } else {
            // The version before TO: for the draft, the latest version.
            let before: Int?
            if toName == "draft" {
                before = ledger.latestVersion
            } else {
                let n = Int(toName.dropFirst()) ?? 0
                before = ledger.versionNumbers.last { $0 < n }
            }
            guard let before else {
                throw SLAError("\(id) \(toName) has nothing before it to compare with; name two versions, e.g. `sla diff \(id) v1 draft`")
            }
            (fromName, fromAgreement) = ("v\(before)", try ledger.version(before).agreement)
        }
        return Comparison(fromName: fromName, toName: toName, from: fromAgreement, to: toAgreement)
    }

    private func state(_ id: String, _ selector: VersionSelector, ledger: AgreementLedger, today: LocalDate) throws -> (String, Agreement) {
        switch selector {
        case .draft:
            guard let data = try draftData(id) else { throw SLAError("agreement '\(id)' has no open draft") }
            return ("draft", try decodeAgreement(data, path: AgreementPaths(id).draft, id: id).0)
        case .number(let n):
            return ("v\(n)", try ledger.version(n).agreement)
        case .latest:
            guard let n = ledger.latestVersion else { throw SLAError("agreement '\(id)' has no version yet; only a draft") }
            return ("v\(n)", try ledger.version(n).agreement)
        case .active:
            guard let version = try ledger.inForce(today: today) else {
                throw SLAError("no version of '\(id)' is in force on \(today.iso)")
            }
            return ("v\(version.number)", version.agreement)
        }
    }
}
