import Foundation
import GitKit

/// Everything committed about one agreement at one commit: versions, signatures,
/// activations, and what the approval rules make of them. Reads lazily and caches, so a
/// command pays only for the versions it looks at.
public final class AgreementLedger {
    public let id: String
    public let paths: AgreementPaths
    let repository: SLARepository
    let commit: ObjectID?
    /// Blob ids of versions/vN.yaml.
    public let versionBlobs: [Int: ObjectID]
    private var records: [Int: Result<VersionRecord, SLAError>] = [:]
    private var verdicts: [ActivationVerdict]?
    /// Approvals by version and A, so no signature is verified twice in one command.
    private var approvals: [String: ApprovalReport] = [:]
    private var activationProblems: [Diagnostic] = []
    private var headActivationProblems: [Diagnostic] = []

    init(repository: SLARepository, id: String, commit: ObjectID?) throws {
        self.repository = repository
        self.id = id
        self.paths = AgreementPaths(id)
        self.commit = commit
        self.versionBlobs = try commit.map { try repository.versions(of: id, at: $0) } ?? [:]
    }

    public var versionNumbers: [Int] { versionBlobs.keys.sorted() }
    public var latestVersion: Int? { versionBlobs.keys.max() }

    /// Version N decoded; throws when it does not exist or does not validate.
    public func version(_ n: Int) throws -> VersionRecord {
        if let cached = records[n] { return try cached.get() }
        let result: Result<VersionRecord, SLAError>
        if let blob = versionBlobs[n] {
            do {
                let bytes = try repository.blob(blob)
                let (agreement, _) = try repository.decodeAgreement(bytes, path: paths.version(n), id: id)
                result = .success(VersionRecord(number: n, bytes: bytes, agreement: agreement))
            } catch let error as SLAError {
                result = .failure(error)
            } catch {
                result = .failure(SLAError("\(error)"))
            }
        } else {
            result = .failure(SLAError("agreement '\(id)' has no version v\(n)"))
        }
        records[n] = result
        return try result.get()
    }

    public func previousSHA256(of n: Int) throws -> String? {
        guard let blob = versionBlobs[n - 1] else { return nil }
        return try repository.blob(blob).sha256Hex
    }

    /// The files directly in signatures/vN/, by path (anything deeper is no signature; verify reports it).
    public func signatureFiles(_ n: Int) throws -> [String: Data] {
        guard let commit else { return [:] }
        let folder = paths.signatures(n) + "/"
        var files: [String: Data] = [:]
        for (path, blob) in try repository.files(under: paths.signatures(n), at: commit)
        where path.hasPrefix(folder) && !path.dropFirst(folder.count).contains("/") {
            files[path] = try repository.blob(blob)
        }
        return files
    }

    /// The approval rules for vN, with A as given (default: the rules' A for vN).
    public func approval(_ n: Int) throws -> ApprovalReport {
        try approval(n, activated: try previousActivated(for: n))
    }

    func approval(_ n: Int, activated: VersionRecord?) throws -> ApprovalReport {
        let key = "\(n)|\(activated?.number ?? 0)"
        if let cached = approvals[key] { return cached }
        let report = ApprovalReport(agreementID: id, version: try version(n), previousSHA256: try previousSHA256(of: n),
                                    signatures: try signatureFiles(n), activated: activated)
        approvals[key] = report
        return report
    }

    // MARK: Activations

    /// The entries of activations.yaml that were appended, never edited or removed since: the
    /// file's states along the first-parent history must each extend the one before. A state
    /// that rewrites earlier entries is a problem, and what it changed counts for nothing — so
    /// a hand-edited file cannot take away the activation that rule 3 relies on.
    public func activationRecords() throws -> (records: [(record: ActivationRecord, appendedIn: ObjectID)], problems: [Diagnostic], headProblems: [Diagnostic]) {
        guard let commit else { return ([], [], []) }
        var states: [(commit: ObjectID, blob: ObjectID?)] = []
        var cursor: ObjectID? = commit
        var last: ObjectID?? = .none
        while let id = cursor {
            let blob = try repository.fileID(paths.activations, at: id)
            if last == nil || last! != blob {
                states.append((id, blob))
            } else {
                // Walking back: the state belongs to the oldest commit that has it, the one that wrote it.
                states[states.count - 1].commit = id
            }
            last = .some(blob)
            cursor = try repository.firstParent(of: id)
        }
        var log: [(record: ActivationRecord, appendedIn: ObjectID)] = []
        var problems: [Diagnostic] = []
        var headProblems: [Diagnostic] = []
        for (index, state) in states.reversed().enumerated() {
            let isHead = index == states.count - 1
            let (records, fileProblems): ([ActivationRecord], [Diagnostic])
            if let blob = state.blob {
                (records, fileProblems) = ActivationsFile.parse(try repository.blob(blob), path: paths.activations)
            } else {
                (records, fileProblems) = ([], [])
            }
            let extends = records.count >= log.count && zip(log, records).allSatisfy { $0.record.sameEntry(as: $1) }
            if extends {
                log += records.dropFirst(log.count).map { ($0, state.commit) }
            } else {
                let problem = Diagnostic(.error, file: paths.activations, position: .start,
                                         message: "commit \(state.commit.short) edited or removed activation entries; the list is append-only, so its changes count for nothing")
                problems.append(problem)
                if isHead { headProblems.append(problem) }
            }
            if isHead {
                problems += fileProblems
                headProblems += fileProblems
            }
        }
        return (log, problems, headProblems)
    }

    /// Every entry of activations.yaml, judged in order.
    public func activationVerdicts() throws -> [ActivationVerdict] {
        if let verdicts { return verdicts }
        let (records, problems, headProblems) = try activationRecords()
        activationProblems = problems
        headActivationProblems = headProblems
        var result: [ActivationVerdict] = []
        var held: VersionRecord?
        var then: [ObjectID: AgreementLedger] = [:]
        for (record, appendedIn) in records {
            var problem: String?
            if let last = held, record.version <= last.number {
                problem = "activates v\(record.version) after v\(last.number): versions must increase (no rollback)"
            } else if versionBlobs[record.version] == nil {
                problem = "activates v\(record.version), which does not exist"
            } else if let version = try? version(record.version) {
                if version.sha256 != record.sha256 {
                    problem = "sha256 does not match the bytes of v\(record.version)"
                } else {
                    let report = try approval(record.version, activated: held)
                    problem = report.isApproved ? nil : "v\(record.version) is not approved: " + describeShortfalls(report)
                    // It must also have held when it was written: signatures that arrive later
                    // never turn an early (hand-written) entry into an activation.
                    if problem == nil, appendedIn != commit {
                        let past = try then[appendedIn] ?? AgreementLedger(repository: repository, id: id, commit: appendedIn)
                        then[appendedIn] = past
                        let pastReport = try? past.version(record.version).sha256 == record.sha256
                            ? past.approval(record.version, activated: held) : nil
                        if pastReport?.isApproved != true {
                            problem = "v\(record.version) was not approved when this entry was written (commit \(appendedIn.short)); an entry counts only if it held then"
                        }
                    }
                    if problem == nil { held = version }
                }
            } else {
                problem = "v\(record.version) does not validate"
            }
            result.append(ActivationVerdict(record: record, problem: problem))
        }
        verdicts = result
        return result
    }

    /// Problems with activations.yaml and its history (syntax, malformed entries, rewrites).
    public func activationFileProblems() throws -> [Diagnostic] {
        _ = try activationVerdicts()
        return activationProblems
    }

    /// The problems that leave part of the file as committed now uncounted: an entry appended
    /// to it might not count either.
    public func activationHeadProblems() throws -> [Diagnostic] {
        _ = try activationVerdicts()
        return headActivationProblems
    }

    /// The versions whose activation holds, in order.
    public func activatedVersions() throws -> [(record: ActivationRecord, version: VersionRecord)] {
        try activationVerdicts().filter(\.holds).map { ($0.record, try version($0.record.version)) }
    }

    /// A for vN: the latest version activated before it, or for one not activated, the latest activated now.
    public func previousActivated(for n: Int) throws -> VersionRecord? {
        let activated = try activatedVersions()
        if let index = activated.firstIndex(where: { $0.version.number == n }) {
            return index > 0 ? activated[index - 1].version : nil
        }
        return activated.last?.version
    }

    /// The latest activated version whose effective_from <= today.
    public func inForce(today: LocalDate) throws -> VersionRecord? {
        try activatedVersions().last { $0.version.agreement.validity.effectiveFrom <= today }?.version
    }
}

func describeShortfalls(_ report: ApprovalReport) -> String {
    report.shortfalls.map { s in
        let under = s.underVersion == report.version ? "" : " (as listed in v\(s.underVersion), the latest activated version)"
        return "\(s.partyName) has \(s.valid) of \(s.required) signature\(s.required == 1 ? "" : "s")\(under)"
    }.joined(separator: "; ")
}

extension SLARepository {
    /// The ledger of one agreement at HEAD (or at `commit`).
    public func ledger(_ id: String, at commit: ObjectID? = nil) throws -> AgreementLedger {
        try AgreementLedger(repository: self, id: id, commit: try commit ?? head())
    }
}
