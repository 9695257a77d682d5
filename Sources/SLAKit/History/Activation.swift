import Foundation
import GitKit

// What counts as an activation: the one home of History rule 4's judgement. The commit check
// applies it to each entry where it is new; `activate` asks it before appending one.
extension CommitCheck {
    /// What counts as an activation (History rule 4): the entry's version is approved in this
    /// commit (A being the version of the last entry that counted before it), its sha256 matches,
    /// and it is higher than every entry that counted before it. Nil when it counts.
    func judge(_ entry: ActivationEntry, id: String, files: AgreementFiles, before: some Sequence<EntryVerdict>) throws -> String? {
        let counted = before.filter(\.counts)
        if let last = counted.map(\.entry.version).max(), entry.version <= last {
            return "it activates v\(entry.version) after v\(last): versions must increase (no rollback)"
        }
        guard let blob = files.versions[entry.version] else {
            return "v\(entry.version) does not exist in this commit"
        }
        guard case .success(let version) = try context.version(id, entry.version, blob: blob) else {
            return "v\(entry.version) does not validate"
        }
        guard version.sha256 == entry.sha256 else {
            return "its sha256 does not match the bytes of v\(entry.version)"
        }
        var activated: VersionRecord?
        if let a = counted.last?.entry.version {
            guard let aBlob = files.versions[a], case .success(let record) = try context.version(id, a, blob: aBlob) else {
                return "v\(a), the version in force before it, is missing or invalid in this commit"
            }
            activated = record
        }
        let report = try approval(id, version: version, files: files, activated: activated)
        return report.isApproved ? nil : "v\(entry.version) was not approved when the entry was written: \(report.summary)"
    }

    /// The approval rules for vN against the signature files of `files`.
    func approval(_ id: String, version: VersionRecord, files: AgreementFiles, activated: VersionRecord?) throws -> ApprovalReport {
        let n = version.number
        let versions = files.versions.filter { $0.key <= n }
        let verdicts = try (files.signatures[n] ?? [:]).keys.sorted().map { name in
            try context.signature(.init(agreement: id, number: n, name: name, blob: files.signatures[n]![name]!, versions: versions))
        }
        return ApprovalReport(agreementID: id, version: version, verdicts: verdicts, activated: activated)
    }
}
