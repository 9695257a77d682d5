import Foundation
import GitKit

/// One fold over the commit graph reachable from the checked commit (DESIGN.md, History):
/// every commit against each of its parents, parents before children, all agreements at once.
/// `verify`, `activate`, `sign`, `show active`, `diff`, `log` and `allowed-signers` read only this.
public final class Ledger {
    /// The checked commit; nil when the checked ref has no commit yet.
    public let commit: ObjectID?
    let state: LedgerState
    /// File events per agreement, parents before children.
    let events: LazyMap<[FileEvent]>
    let context: LedgerContext
    let git: Repository
    /// Commits checked by this run (0 when the cache answered).
    public let commitsChecked: Int
    public var signaturesVerified: Int { context.signaturesVerified }
    private let peels: TagPeels
    private let trustCache: Bool
    /// Every `sla/` tag by agreement id, once `prepareAllTags` has read them in one pass.
    private var allTags: TagRefs?

    init(
        commit: ObjectID?, state: LedgerState, events: LazyMap<[FileEvent]>, context: LedgerContext, git: Repository,
        commitsChecked: Int, trustCache: Bool
    ) {
        self.commit = commit
        self.state = state
        self.events = events
        self.context = context
        self.git = git
        self.commitsChecked = commitsChecked
        self.peels = TagPeels(gitDirectory: trustCache ? git.gitDirectory : nil)
        self.trustCache = trustCache
    }

    /// The number of the rules the cache was made under: a cache from other rules is ignored.
    static let rulesVersion = 7

    /// Folds the history reachable from `commit`. With `trustCache`, the state cached under
    /// `.git/` for that commit or an ancestor of it is the starting point, and only newer
    /// commits are checked; without, every commit and every signature is checked.
    /// - Parameter previous: a ledger this command built before (of an ancestor): its state is
    ///   the starting point and its memos are reused, so reading back one's own commit costs one
    ///   commit.
    static func build(git: Repository, commit: ObjectID?, trustCache: Bool, writeCache: Bool, previous: Ledger? = nil) throws -> Ledger {
        let context = previous?.context ?? LedgerContext(objects: git)
        if git.isShallow {
            throw SLAError(
                "this repository is a shallow clone, so its history cannot be checked; run `git fetch --unshallow` first", kind: .refused)
        }
        guard let commit else {
            return Ledger(
                commit: nil, state: LedgerState(), events: LazyMap(), context: context, git: git, commitsChecked: 0, trustCache: trustCache)
        }
        let cache = LedgerCache(directory: git.gitDirectory)
        var base: LedgerCache.Snapshot?
        if let previous, let start = previous.commit, (try? git.isDescendant(commit, of: start)) == true {
            base = LedgerCache.Snapshot(commit: start, state: previous.state, events: previous.events)
        } else if trustCache, let snapshot = cache.load(), (try? git.isDescendant(commit, of: snapshot.commit)) == true {
            base = snapshot
        }
        if let base, base.commit == commit {
            return Ledger(
                commit: commit, state: base.state, events: base.events, context: context, git: git, commitsChecked: 0,
                trustCache: trustCache)
        }
        guard
            let (state, events, count) = try fold(git: git, commit: commit, base: base, context: context)
                ?? fold(git: git, commit: commit, base: nil, context: context)
        else {
            throw SLAError("cannot read the history of commit \(commit.short): a parent commit is missing", kind: .fault)
        }
        if writeCache {
            cache.store(LedgerCache.Snapshot(commit: commit, state: state, events: events))
        }
        return Ledger(
            commit: commit, state: state, events: events, context: context, git: git, commitsChecked: count, trustCache: trustCache)
    }

    /// Nil when a commit's parent is neither in `base` nor walked (history joined from behind
    /// the cached commit): the caller then folds everything.
    private static func fold(
        git: Repository, commit: ObjectID, base: LedgerCache.Snapshot?,
        context: LedgerContext
    ) throws -> (LedgerState, LazyMap<[FileEvent]>, Int)? {
        let commits = try git.commitsParentsFirst(from: commit, hiding: base.map { [$0.commit] } ?? [])
        // However this ends, the warm-up's threads finish and the context lets go of its queue.
        defer { context.finishWarming() }
        if base == nil || commits.count > 32, let tip = commits.last {
            // Judging an entry needs its version decoded and its signatures checked, one at a
            // time in history order. Versions and signatures are frozen, so those of the tip are
            // those the history judged: check them on the other cores while this one folds the
            // graph (anything the tip no longer has is checked when met).
            try prefetch(tip, context: context)
        }
        guard let (state, events) = try walk(commits, base: base, check: CommitCheck(context: context)),
            var state = state[commit]
        else { return nil }
        context.finishWarming()
        for fault in try context.drainPending() {
            state.agreements[fault.agreement, default: AgreementState()].faults.merge([fault])
        }
        return (state, events, commits.count)
    }

    private static func prefetch(_ tip: GraphCommit, context: LedgerContext) throws {
        let objects = context.objects
        var items: [LedgerContext.Pending] = []
        guard let agreements = try objects.treeEntry(named: "agreements", in: tip.tree), agreements.kind == .tree else { return }
        for entry in try objects.treeEntries(agreements.id) where AgreementDecoder.isValidID(entry.name) {
            let files = try AgreementFiles.read(entry, reuse: nil, objects: objects)
            for (n, blob) in files.versions {
                items.append(.version(agreement: entry.name, number: n, blob: blob, commit: tip.id))
            }
            for (n, names) in files.signatures {
                let versions = files.versions.filter { $0.key <= n }
                for (name, blob) in names {
                    items.append(
                        .signature(.init(agreement: entry.name, number: n, name: name, blob: blob, versions: versions), commit: tip.id))
                }
            }
        }
        try context.warm(items)
    }

    /// One pass, parents first; nil when a commit's parent is neither walked nor the base.
    private static func walk(
        _ commits: [GraphCommit], base: LedgerCache.Snapshot?,
        check: CommitCheck
    ) throws -> ([ObjectID: LedgerState], LazyMap<[FileEvent]>)? {
        let target = commits.last?.id
        var states: [ObjectID: LedgerState] = [:]
        var events = base?.events ?? LazyMap()
        // New events gather in a plain dictionary (appended in place), and join the base's once:
        // appending through the lazy map would copy an agreement's whole list every commit.
        var added: [String: [FileEvent]] = [:]
        if let base { states[base.commit] = base.state }
        // Keep a state only until its last child has been checked: memory follows the width of
        // the graph, not its length.
        var waiting: [ObjectID: Int] = [:]
        for c in commits { for p in c.parents { waiting[p, default: 0] += 1 } }
        for c in commits {
            var parents: [LedgerState] = []
            for p in c.parents {
                guard let state = states[p] else { return nil }
                parents.append(state)
            }
            for p in c.parents {
                waiting[p]! -= 1
                // Its last child: the state is handed over, not copied.
                if waiting[p] == 0, p != target { states[p] = nil }
            }
            let (state, new) = try check.run(c, parents: consume parents)
            for (id, list) in new { added[id, default: []].append(contentsOf: list) }
            states[c.id] = state
        }
        for (id, list) in added { events[id] = (events[id] ?? []) + list }
        return (states, events)
    }

    /// Every agreement that ever existed in the checked history, and every id a reachable
    /// version tag names.
    public func agreementIDs() throws -> [String] {
        var ids = Set(state.agreements.keys)
        if commit != nil { ids.formUnion(try prepareAllTags().ids) }
        return ids.sorted()
    }

    /// Reads every `sla/ID/…` tag in one pass, for commands about all agreements (one pass over
    /// the refs instead of one per agreement).
    @discardableResult
    func prepareAllTags() throws -> TagRefs {
        if let allTags { return allTags }
        let found = try TagRefs(in: git, remember: trustCache)
        allTags = found
        return found
    }

    /// Remembers the tags read and peeled so far, and the verdicts on them, for the next command
    /// (see `TagRefs`, `TagPeels`).
    public func storeTagPeels() {
        peels.store()
        allTags?.store()
    }

    /// The agreement as the checked history has it, with its tags judged (rule 5); nil when it
    /// never existed and no tag names it.
    public func agreement(_ id: String) throws -> AgreementLedger? {
        let tagFaults = try self.tagFaults(id)
        if allTags == nil { peels.store() }
        guard state.agreements[id] != nil || !tagFaults.isEmpty else { return nil }
        return AgreementLedger(id: id, state: state.agreements[id] ?? AgreementState(), tagFaults: tagFaults, ledger: self)
    }

    /// Rule 5: a tag `sla/ID/vN` on a commit reachable from the checked one must name the bytes
    /// of `versions/vN.yaml` the checked commit has.
    private func tagFaults(_ id: String) throws -> [Fault] {
        guard let commit else { return [] }
        let paths = AgreementPaths(id)
        let agreement = state.agreements[id]
        let versions = agreement?.files.versions ?? [:]
        let prefixLength = "sla/\(id)/".count
        // The same tags found clean at this very commit before: nothing to read again.
        if let allTags, allTags.isClean(id, at: commit) { return [] }
        var faults: [Fault] = []
        for (name, object) in try allTags?.tags(id) ?? git.tagObjects(prefix: "sla/\(id)/") {
            let tag = (name: name, target: try peels.target(of: object, in: git))
            let n = VersionSelector.versionNumber(String(tag.name.dropFirst(prefixLength)))
            // Where the tag names the commit that added the version's bytes, they are the same
            // bytes (no tree to read); any other commit is read.
            if let n, versions[n] != nil, agreement?.versionCommits[n] == tag.target { continue }
            let ref = "refs/tags/\(tag.name)"
            let tagged = n.flatMap { try? git.fileID(at: paths.version($0), inCommit: tag.target) }
            if let n, let tagged, tagged == versions[n] { continue }
            // A name that is not `sla/ID/vN` names no version, so no rule applies to it (the
            // server hook refuses such tags); only version tags are checked.
            guard let n, (try? git.isDescendant(commit, of: tag.target)) == true else { continue }
            let message: String
            if tagged == nil {
                message = "tags commit \(tag.target.short), which has no \(paths.version(n))"
            } else if versions[n] == nil {
                message = "tags v\(n), but the checked commit has no \(paths.version(n))"
            } else {
                message = "tags other bytes of \(paths.version(n)) than the checked commit has"
            }
            faults.append(Fault(agreement: id, rule: .tag, path: ref, commit: nil, message: message))
        }
        if faults.isEmpty { allTags?.markClean(id, at: commit) }
        return faults
    }
}

/// One agreement as the ledger sees it at the checked commit.
public final class AgreementLedger {
    public let id: String
    public let paths: AgreementPaths
    public let state: AgreementState
    /// Every fault, the history's and the tags'.
    public let faults: [Fault]
    let ledger: Ledger

    init(id: String, state: AgreementState, tagFaults: [Fault], ledger: Ledger) {
        self.id = id
        self.paths = AgreementPaths(id)
        self.state = state
        var faults = state.faults
        faults.merge(tagFaults)
        self.faults = faults
        self.ledger = ledger
    }

    /// An agreement that exists only as a draft in the work tree: no history yet.
    static func draftOnly(_ id: String, in ledger: Ledger) -> AgreementLedger {
        AgreementLedger(id: id, state: AgreementState(), tagFaults: [], ledger: ledger)
    }

    public var isFaulted: Bool { !faults.isEmpty }
    public var versionNumbers: [Int] { state.files.versions.keys.sorted() }
    public var latestVersion: Int? { state.files.versions.keys.max() }
    public var entries: EntryList { state.entries }
    /// The entries that count, in order (reading every entry: `countedFromEnd` reads only the
    /// last ones).
    public var counted: [EntryVerdict] { state.entries.filter(\.counts) }
    /// The entries that count, last first, read lazily.
    public var countedFromEnd: some Sequence<EntryVerdict> { state.entries.reversed().lazy.filter(\.counts) }

    /// Thrown wherever the agreement must fail closed.
    public var faultError: SLAError {
        let first = faults[0]
        let more = faults.count > 1 ? " (and \(faults.count - 1) more fault\(faults.count == 2 ? "" : "s"))" : ""
        return SLAError(
            "agreement '\(id)' is faulted, so nothing of it is in force: \(first)\(more). "
                + "Only restoring the history (resetting the branch to before that commit) cures it; `sla verify \(id)` lists every fault",
            kind: .fault)
    }

    /// Throws `faultError` when the agreement is faulted.
    public func requireNoFault() throws {
        if isFaulted { throw faultError }
    }

    /// Version N as committed; throws when there is none or it does not validate.
    public func version(_ n: Int) throws -> VersionRecord {
        guard let blob = state.files.versions[n] else {
            throw SLAError("agreement '\(id)' has no version v\(n)", kind: .notFound)
        }
        switch try ledger.context.version(id, n, blob: blob) {
        case .success(let record): return record
        case .failure(let problem):
            throw SLAError("\(paths.version(n)) is not a valid agreement", kind: .fault, diagnostics: problem.diagnostics)
        }
    }

    /// The version in force at `today`: that of the last entry that counts whose
    /// `effective_from` has come. Fails closed on a faulted agreement.
    public func inForce(today: LocalDate) throws -> VersionRecord? {
        try requireNoFault()
        for entry in countedFromEnd where try effectiveFrom(entry) <= today {
            return try version(entry.entry.version)
        }
        return nil
    }

    func effectiveFrom(_ entry: EntryVerdict) throws -> LocalDate {
        if let known = entry.effectiveFrom { return known }
        return try version(entry.entry.version).agreement.validity.effectiveFrom
    }

    /// A for vN: the version of the last entry that counted before vN's own entry, or, for a
    /// version without one, of the last entry that counts for a lower version. For a version
    /// newer than every activated one (the one `activate` would append) that is the last entry
    /// that counts; an older version never activated is judged as it stood before a newer one
    /// came into force (it can no longer be activated: no rollback).
    public func activatedBefore(_ n: Int) throws -> VersionRecord? {
        let counted = self.counted
        let before = counted.firstIndex { $0.entry.version == n }.map { counted[..<$0] } ?? counted.filter { $0.entry.version < n }[...]
        return try before.last.map { try version($0.entry.version) }
    }

    /// The approval rules for vN as committed, A as `activatedBefore`.
    public func approval(_ n: Int) throws -> ApprovalReport {
        try CommitCheck(context: ledger.context).approval(
            id, version: try version(n), files: state.files, activated: try activatedBefore(n))
    }

    /// Whether an entry for vN appended now would count; nil when it would, else why not.
    public func problemWithNewEntry(version n: Int, sha256: String, activatedAt: LocalDate, activatedBy: String) throws -> String? {
        let entry = ActivationEntry(version: n, sha256: sha256, activatedAt: activatedAt, activatedBy: activatedBy, line: 0)
        return try CommitCheck(context: ledger.context).judge(entry, id: id, files: state.files, before: state.entries)
    }

    /// The bytes of `activations.yaml` as committed.
    public func activationLogBytes() throws -> Data {
        try state.files.activations.map { try ledger.context.blob($0) } ?? Data()
    }

    /// The files the commits of the checked history added, changed or deleted, oldest first.
    public var fileEvents: [FileEvent] { ledger.events[id] ?? [] }
}
