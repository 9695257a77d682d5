import Foundation
import GitKit

/// What one run of the ledger remembers: versions decoded by blob, signature files judged by
/// blob and the versions beside them, activation logs parsed by blob. Checks of new files are
/// queued while the graph is folded and run at the end on every core; an entry being judged
/// forces the ones it needs at once. Nothing here outlives the command.
final class LedgerContext: @unchecked Sendable {
    let objects: ObjectReader
    /// Guards `versions`, `signatures` and `signaturesVerified`, which the warm-up threads fill
    /// while the fold reads them. Git objects are read only on the caller's thread.
    private let memoLock = NSLock()
    private var warming: PhasedWork?
    /// Where the warm-up holds each memo key it will fill: asking for one of them does that item
    /// now or waits for the thread doing it, never the same work twice.
    private var warmSlots: [MemoKey: PhasedWork.Slot] = [:]
    private var blobs: [ObjectID: Data] = [:]
    private var versions: [MemoKey: Result<VersionRecord, VersionProblem>] = [:]
    private var signatures: [MemoKey: SignatureVerdict] = [:]
    private var logs: [ObjectID: ActivationLog] = [:]
    /// New files to check once the fold is done: each becomes a fault of its commit if invalid.
    private(set) var pending: [Pending] = []
    /// Signatures actually verified (for the report), not counting memo hits.
    private(set) var signaturesVerified = 0

    struct VersionProblem: Error, Sendable {
        let diagnostics: [Diagnostic]
        var summary: String { diagnostics.errors.map { "\($0.position): \($0.message)" }.joined(separator: "; ") }
    }

    enum Pending {
        case version(agreement: String, number: Int, blob: ObjectID, commit: ObjectID)
        case signature(SignatureCheck, commit: ObjectID)
    }

    /// One signature file and the versions it is judged against.
    struct SignatureCheck: Sendable {
        let agreement: String
        let number: Int
        let name: String
        let blob: ObjectID
        /// Blobs of the versions up to and including N.
        let versions: [Int: ObjectID]

        var path: String { "\(AgreementPaths(agreement).signatures(number))/\(name)" }
        var key: MemoKey { .signature(path: path, blob: blob, versions: versions) }
    }

    /// What a memo is keyed by: a version by agreement, number and blob; a signature file by
    /// path and blob and the versions it is judged against.
    enum MemoKey: Hashable, Sendable {
        case version(agreement: String, number: Int, blob: ObjectID)
        case signature(path: String, blob: ObjectID, versions: [Int: ObjectID])
    }

    init(objects: ObjectReader) {
        self.objects = objects
    }

    func enqueue(_ check: Pending) { pending.append(check) }

    func blob(_ id: ObjectID) throws -> Data {
        if let data = blobs[id] { return data }
        let data = try objects.blob(id)
        blobs[id] = data
        return data
    }

    func log(_ id: ObjectID?) throws -> ActivationLog {
        guard let id else { return ActivationLog(parsing: Data()) }
        if let log = logs[id] { return log }
        let log = ActivationLog(parsing: try blob(id))
        logs[id] = log
        return log
    }

    /// Version N of an agreement from its blob: decoded and validated once per run.
    func version(_ agreement: String, _ n: Int, blob: ObjectID) throws -> Result<VersionRecord, VersionProblem> {
        let key = Self.versionKey(agreement, n, blob)
        if let slot = warmSlots[key] { warming?.ensure(slot) }
        if let known = memoLock.withLock({ versions[key] }) { return known }
        let result = Self.decode(agreement, n, try self.blob(blob))
        memoLock.withLock { versions[key] = result }
        return result
    }

    private static func decode(_ agreement: String, _ n: Int, _ data: Data) -> Result<VersionRecord, VersionProblem> {
        let (decoded, diagnostics) = AgreementDecoder.decode(data, file: AgreementPaths(agreement).version(n), expectedID: agreement)
        guard let decoded else { return .failure(VersionProblem(diagnostics: diagnostics)) }
        return .success(VersionRecord(number: n, bytes: data, agreement: decoded))
    }

    /// The verdict on one signature file, judged now if it was not yet.
    func signature(_ check: SignatureCheck) throws -> SignatureVerdict {
        let key = check.key
        if let slot = warmSlots[key], let warming {
            // Its versions first: the warm-up judges signatures only after every version is decoded.
            for (n, blob) in check.versions {
                if let version = warmSlots[Self.versionKey(check.agreement, n, blob)] { warming.ensure(version) }
            }
            warming.ensure(slot)
        }
        if let known = memoLock.withLock({ signatures[key] }) { return known }
        let inputs = try inputs(check)
        let verdict = Self.judge(check, inputs)
        memoLock.withLock {
            signaturesVerified += 1
            signatures[key] = verdict
        }
        return verdict
    }

    private struct Inputs: Sendable {
        let data: Data
        let version: VersionRecord?
        let previousSHA256: String?
        let earlier: [VersionRecord]
    }

    private func inputs(_ check: SignatureCheck) throws -> Inputs {
        var records: [Int: VersionRecord] = [:]
        // Only a `PRINCIPAL.FPR.sig` file is judged against the versions below N.
        let needsEarlier = SignatureFileName(fileName: check.name)?.fingerprint != nil
        for (n, blob) in check.versions where n == check.number || needsEarlier {
            if let record = try? version(check.agreement, n, blob: blob).get() { records[n] = record }
        }
        let previous = try check.versions[check.number - 1].map { try blob($0).sha256Hex }
        // Signature bytes are read once each: not kept in the blob memo.
        return Inputs(
            data: try objects.blob(check.blob), version: records[check.number], previousSHA256: previous,
            earlier: records.keys.sorted().filter { $0 < check.number }.map { records[$0]! })
    }

    private static func judge(_ check: SignatureCheck, _ inputs: Inputs) -> SignatureVerdict {
        SignatureVerdict.judge(
            path: check.path, data: inputs.data, agreementID: check.agreement, version: inputs.version,
            number: check.number, previousSHA256: inputs.previousSHA256, earlier: inputs.earlier)
    }

    /// Starts checking these files on other threads while the caller folds the graph: their
    /// bytes are read here, decoding and verifying run on every core, and the answers land in
    /// the memos (asking for one of them meanwhile does it, or waits for that one). The versions
    /// are decoded while the signature files are still being read.
    func warm(_ items: [Pending]) throws {
        var batch = Batch()
        var seen: Set<MemoKey> = []
        try gatherVersions(items, into: &batch, seen: &seen)
        warmSlots = [:]
        for (index, item) in batch.versions.enumerated() { warmSlots[item.key] = PhasedWork.Slot(phase: 0, index: index) }
        let work = PhasedWork([(batch.versions.count, decode(batch))], open: true)
        // Sealed however this ends: threads waiting for more work must not wait for ever.
        defer { work.seal() }
        warming = work
        work.start()
        try gatherSignatures(items, into: &batch, seen: &seen)
        for (index, item) in batch.signatures.enumerated() { warmSlots[item.check.key] = PhasedWork.Slot(phase: 1, index: index) }
        work.append(batch.signatures.count, judge(batch))
    }

    /// Helps `warm` finish, then returns: a caller that must wait works meanwhile.
    func finishWarming() {
        warming?.run()
        warming = nil
        warmSlots = [:]
    }

    /// Runs every queued check (signatures on every core) and returns the faults they find.
    func drainPending() throws -> [Fault] {
        let queue = pending
        pending = []
        try resolve(queue)
        var faults: [Fault] = []
        for item in queue {
            guard case .version(let agreement, let n, let blob, let commit) = item else { continue }
            if case .failure(let problem) = try version(agreement, n, blob: blob) {
                faults.append(
                    Fault(
                        agreement: agreement, rule: .invalidFile, path: AgreementPaths(agreement).version(n), commit: commit,
                        message: "a new version does not validate: \(problem.summary)"))
            }
        }
        for item in queue {
            guard case .signature(let check, let commit) = item else { continue }
            if let verdict = memoLock.withLock({ signatures[check.key] }), let problem = verdict.problem {
                faults.append(
                    Fault(
                        agreement: check.agreement, rule: .invalidFile, path: check.path, commit: commit,
                        message: "a signature file that is not valid for its name: it \(problem)"))
            }
        }
        return faults
    }

    /// Decodes the queued versions and judges the queued signature files, on every core.
    private func resolve(_ queue: [Pending]) throws {
        let work = compute(try gather(queue))
        work.start()
        work.run()
    }

    /// What a batch of checks needs, read from git on the caller's thread (git handles stay
    /// there), so that `compute` is pure work for any thread.
    private struct Batch: Sendable {
        /// Versions not yet decoded.
        var versions: [(key: MemoKey, agreement: String, number: Int, data: Data)] = []
        /// SHA-256 of every version a signature is judged against, by version key.
        var sha256: [MemoKey: String] = [:]
        /// Signature files not yet judged, with their bytes.
        var signatures: [(check: SignatureCheck, data: Data)] = []
    }

    private static func versionKey(_ agreement: String, _ n: Int, _ blob: ObjectID) -> MemoKey {
        .version(agreement: agreement, number: n, blob: blob)
    }

    private func gather(_ queue: [Pending]) throws -> Batch {
        var batch = Batch()
        var seen: Set<MemoKey> = []
        try gatherVersions(queue, into: &batch, seen: &seen)
        try gatherSignatures(queue, into: &batch, seen: &seen)
        return batch
    }

    /// The versions the queue needs, and those its signature files are judged against.
    private func gatherVersions(_ queue: [Pending], into batch: inout Batch, seen: inout Set<MemoKey>) throws {
        func want(_ agreement: String, _ n: Int, _ blob: ObjectID) throws {
            let key = Self.versionKey(agreement, n, blob)
            guard seen.insert(key).inserted else { return }
            let data = try self.blob(blob)
            batch.sha256[key] = data.sha256Hex
            if memoLock.withLock({ versions[key] == nil }) { batch.versions.append((key, agreement, n, data)) }
        }
        for item in queue {
            switch item {
            case .version(let agreement, let n, let blob, _):
                try want(agreement, n, blob)
            case .signature(let check, _):
                for (n, blob) in check.versions { try want(check.agreement, n, blob) }
            }
        }
    }

    /// The signature files of the queue not judged yet, with their bytes.
    private func gatherSignatures(_ queue: [Pending], into batch: inout Batch, seen: inout Set<MemoKey>) throws {
        for case .signature(let check, _) in queue {
            let key = check.key
            guard memoLock.withLock({ signatures[key] == nil }), seen.insert(key).inserted else { continue }
            // Signature bytes are read once each: not kept in the blob memo.
            batch.signatures.append((check, try objects.blob(check.blob)))
        }
    }

    /// Versions first (signatures are judged against them), then signatures: the work, for every
    /// thread that runs it.
    private func compute(_ batch: Batch) -> PhasedWork {
        PhasedWork([(batch.versions.count, decode(batch)), (batch.signatures.count, judge(batch))])
    }

    /// Decodes the batch's version at an index into the memo.
    private func decode(_ batch: Batch) -> PhasedWork.Body {
        { [self] index in
            let item = batch.versions[index]
            let result = Self.decode(item.agreement, item.number, item.data)
            memoLock.withLock { versions[item.key] = result }
        }
    }

    /// Judges the batch's signature file at an index into the memo (its versions decoded before).
    private func judge(_ batch: Batch) -> PhasedWork.Body {
        { [self] index in
            let (check, data) = batch.signatures[index]
            var records: [Int: VersionRecord] = [:]
            for (n, blob) in check.versions {
                if case .success(let record)? = memoLock.withLock({ versions[Self.versionKey(check.agreement, n, blob)] }) {
                    records[n] = record
                }
            }
            let previous = check.versions[check.number - 1].flatMap { batch.sha256[Self.versionKey(check.agreement, check.number - 1, $0)] }
            let verdict = Self.judge(
                check,
                Inputs(
                    data: data, version: records[check.number], previousSHA256: previous,
                    earlier: records.keys.sorted().filter { $0 < check.number }.map { records[$0]! }))
            memoLock.withLock {
                if signatures[check.key] == nil {
                    signatures[check.key] = verdict
                    signaturesVerified += 1
                }
            }
        }
    }
}

/// Work in phases of numbered items, done by whichever threads run it: each takes the next item
/// until a phase has none left, and a phase begins only when every item of the one before is
/// done. `run` returns when all is done, so a thread that must wait for the results works
/// meanwhile instead (dispatch's `concurrentPerform` sizes itself once, when it starts: with the
/// folding thread busy at that moment it used one core for the whole batch). A thread that needs
/// one item now (`ensure`) does it itself, or waits for that item only. Work made `open` can
/// start before its later phases are known: `append` adds them, `seal` says there are no more.
final class PhasedWork: @unchecked Sendable {
    struct Slot: Sendable {
        let phase: Int
        let index: Int
    }

    typealias Body = @Sendable (Int) -> Void
    private enum State { case pending, taken, done }

    private let condition = NSCondition()
    private var phases: [(count: Int, body: Body)]
    private var states: [[State]]
    private var cursors: [Int]
    private var finished: [Int]
    private var phase = 0
    private var sealed: Bool

    init(_ phases: [(count: Int, body: Body)], open: Bool = false) {
        self.phases = phases
        states = phases.map { Array(repeating: .pending, count: $0.count) }
        cursors = Array(repeating: 0, count: phases.count)
        finished = Array(repeating: 0, count: phases.count)
        sealed = !open
        advance()
    }

    /// Adds a phase after the ones known so far (open work only); returns its number.
    @discardableResult
    func append(_ count: Int, _ body: @escaping Body) -> Int {
        condition.lock()
        defer { condition.unlock() }
        precondition(!sealed, "PhasedWork: a phase appended after seal()")
        phases.append((count, body))
        states.append(Array(repeating: .pending, count: count))
        cursors.append(0)
        finished.append(0)
        advance()
        condition.broadcast()
        return phases.count - 1
    }

    /// No phase will be appended: `run` returns once the known ones are done.
    func seal() {
        condition.lock()
        sealed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Starts threads that run the work beside the caller's, one per other core, and none for a
    /// batch of one item or none (the caller does that one): reading back one commit's new
    /// files starts no thread. Open work may grow, so it starts them all.
    func start(helpers: Int = ProcessInfo.processInfo.activeProcessorCount - 1) {
        condition.lock()
        let items = sealed ? phases.reduce(0) { $0 + $1.count } : Int.max
        condition.unlock()
        for _ in 0..<max(0, min(helpers, items - 1)) {
            Thread { [self] in run() }.start()
        }
    }

    /// Works until everything is done (for open work: until it is sealed and done).
    func run() {
        condition.lock()
        defer { condition.unlock() }
        while phase < phases.count || !sealed {
            guard phase < phases.count else {
                condition.wait()  // every known phase is done; more may be appended
                continue
            }
            let current = phase
            while cursors[current] < states[current].count, states[current][cursors[current]] != .pending { cursors[current] += 1 }
            if cursors[current] < states[current].count {
                perform(Slot(phase: current, index: cursors[current]))
            } else {
                condition.wait()  // the last items of this phase are still being worked on
            }
        }
    }

    /// The item done when this returns: done now on this thread, or waited for.
    func ensure(_ slot: Slot) {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch states[slot.phase][slot.index] {
            case .pending:
                perform(slot)
                return
            case .taken: condition.wait()
            case .done: return
            }
        }
    }

    /// Called and returns with the lock held.
    private func perform(_ slot: Slot) {
        states[slot.phase][slot.index] = .taken
        let body = phases[slot.phase].body
        condition.unlock()
        body(slot.index)
        condition.lock()
        states[slot.phase][slot.index] = .done
        finished[slot.phase] += 1
        advance()
        condition.broadcast()
    }

    private func advance() {
        while phase < phases.count, finished[phase] == phases[phase].count { phase += 1 }
    }
}
