import Foundation
import GitKit

/// The check of one commit against each of its parents (DESIGN.md, History): given the commit
/// and its parents' ledger states, the commit's ledger state, with the faults it made. The fold
/// over the graph calls it for every commit; the server hook can call it for pushed commits only.
/// Checks of new files are queued on the context (`LedgerContext.drainPending`).
struct CommitCheck {
    let context: LedgerContext

    /// - Parameter parents: the parents' states; a caller that passes the only copy of a single
    ///   parent's state lets this commit's state take it over in place (no copy of the map of
    ///   every agreement per commit).
    func run(_ commit: GraphCommit, parents: consuming [LedgerState]) throws -> (state: LedgerState, events: [String: [FileEvent]]) {
        let objects = context.objects
        // A commit without parents is checked against the empty tree.
        var bases = consume parents
        if bases.isEmpty { bases = [LedgerState()] }
        let read = try CommitTrees.read(commit, parentTrees: bases.map(\.agreementsTree), objects: objects) { id in
            bases.lazy.compactMap { $0.agreements[id]?.files }.first
        }
        let tree = read.agreementsTree
        let changed = read.changes
        var ids: Set<String> = []
        for byName in changed { ids.formUnion(byName.keys) }
        // Start from the first parent's state: only what changed is looked at again. With one
        // parent, its state moves here and what the checks below read of it stays behind.
        var state: LedgerState
        if bases.count == 1 {
            state = bases.removeLast()
            var rest = LedgerState()
            rest.agreementsTree = state.agreementsTree
            for id in ids { rest.agreements[id] = state.agreements[id] }
            bases = [rest]
        } else {
            state = bases[0]
        }
        state.agreementsTree = tree
        if bases.count > 1 {
            // A merge meets each side's verdicts and faults, even where the folder is the same.
            for base in bases.dropFirst() {
                for (id, other) in base.agreements.values where state.agreements[id] != other { ids.insert(id) }
            }
            for id in state.agreements.keys where bases.dropFirst().contains(where: { $0.agreements[id] == nil }) { ids.insert(id) }
        }

        var events: [String: [FileEvent]] = [:]
        for id in ids.sorted() {
            let touched = bases.indices.filter { changed[$0][id] != nil }
            if touched.isEmpty {
                state.agreements[id] = Self.combine(bases.compactMap { $0.agreements[id] })
                continue
            }
            let entry = changed[touched[0]][id]!.new
            let untouched = bases.indices.first { !touched.contains($0) }
            let files =
                try untouched.flatMap { bases[$0].agreements[id]?.files } ?? read.folders[id]
                ?? AgreementFiles.read(entry, reuse: bases[touched[0]].agreements[id]?.files, objects: objects)
            let (agreement, fileEvents) = try check(
                id, files, commit: commit.id, parents: bases.map { $0.agreements[id] ?? AgreementState() })
            if agreement.files.folder != nil || !agreement.faults.isEmpty || bases.contains(where: { $0.agreements[id] != nil }) {
                state.agreements[id] = agreement
            }
            if !fileEvents.isEmpty { events[id] = fileEvents }
        }
        // `agreements/` itself listing a name twice or out of order: git and the ledger could
        // see different folders for that agreement.
        if let tree = state.agreementsTree, !bases.contains(where: { $0.agreementsTree == tree }) {
            for name in read.malformed where AgreementDecoder.isValidID(name) {
                state.agreements[name, default: AgreementState()].faults.merge([
                    Fault(
                        agreement: name, rule: .layout, path: "agreements/\(name)", commit: commit.id,
                        message:
                            "is listed twice or out of order in the agreements/ tree (git fsck rejects such a tree, and git could show another folder than the ledger reads)"
                    )
                ])
            }
        }
        if let problem = read.rootProblem {
            // Every agreement the ledger knows, or this tree lists: any of them could be other
            // bytes in git's view.
            var names = Set(state.agreements.keys).union(problem.names)
            if let tree = state.agreementsTree {
                names.formUnion(try objects.treeEntries(tree).map(\.name).filter(AgreementDecoder.isValidID))
            }
            for name in names {
                state.agreements[name, default: AgreementState()].faults.merge([
                    Fault(agreement: name, rule: .layout, path: "agreements", commit: commit.id, message: problem.message)
                ])
            }
        }
        return (state, events)
    }

    /// An agreement whose folder is the same in every parent: their verdicts met (an entry
    /// counts only if it counts on every side) and their faults joined.
    static func combine(_ states: [AgreementState]) -> AgreementState? {
        guard var result = states.first else { return nil }
        for other in states.dropFirst() where other != result {
            result.faults.merge(other.faults)
            for (k, verdict) in other.entries.enumerated() where k < result.entries.count {
                if result.entries[k].counts, !verdict.counts { result.entries[k] = verdict }
            }
        }
        return result
    }

    private func check(
        _ id: String, _ files: AgreementFiles, commit: ObjectID,
        parents: [AgreementState]
    ) throws -> (AgreementState, [FileEvent]) {
        let paths = AgreementPaths(id)
        var faults: [Fault] = []
        func fault(_ rule: Fault.Rule, _ path: String, _ message: String) {
            faults.append(Fault(agreement: id, rule: rule, path: path, commit: commit, message: message))
        }
        let log = try context.log(files.activations)
        let logBytes = try files.activations.map { try context.blob($0) } ?? Data()

        for parent in parents where parent.files != files {
            let old = parent.files
            for difference in AgreementFiles.differences(old, files) {
                let path = difference.path.isEmpty ? paths.folder : "\(paths.folder)/\(difference.path)"
                switch difference.role {
                case .version(let n):
                    // Rule 1: frozen files stay byte for byte; rule 2: a new version validates.
                    if difference.old != nil {
                        fault(
                            .frozenFile, path,
                            difference.new == nil
                                ? "a proposed version was deleted; versions are never deleted"
                                : "a proposed version was changed; versions are never changed")
                    }
                    if let blob = difference.new {
                        context.enqueue(.version(agreement: id, number: n, blob: blob, commit: commit))
                        // Versions are numbered 1, 2, … without gaps: a signature of vN names
                        // v(N-1)'s hash as `previous`, so a v(N-1) arriving after vN would
                        // silently void vN's signatures, and a jump would use up the numbers.
                        if difference.old == nil, n > 1, files.versions[n - 1] == nil {
                            fault(
                                .layout, path,
                                "a new version v\(n) without v\(n - 1); versions are numbered 1, 2, 3, … without gaps (`sla propose` makes the next one)"
                            )
                        }
                    }
                case .signature(let n, let name):
                    if difference.old != nil {
                        if let now = difference.new {
                            // At a merge, a path may carry another parent's bytes (one person signing on
                            // two laptops); rule 2 below checks those bytes are valid for the name.
                            let fromOtherParent = parents.count > 1 && parents.contains { $0.files.signatures[n]?[name] == now }
                            if !fromOtherParent {
                                fault(.frozenFile, path, "a signature file was changed; signatures are never changed")
                            }
                        } else {
                            fault(.frozenFile, path, "a signature file was deleted; signatures are never deleted")
                        }
                    }
                    if let blob = difference.new {
                        let versions = files.versions.filter { $0.key <= n }
                        context.enqueue(
                            .signature(.init(agreement: id, number: n, name: name, blob: blob, versions: versions), commit: commit))
                    }
                case .stray:
                    if difference.new != nil, let stray = files.strays[difference.path] {
                        fault(.layout, path, "does not belong in an agreement's folder: \(stray.what)")
                    }
                case .draft, .activations:
                    break
                }
            }
            // Rule 3: the activation log is append-only, in the form `activate` writes.
            if old.activations != files.activations {
                let before = try old.activations.map { try context.blob($0) } ?? Data()
                if !logBytes.starts(with: before) {
                    fault(
                        .activationLog, paths.activations,
                        files.activations == nil
                            ? "the activation log was deleted; it is append-only"
                            : try logsDiverge(parents)
                                ? "the parents of this merge have activation logs that diverge (each has entries the other lacks); the log is append-only, so one parent's log must be a prefix of the other's: reset to the remote branch, then activate again"
                                : "entries of the activation log were changed or removed; it is append-only")
                }
                if let problem = log.problem {
                    fault(
                        .activationLog, paths.activations,
                        "line \(problem.line): \(problem.message); the log holds only entries as `sla activate` writes them")
                }
            }
        }

        // Rule 4: each entry is judged once, where it is new; older ones keep their verdicts.
        var verdicts: [EntryVerdict] = []
        for (k, entry) in log.entries.enumerated() {
            let holders = parents.filter { $0.entries.count > k }
            if !holders.isEmpty {
                if holders.contains(where: { $0.entries[k].entry != entry }) {
                    verdicts.append(
                        EntryVerdict(
                            entry: entry, index: k + 1, commit: commit,
                            problem: "it replaces entry \(k + 1) of an earlier log; the log is append-only"))
                } else {
                    verdicts.append(holders.map { $0.entries[k] }.first { !$0.counts } ?? holders[0].entries[k])
                }
                continue
            }
            let problem = try judge(entry, id: id, files: files, before: verdicts)
            var verdict = EntryVerdict(entry: entry, index: k + 1, commit: commit, problem: problem)
            if problem == nil, let blob = files.versions[entry.version] {
                verdict.validity = try? context.version(id, entry.version, blob: blob).get().agreement.validity
            }
            if let problem {
                fault(
                    .activationEntry, paths.activations, "entry \(k + 1) (line \(entry.line), v\(entry.version)) does not count: \(problem)"
                )
            }
            verdicts.append(verdict)
        }

        var state = AgreementState(files: files, entries: EntryList(verdicts), faults: [])
        for (n, blob) in files.versions {
            state.versionCommits[n] = parents.lazy.compactMap { $0.files.versions[n] == blob ? $0.versionCommits[n] : nil }.first ?? commit
        }
        for parent in parents { state.faults.merge(parent.faults) }
        state.faults.merge(faults)
        return (state, Self.events(files, parents: parents.map(\.files), commit: commit))
    }

    /// Whether two parents' activation logs are neither of them a prefix of the other.
    private func logsDiverge(_ parents: [AgreementState]) throws -> Bool {
        let logs = try parents.map { try $0.files.activations.map { try context.blob($0) } ?? Data() }
        for (i, a) in logs.enumerated() {
            for b in logs[(i + 1)...] where !a.starts(with: b) && !b.starts(with: a) { return true }
        }
        return false
    }

    /// The files whose bytes no parent has at that path (and files every parent had, now gone):
    /// what `log` lists for this commit, so a merge lists only what it brought itself.
    static func events(_ files: AgreementFiles, parents: [AgreementFiles], commit: ObjectID) -> [FileEvent] {
        var candidates: [String: AgreementFiles.Difference] = [:]
        for parent in parents where parent != files {
            for difference in AgreementFiles.differences(parent, files) { candidates[difference.path] = difference }
        }
        var events: [FileEvent] = []
        for path in candidates.keys.sorted() {
            let role = candidates[path]!.role
            let blob = files.blob(role, path: path)
            let before = parents.map { $0.blob(role, path: path) }
            guard before.allSatisfy({ $0 != blob }) else { continue }
            if let blob {
                events.append(FileEvent(commit: commit, path: path, kind: before.contains { $0 != nil } ? .modified : .added, blob: blob))
            } else if before.allSatisfy({ $0 != nil }) {
                events.append(FileEvent(commit: commit, path: path, kind: .deleted, blob: nil))
            }
        }
        return events
    }
}
