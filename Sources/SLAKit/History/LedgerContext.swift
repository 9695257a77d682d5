import Foundation
import GitKit

/// What one run of the ledger remembers: versions decoded by blob, signature files judged by
/// blob and the versions beside them, activation logs parsed by blob. Checks of new files are
/// queued while the graph is folded and run at the end on every core; an entry being judged
/// forces the ones it needs at once. Nothing here outlives the command.
final class LedgerContext: @unchecked Sendable {
    let objects: ObjectReader
    /// Guards `versions`, `versionSHA256`, `signatures` and `signaturesVerified`, which the
    /// warm-up threads fill while the fold reads them. Git objects are read only on the caller's
    /// thread.
    private let memoLock = NSLock()
    private var warming: WorkQueue?
    /// Where the warm-up holds each memo key it will fill: asking for one of them does that item
    /// now or waits for the thread doing it (working on others meanwhile), never the same work
    /// twice.
    private var warmSlots: [MemoKey: WorkQueue.Slot] = [:]
    private var blobs: [ObjectID: Data] = [:]
    private var versions: [MemoKey: Result<VersionRecord, VersionProblem>] = [:]
    /// SHA-256 of every version in `versions`, valid or not (a signature names its `previous` by it).
    private var versionSHA256: [MemoKey: String] = [:]
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
        /// Only a `PRINCIPAL.FPR.sig` file is judged against the versions below N.
        var judgedVersions: [(number: Int, blob: ObjectID)] {
            let needsEarlier = SignatureFileName(fileName: name)?.fingerprint != nil
            return versions.filter { $0.key == number || needsEarlier }.map { ($0.key, $0.value) }
        }
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
        if let slot = warmSlots[key] { warming?.ensure(slot, helping: true) }
        if let known = memoLock.withLock({ versions[key] }) { return known }
        let data = try self.blob(blob)
        let sha256 = data.sha256Hex
        let result = Self.decode(agreement, n, data, sha256: sha256)
        memoLock.withLock {
            versions[key] = result
            versionSHA256[key] = sha256
        }
        return result
    }

    private static func decode(_ agreement: String, _ n: Int, _ data: Data, sha256: String) -> Result<VersionRecord, VersionProblem> {
        let (decoded, diagnostics) = AgreementDecoder.decode(data, file: AgreementPaths(agreement).version(n), expectedID: agreement)
        guard let decoded else { return .failure(VersionProblem(diagnostics: diagnostics)) }
        return .success(VersionRecord(number: n, bytes: data, sha256: sha256, agreement: decoded))
    }

    /// The verdict on one signature file, judged now if it was not yet.
    func signature(_ check: SignatureCheck) throws -> SignatureVerdict {
        let key = check.key
        if let slot = warmSlots[key] { warming?.ensure(slot, helping: true) }
        if let known = memoLock.withLock({ signatures[key] }) { return known }
        for (n, blob) in check.judgedVersions { _ = try version(check.agreement, n, blob: blob) }
        let previous = try check.versions[check.number - 1].map { blob in
            _ = try version(check.agreement, check.number - 1, blob: blob)
            return memoLock.withLock { versionSHA256[Self.versionKey(check.agreement, check.number - 1, blob)] }
        }
        // Signature bytes are read once each: not kept in the blob memo.
        let verdict = judge(check, data: try objects.blob(check.blob), previousSHA256: previous ?? nil)
        memoLock.withLock {
            signaturesVerified += 1
            signatures[key] = verdict
        }
        return verdict
    }

    /// Judges a signature file whose versions are in the memo (decoded, or found invalid).
    private func judge(_ check: SignatureCheck, data: Data, previousSHA256: String?) -> SignatureVerdict {
        var records: [Int: VersionRecord] = [:]
        memoLock.withLock {
            for (n, blob) in check.judgedVersions {
                if case .success(let record)? = versions[Self.versionKey(check.agreement, n, blob)] { records[n] = record }
            }
        }
        return SignatureVerdict.judge(
            path: check.path, data: data, agreementID: check.agreement, version: records[check.number], number: check.number,
            previousSHA256: previousSHA256, earlier: records.keys.sorted().filter { $0 < check.number }.map { records[$0]! })
    }

    /// Starts checking these files on other threads while the caller folds the graph: their
    /// bytes are read here, decoding and verifying run on every core, and the answers land in
    /// the memos (asking for one of them meanwhile does it, or waits for that one while doing
    /// others). The work is handed over in rounds of one version number each, the versions before
    /// the files that sign them, as a history grows: the other threads start on the first round
    /// while the later ones are still being read, and stay ahead of a fold that meets the files
    /// in the same order.
    func warm(_ items: [Pending]) throws {
        let work = WorkQueue(open: true)
        // Sealed however this ends: threads waiting for more work must not wait for ever.
        defer { work.seal() }
        warming = work
        warmSlots = [:]
        var seen: Set<MemoKey> = []
        // Small chunks, so that the other threads start after a few files are read, not a round.
        for round in Self.rounds(items) {
            for start in stride(from: 0, to: round.count, by: 64) {
                try hand(Array(round[start..<min(start + 64, round.count)]), to: work, seen: &seen)
            }
        }
    }

    /// Reads what these checks need and appends them to the warm-up as one chunk (the first
    /// starts the other threads).
    private func hand(_ checks: [Pending], to work: WorkQueue, seen: inout Set<MemoKey>) throws {
        // Slots join `warmSlots` only once their chunk exists: a read that fails midway leaves
        // no slot pointing at a chunk that was never appended.
        var slots = warmSlots
        let chunk = try workItems(checks, chunk: work.chunkCount, slots: &slots, seen: &seen)
        guard !chunk.isEmpty else { return }
        let first = work.chunkCount == 0
        work.append(chunk.count, body(chunk, in: work))
        warmSlots = slots
        if first { work.start() }
    }

    /// The items by version number, each agreement's version before its signature files.
    private static func rounds(_ items: [Pending]) -> [[Pending]] {
        var byNumber: [Int: [Pending]] = [:]
        for item in items {
            switch item {
            case .version(_, let n, _, _): byNumber[n, default: []].append(item)
            case .signature(let check, _): byNumber[check.number, default: []].append(item)
            }
        }
        return byNumber.keys.sorted().map { byNumber[$0]! }
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
        var slots: [MemoKey: WorkQueue.Slot] = [:]
        var seen: Set<MemoKey> = []
        let work = WorkQueue()
        let items = try workItems(queue, chunk: 0, slots: &slots, seen: &seen)
        work.append(items.count, body(items, in: work))
        work.seal()
        work.start()
        work.run()
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
            // Every queued file was judged above; one that was not fails closed.
            let verdict = memoLock.withLock { signatures[check.key] }
            let problem = verdict == nil ? "was not judged (an internal error; please report it)" : verdict?.problem
            if let problem {
                faults.append(
                    Fault(
                        agreement: check.agreement, rule: .invalidFile, path: check.path, commit: commit,
                        message: "a signature file that is not valid for its name: it \(problem)"))
            }
        }
        return faults
    }

    /// One piece of checking work, with what it needs read from git on the caller's thread (git
    /// handles stay there), so that running it is pure work for any thread.
    private enum WorkItem: Sendable {
        case version(key: MemoKey, agreement: String, number: Int, data: Data)
        /// `needs`: the work items of the versions it is judged against and of v(N-1), done
        /// first; `previous`: v(N-1)'s key, whose SHA-256 the file must name.
        case signature(check: SignatureCheck, data: Data, previous: MemoKey?, needs: [WorkQueue.Slot])
    }

    private static func versionKey(_ agreement: String, _ n: Int, _ blob: ObjectID) -> MemoKey {
        .version(agreement: agreement, number: n, blob: blob)
    }

    /// The work these checks need that is neither in the memos nor already given out (`seen`):
    /// each version a signature file is judged against comes before the file, here or in an
    /// earlier chunk (`slots`).
    private func workItems(
        _ checks: [Pending], chunk: Int, slots: inout [MemoKey: WorkQueue.Slot], seen: inout Set<MemoKey>
    ) throws -> [WorkItem] {
        var items: [WorkItem] = []
        func add(_ item: WorkItem, _ key: MemoKey) {
            slots[key] = WorkQueue.Slot(chunk: chunk, index: items.count)
            items.append(item)
        }
        /// The version's work item, added now if it is neither known nor given out.
        func want(_ agreement: String, _ n: Int, _ blob: ObjectID) throws -> WorkQueue.Slot? {
            let key = Self.versionKey(agreement, n, blob)
            if seen.insert(key).inserted, memoLock.withLock({ versions[key] == nil }) {
                add(.version(key: key, agreement: agreement, number: n, data: try self.blob(blob)), key)
            }
            return slots[key]
        }
        for check in checks {
            switch check {
            case .version(let agreement, let n, let blob, _):
                _ = try want(agreement, n, blob)
            case .signature(let check, _):
                let key = check.key
                guard !seen.contains(key), memoLock.withLock({ signatures[key] == nil }) else { continue }
                var needs: [WorkQueue.Slot] = []
                for (n, blob) in check.judgedVersions {
                    if let slot = try want(check.agreement, n, blob) { needs.append(slot) }
                }
                let previous = check.versions[check.number - 1].map { Self.versionKey(check.agreement, check.number - 1, $0) }
                if let blob = check.versions[check.number - 1], let slot = try want(check.agreement, check.number - 1, blob) {
                    needs.append(slot)
                }
                seen.insert(key)
                // Signature bytes are read once each: not kept in the blob memo.
                add(.signature(check: check, data: try objects.blob(check.blob), previous: previous, needs: needs), key)
            }
        }
        return items
    }

    /// Does the item at an index into the memos, for every thread that runs it.
    private func body(_ items: [WorkItem], in work: WorkQueue) -> WorkQueue.Body {
        { [self, unowned work] index in
            switch items[index] {
            case .version(let key, let agreement, let n, let data):
                let sha256 = data.sha256Hex
                let result = Self.decode(agreement, n, data, sha256: sha256)
                memoLock.withLock {
                    versions[key] = result
                    versionSHA256[key] = sha256
                }
            case .signature(let check, let data, let previous, let needs):
                for slot in needs { work.ensure(slot) }
                let previousSHA256 = previous.flatMap { key in memoLock.withLock { versionSHA256[key] } }
                // v(N-1) is always hashed by now; were it not, nil would read as "no previous
                // version", so the file fails closed instead.
                let verdict =
                    previous != nil && previousSHA256 == nil
                    ? SignatureVerdict(
                        path: check.path, fileName: check.name, name: SignatureFileName(fileName: check.name), file: nil,
                        problem: "could not be compared with v\(check.number - 1) (an internal error; please report it)")
                    : judge(check, data: data, previousSHA256: previousSHA256)
                memoLock.withLock {
                    if signatures[check.key] == nil {
                        signatures[check.key] = verdict
                        signaturesVerified += 1
                    }
                }
            }
        }
    }
}

/// Work in chunks of numbered items, done by whichever threads run it: each takes the first
/// item no one has taken yet. `run` returns when all is done, so a thread that must wait for the
/// results works meanwhile instead (dispatch's `concurrentPerform` sizes itself once, when it
/// starts: with the folding thread busy at that moment it used one core for the whole batch). A
/// thread that needs one item now (`ensure`) does it itself, or waits for that item only; an
/// item's work may ensure items of its own chunk or earlier ones (a signature its versions).
/// Work made `open` can start before its later chunks are known: `append` adds them, `seal`
/// says there are no more.
final class WorkQueue: @unchecked Sendable {
    struct Slot: Sendable, Hashable {
        let chunk: Int
        let index: Int
    }

    typealias Body = @Sendable (Int) -> Void
    private enum State { case pending, taken, done }

    private let condition = NSCondition()
    private var bodies: [Body] = []
    private var states: [[State]] = []
    /// No item before this one is pending.
    private var cursor = Slot(chunk: 0, index: 0)
    /// Items appended and not done yet.
    private var unfinished = 0
    private var sealed: Bool

    init(open: Bool = false) {
        sealed = !open
    }

    /// The number of chunks appended so far: the next one's number.
    var chunkCount: Int { condition.withLock { states.count } }

    /// Adds a chunk of `count` items after the ones known so far; returns its number. Work that is
    /// not open takes chunks until it first runs.
    @discardableResult
    func append(_ count: Int, _ body: @escaping Body) -> Int {
        condition.lock()
        defer { condition.unlock() }
        bodies.append(body)
        states.append(Array(repeating: .pending, count: count))
        unfinished += count
        condition.broadcast()
        return states.count - 1
    }

    /// No chunk will be appended: `run` returns once the known ones are done.
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
        let items = condition.withLock { sealed ? unfinished : Int.max }
        for _ in 0..<max(0, min(helpers, items - 1)) {
            Thread { [self] in run() }.start()
        }
    }

    /// Works until everything is done (for open work: until it is sealed and done).
    func run() {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let next = nextPending() {
                perform(next)
            } else if sealed && unfinished == 0 {
                return
            } else {
                condition.wait()  // the last items are still being worked on, or more may come
            }
        }
    }

    /// The item done when this returns: done now on this thread, or waited for. `helping`: while
    /// another thread does it, take the next items meanwhile instead of waiting idle (only a
    /// thread outside the work's items, which then never waits for itself).
    func ensure(_ slot: Slot, helping: Bool = false) {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch states[slot.chunk][slot.index] {
            case .pending:
                perform(slot)
                return
            case .taken:
                if helping, let next = nextPending() {
                    perform(next)
                } else {
                    condition.wait()
                }
            case .done: return
            }
        }
    }

    /// The first item no one has taken. Called with the lock held.
    private func nextPending() -> Slot? {
        while cursor.chunk < states.count {
            if cursor.index >= states[cursor.chunk].count {
                cursor = Slot(chunk: cursor.chunk + 1, index: 0)
            } else if states[cursor.chunk][cursor.index] != .pending {
                cursor = Slot(chunk: cursor.chunk, index: cursor.index + 1)
            } else {
                return cursor
            }
        }
        return nil
    }

    /// Called and returns with the lock held.
    private func perform(_ slot: Slot) {
        states[slot.chunk][slot.index] = .taken
        let body = bodies[slot.chunk]
        condition.unlock()
        body(slot.index)
        condition.lock()
        states[slot.chunk][slot.index] = .done
        unfinished -= 1
        condition.broadcast()
    }
}
