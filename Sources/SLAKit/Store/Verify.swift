import Foundation
import GitKit

/// `sla verify`: the whole repository as committed, every fault at once.
public struct Fault: Sendable, Equatable, Encodable, CustomStringConvertible {
    public let agreement: String
    public let path: String
    public let commit: String?
    public let message: String

    public var description: String {
        (commit.map { "\(path) (commit \($0.prefix(7)))" } ?? path) + ": " + message
    }
}

public struct VerifyReport: Sendable, Encodable {
    public var agreements = 0
    public var versions = 0
    public var signatures = 0
    public var validSignatures = 0
    public var activations = 0
    public var faults: [Fault] = []

    enum CodingKeys: String, CodingKey {
        case agreements, versions, signatures, activations, faults
        case validSignatures = "valid_signatures"
    }
}

extension SLARepository {
    public func verify(_ only: String?) throws -> VerifyReport {
        var report = VerifyReport()
        let ids: [String]
        if let only {
            try requireAgreement(only)
            ids = [only]
        } else {
            ids = try agreementIDs()
        }
        guard let head = try head() else { return report }
        for id in ids {
            try verifyAgreement(id, head: head, into: &report)
        }
        return report
    }

    private func verifyAgreement(_ id: String, head: ObjectID, into report: inout VerifyReport) throws {
        report.agreements += 1
        let ledger = try self.ledger(id, at: head)
        let paths = ledger.paths
        func fault(_ path: String, _ message: String, commit: ObjectID? = nil) {
            report.faults.append(Fault(agreement: id, path: path, commit: commit?.hex, message: message))
        }

        // Versions validate.
        for n in ledger.versionNumbers {
            report.versions += 1
            do {
                _ = try ledger.version(n)
            } catch let error as SLAError {
                fault(paths.version(n), error.diagnostics.errors.map { "\($0.position): \($0.message)" }.joined(separator: "; "))
            }
        }
        // Stray files where only versions, signatures and the activations belong.
        for path in try files(under: paths.folder, at: head).keys.sorted() {
            let rest = path.dropFirst(paths.folder.count + 1).split(separator: "/").map(String.init)
            let known: Bool
            switch rest.count {
            case 1: known = rest[0] == "draft.yaml" || rest[0] == "activations.yaml"
            case 2: known = rest[0] == "versions" && rest[1].hasSuffix(".yaml") && VersionSelector.versionNumber(String(rest[1].dropLast(5))) != nil
            case 3: known = rest[0] == "signatures" && VersionSelector.versionNumber(rest[1]) != nil
            default: known = false
            }
            if !known { fault(path, "is not part of the agreement layout") }
        }
        // Every signature file is valid for its name.
        let signatureFolders = Set(try files(under: paths.signaturesFolder, at: head).keys.compactMap { path -> Int? in
            let parts = path.split(separator: "/")
            return parts.count == 5 ? VersionSelector.versionNumber(String(parts[3])) : nil
        })
        for n in signatureFolders.sorted() {
            guard ledger.versionBlobs[n] != nil, let approval = try? ledger.approval(n) else {
                for path in try ledger.signatureFiles(n).keys.sorted() {
                    report.signatures += 1
                    fault(path, "signs v\(n), which does not exist or does not validate")
                }
                continue
            }
            for verdict in approval.verdicts {
                report.signatures += 1
                if let problem = verdict.problem { fault(verdict.path, problem) } else { report.validSignatures += 1 }
            }
        }
        // Every activation holds.
        for problem in try ledger.activationFileProblems() {
            fault(problem.file, "\(problem.position): \(problem.message)")
        }
        for verdict in try ledger.activationVerdicts() {
            report.activations += 1
            if let problem = verdict.problem {
                fault(paths.activations, "entry at line \(verdict.record.position.line): \(problem)")
            }
        }
        // Tags name the version they tag.
        for tag in try wrap({ try git.tags(prefix: "sla/\(id)/") }) {
            let rest = tag.name.dropFirst("sla/\(id)/".count)
            guard let n = VersionSelector.versionNumber(String(rest)) else {
                fault("refs/tags/\(tag.name)", "is not a version tag sla/\(id)/vN")
                continue
            }
            let tagged = try wrap { try git.fileID(at: paths.version(n), inCommit: tag.target) }
            if tagged == nil {
                fault("refs/tags/\(tag.name)", "tags commit \(tag.target.short), which has no \(paths.version(n))")
            } else if tagged != ledger.versionBlobs[n] {
                fault("refs/tags/\(tag.name)", "tags a \(paths.version(n)) different from the one committed now")
            }
        }
        // History: frozen files never change.
        try verifyHistory(ledger, head: head, fault: fault)
    }

    private func verifyHistory(_ ledger: AgreementLedger, head: ObjectID, fault: (String, String, ObjectID?) -> Void) throws {
        let paths = ledger.paths
        var seen: Set<String> = []
        try wrap {
            try git.walk(from: head) { commit in
                // Most commits leave this agreement's folder alone: compare tree ids before diffing.
                let folder = try git.treeID(at: paths.folder, inCommit: commit.id)
                let parentFolder = try commit.parents.first.flatMap { try git.treeID(at: paths.folder, inCommit: $0) }
                if folder == parentFolder { return true }
                for change in try git.changes(from: commit.parents.first, to: commit.id, under: paths.folder) {
                    let rest = change.path.dropFirst(paths.folder.count + 1)
                    let key = "\(change.path)|\(change.oldID?.hex ?? "")|\(change.newID?.hex ?? "")"
                    guard change.kind != .added, seen.insert(key).inserted else { continue }
                    if rest.hasPrefix("versions/") {
                        fault(change.path, change.kind == .deleted ? "a proposed version was deleted" : "a proposed version was changed", commit.id)
                    } else if rest.hasPrefix("signatures/") {
                        if change.kind == .deleted {
                            fault(change.path, "a signature file was deleted", commit.id)
                        } else if try signatureReplacementIsAllowed(change, ledger) == false {
                            fault(change.path, "a valid signature file was changed (only an invalid one may be replaced)", commit.id)
                        }
                    }
                    // activations.yaml: the ledger checks its history (activationFileProblems).
                }
                return true
            }
        }
    }

    /// A signature file may be replaced only when the old one does not verify.
    private func signatureReplacementIsAllowed(_ change: TreeChange, _ ledger: AgreementLedger) throws -> Bool {
        guard let old = change.oldID else { return true }
        let parts = change.path.split(separator: "/")
        guard parts.count == 5, let n = VersionSelector.versionNumber(String(parts[3])),
              let version = try? ledger.version(n) else { return false }
        let report = ApprovalReport(agreementID: ledger.id, version: version, previousSHA256: try ledger.previousSHA256(of: n),
                                    signatures: [change.path: try blob(old)], activated: try ledger.previousActivated(for: n))
        return report.verdicts.first?.isValid == false
    }

}
