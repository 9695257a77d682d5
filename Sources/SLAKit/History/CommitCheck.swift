import Foundation
import GitKit

/// The check of one commit against each of its parents (DESIGN.md, History): given the commit
/// and its parents' ledger states, the commit's ledger state, with the faults it made. The fold
/// over the graph calls it for every commit; the server hook can call it for pushed commits only.
/// Checks of new files are queued on the context (`LedgerContext.drainPending`).
struct CommitCheck {
    let context: LedgerContext

    func run(_ commit: GraphCommit, parents: [LedgerState]) throws -> (state: LedgerState, events: [String: [FileEvent]]) {
        let objects = context.objects
        let root = try objects.treeEntry(named: "agreements", in: commit.tree)
        var state = LedgerState()
        state.agreementsTree = root?.kind == .tree ? root?.id : nil
        // A commit without parents is checked against the empty tree.
        let bases = parents.isEmpty ? [LedgerState()] : parents

        var changed: [[String: TreeEntryChange]] = []
        var ids: Set<String> = []
        for base in bases {
            var byName: [String: TreeEntryChange] = [:]
            for change in try objects.entryChanges(from: base.agreementsTree, to: state.agreementsTree)
            where AgreementDecoder.isValidID(change.name) {
                byName[change.name] = change
            }
            changed.append(byName)
            ids.formUnion(base.agreements.keys)
            ids.formUnion(byName.keys)
        }

        var events: [String: [FileEvent]] = [:]
        for id in ids.sorted() {
            let touched = bases.indices.filter { changed[$0][id] != nil }
            if touched.isEmpty {
                // The same folder as every parent's: nothing new here, but a merge still meets
                // each side's verdicts and faults.
                state.agreements[id] = Self.combine(bases.compactMap { $0.agreements[id] })
                continue
            }
            let entry = changed[touched[0]][id]!.new
            let untouched = bases.indices.first { !touched.contains($0) }
            let files = try untouched.flatMap { bases[$0].agreements[id]?.files }
                ?? AgreementFiles.read(entry, reuse: bases[touched[0]].agreements[id]?.files, objects: objects)
            let (agreement, fileEvents) = try check(id, files, commit: commit.id, parents: bases.map { $0.agreements[id] ?? AgreementState() })
            if agreement.files.folder != nil || !agreement.faults.isEmpty || bases.contains(where: { $0.agreements[id] != nil }) {
                state.agreements[id] = agreement
            }
            if !fileEvents.isEmpty { events[id] = fileEvents }
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

    private func check(_ id: String, _ files: AgreementFiles, commit: ObjectID,
                       parents: [AgreementState]) throws -> (AgreementState, [FileEvent]) {
        let paths = AgreementPaths(id)
        var faults: [Fault] = []
        func fault(_ rule: Fault.Rule, _ path: String, _ message: String) {
            faults.append(Fault(agreement: id, rule: rule, path: path, commit: commit, message: message))
        }
        let log = try context.log(files.activations)
        let logBytes = try files.activations.map { try context.blob($0) } ?? Data()

        for parent in parents where parent.files != files {
            let old = parent.files
            // Rule 1: frozen files stay byte for byte.
            for (n, blob) in old.versions where files.versions[n] != blob {
                fault(.frozenFile, paths.version(n), files.versions[n] == nil
                      ? "a proposed version was deleted; versions are never deleted"
                      : "a proposed version was changed; versions are never changed")
            }
            for (n, names) in old.signatures {
                for (name, blob) in names {
                    let now = files.signatures[n]?[name]
                    if now == blob { continue }
                    let path = "\(paths.signatures(n))/\(name)"
                    guard let now else {
                        fault(.frozenFile, path, "a signature file was deleted; signatures are never deleted")
                        continue
                    }
                    // At a merge, a path may carry another parent's bytes (one person signing on two
                    // laptops); rule 2 below checks those bytes are valid for the name.
                    let fromOtherParent = parents.count > 1 && parents.contains { $0.files.signatures[n]?[name] == now }
                    if !fromOtherParent {
                        fault(.frozenFile, path, "a signature file was changed; signatures are never changed")
                    }
                }
            }
            // Rule 2: new files are valid, and nothing else is in the folder.
            for (n, blob) in files.versions where old.versions[n] != blob {
                context.enqueue(.version(agreement: id, number: n, blob: blob, commit: commit))
            }
            for (n, names) in files.signatures {
                for (name, blob) in names where old.signatures[n]?[name] != blob {
                    let versions = files.versions.filter { $0.key <= n }
                    context.enqueue(.signature(.init(agreement: id, number: n, name: name, blob: blob, versions: versions), commit: commit))
                }
            }
            for (path, stray) in files.strays where old.strays[path] != stray {
                fault(.layout, path.isEmpty ? paths.folder : "\(paths.folder)/\(path)", "does not belong in an agreement's folder: \(stray.what)")
            }
            // Rule 3: the activation log is append-only, in the form `activate` writes.
            if old.activations != files.activations {
                let before = try old.activations.map { try context.blob($0) } ?? Data()
                if !logBytes.starts(with: before) {
                    fault(.activationLog, paths.activations, files.activations == nil
                          ? "the activation log was deleted; it is append-only"
                          : "entries of the activation log were changed or removed; it is append-only")
                }
                if let problem = log.problem {
                    fault(.activationLog, paths.activations, "line \(problem.line): \(problem.message); the log holds only entries as `sla activate` writes them")
                }
            }
        }

        // Rule 4: each entry is judged once, where it is new; older ones keep their verdicts.
        var verdicts: [EntryVerdict] = []
        for (k, entry) in log.entries.enumerated() {
            let holders = parents.filter { $0.entries.count > k }
            if !holders.isEmpty {
                if holders.contains(where: { $0.entries[k].entry != entry }) {
                    verdicts.append(EntryVerdict(entry: entry, index: k + 1, commit: commit,
                                                 problem: "it replaces entry \(k + 1) of an earlier log; the log is append-only"))
                } else {
                    verdicts.append(holders.map { $0.entries[k] }.first { !$0.counts } ?? holders[0].entries[k])
                }
                continue
            }
            let problem = try judge(entry, id: id, files: files, before: verdicts)
            let verdict = EntryVerdict(entry: entry, index: k + 1, commit: commit, problem: problem)
            if let problem {
                fault(.activationEntry, paths.activations, "entry \(k + 1) (line \(entry.line), v\(entry.version)) does not count: \(problem)")
            }
            verdicts.append(verdict)
        }

        var state = AgreementState(files: files, entries: verdicts, faults: [])
        for parent in parents { state.faults.merge(parent.faults) }
        state.faults.merge(faults)
        return (state, Self.events(files, parents: parents.map(\.files), commit: commit))
    }

    /// The files whose bytes no parent has at that path (and files every parent had, now gone):
    /// what `log` lists for this commit, so a merge lists only what it brought itself.
    static func events(_ files: AgreementFiles, parents: [AgreementFiles], commit: ObjectID) -> [FileEvent] {
        let now = files.paths
        let before = parents.map(\.paths)
        var all = Set(now.keys)
        for paths in before { all.formUnion(paths.keys) }
        var events: [FileEvent] = []
        for path in all.sorted() {
            let blob = now[path]
            guard before.allSatisfy({ $0[path] != blob }) else { continue }
            if let blob {
                events.append(FileEvent(commit: commit, path: path, kind: before.contains { $0[path] != nil } ? .modified : .added, blob: blob))
            } else if before.allSatisfy({ $0[path] != nil }) {
                events.append(FileEvent(commit: commit, path: path, kind: .deleted, blob: nil))
            }
        }
        return events
    }
}
