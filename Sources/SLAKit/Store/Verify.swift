import Foundation
import GitKit

/// `sla verify`: the whole checked history, every fault at once.
public struct VerifyReport: Sendable, Encodable {
    /// The checked commit.
    public var commit: String
    public var agreements = 0
    public var versions = 0
    public var signatures = 0
    public var validSignatures = 0
    public var activations = 0
    public var countedActivations = 0
    /// Commits checked (each against each parent).
    public var commits = 0
    public var faults: [Fault] = []
    /// Names in the checked commit's `agreements/` that are not agreement ids, so no rule
    /// reads them (a folder `ACME-sales` beside `acme-sales` is not an agreement).
    public var ignored: [String] = []

    enum CodingKeys: String, CodingKey {
        case commit, agreements, versions, signatures, activations, commits, faults, ignored
        case validSignatures = "valid_signatures"
        case countedActivations = "counted_activations"
    }
}

extension SLARepository {
    /// Checks every commit reachable from HEAD (or `ref`) against each parent, every signature,
    /// every entry and every tag, without the cache.
    public func verify(_ only: String?, ref: String? = nil) throws -> VerifyReport {
        let ledger = try self.ledger(ref: ref, verify: true)
        let ids: [String]
        if let only {
            guard AgreementDecoder.isValidID(only) else { throw SLAError.invalidID(only) }
            guard try ledger.agreement(only) != nil else {
                throw SLAError("there is no agreement '\(only)' in the history of \(ledger.commit?.short ?? "HEAD")", kind: .notFound)
            }
            ids = [only]
        } else {
            ids = try ledger.agreementIDs()
        }
        var report = VerifyReport(commit: ledger.commit?.hex ?? "")
        report.commits = ledger.commitsChecked
        for id in ids {
            guard let agreement = try ledger.agreement(id) else { continue }
            report.agreements += 1
            report.versions += agreement.versionNumbers.count
            for (_, verdict) in try agreement.signatureVerdicts() {
                report.signatures += 1
                if verdict.isValid { report.validSignatures += 1 }
            }
            report.activations += agreement.entries.count
            report.countedActivations += agreement.counted.count
            report.faults += agreement.faults
        }
        if only == nil, let commit = ledger.commit, let tree = try wrap({ try git.treeID(at: "agreements", inCommit: commit) }) {
            report.ignored = try wrap { try git.treeEntries(tree) }.map(\.name).filter { !AgreementDecoder.isValidID($0) }
        }
        return report
    }
}

extension AgreementLedger {
    /// Every signature file at the checked commit, by the version it signs, judged valid for
    /// its name or not.
    public func signatureVerdicts() throws -> [(version: Int, verdict: SignatureVerdict)] {
        var result: [(Int, SignatureVerdict)] = []
        for n in state.files.signatures.keys.sorted() {
            let versions = state.files.versions.filter { $0.key <= n }
            for name in state.files.signatures[n]!.keys.sorted() {
                let check = LedgerContext.SignatureCheck(
                    agreement: id, number: n, name: name,
                    blob: state.files.signatures[n]![name]!, versions: versions)
                result.append((n, try ledger.context.signature(check)))
            }
        }
        return result
    }
}
