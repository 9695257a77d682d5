import Foundation
import GitKit
import SLALimits

/// One line of what git gives a `pre-receive` hook: `OLD NEW REF`.
public struct RefUpdate: Sendable, Equatable {
    /// nil for a ref being created.
    public let old: ObjectID?
    /// nil for a ref being deleted.
    public let new: ObjectID?
    public let ref: String

    /// Parses git's `OLD NEW REF` lines; throws naming the line for anything else, and for
    /// input beyond `Limits.hookInputBytes` or a line beyond `Limits.hookLineLength`.
    public static func parse(_ data: Data) throws -> [RefUpdate] {
        guard data.count <= Limits.hookInputBytes else {
            throw SLAError(
                "pre-receive input is more than \(Limits.describe(bytes: Limits.hookInputBytes)): push fewer refs at once",
                kind: .badInput)
        }
        var updates: [RefUpdate] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).enumerated() {
            func refuse(_ why: String) -> SLAError {
                let shown = String(decoding: line.prefix(200), as: UTF8.self)
                return SLAError("pre-receive input line \(index + 1) \(why): \(shown)", kind: .badInput)
            }
            guard line.count <= Limits.hookLineLength else { throw refuse("is longer than \(Limits.hookLineLength) bytes") }
            guard let text = String(validating: line, as: UTF8.self), !text.contains("\0") else {
                throw refuse("is not UTF-8 text")
            }
            let fields = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let old = ObjectID(hex: fields[0]), let new = ObjectID(hex: fields[1]),
                fields[2].hasPrefix("refs/")
            else {
                throw refuse("is not `OLD NEW REF`")
            }
            updates.append(RefUpdate(old: old.isZero ? nil : old, new: new.isZero ? nil : new, ref: fields[2]))
        }
        return updates
    }
}

/// Why the hook refuses a push: the ref, the commit, the file and the reason.
public struct HookRefusal: Sendable, Equatable, CustomStringConvertible {
    public let ref: String
    public let commit: ObjectID?
    public let path: String?
    public let reason: String
    /// Whether redoing the work with sla on the server's branch is the way out (not when the
    /// server itself must be set up first).
    public var redoWithSLA = true

    public init(ref: String, commit: ObjectID?, path: String?, reason: String, redoWithSLA: Bool = true) {
        self.ref = ref
        self.commit = commit
        self.path = path
        self.reason = reason
        self.redoWithSLA = redoWithSLA
    }

    public var description: String {
        var location = ref
        if let commit { location += " commit \(commit.short)" }
        if let path { location += " \(path)" }
        return "\(location): \(reason)"
    }
}

/// The server hook (DESIGN.md, "The server hook"): the ledger's own checks applied to what a
/// push brings, plus the rules for refs. The same code as `verify` judges every commit.
extension SLARepository {
    /// What is wrong with this push; empty when it may land.
    public func preReceive(_ updates: [RefUpdate]) throws -> [HookRefusal] {
        let mainBranch = try wrap { try git.headBranch() }
        // HEAD detached, or naming something that is not a branch: there is no main branch to
        // keep, so nothing may land (a push could otherwise rewind or delete the team's branch).
        guard mainBranch.hasPrefix("refs/heads/") else {
            return updates.map { update in
                HookRefusal(
                    ref: update.ref, commit: update.new ?? update.old, path: nil,
                    reason:
                        "this repository's HEAD does not name a branch (\(mainBranch == "HEAD" ? "it is detached" : "it names \(mainBranch)")); sla keeps the rules on the branch HEAD names. Set it here first: git symbolic-ref HEAD refs/heads/main",
                    redoWithSLA: false)
            }
        }
        var refusals: [HookRefusal] = []
        // The ledger of the main branch as it is now: commits already accepted, never judged again.
        let mainNow = try wrap { try git.reference(mainBranch) }
        let base = try mainNow.map { try Ledger.build(git: git, commit: $0, trustCache: true, writeCache: true) }
        // Where the main branch will be after the push.
        let mainAfter = updates.first { $0.ref == mainBranch }.map(\.new) ?? mainNow
        // HEAD naming a branch without commits (`git init --bare` names master) while the push
        // brings another: that branch would carry the history unprotected.
        if mainNow == nil, mainAfter == nil {
            for update in updates where update.ref.hasPrefix("refs/heads/") && update.new != nil {
                refusals.append(
                    HookRefusal(
                        ref: update.ref, commit: update.new, path: nil,
                        reason:
                            "this repository's HEAD names \(mainBranch), which has no commits; sla keeps the rules on the branch HEAD names, so \(update.ref) would not be protected. Push to \(mainBranch), or make \(update.ref) the main branch here first: git symbolic-ref HEAD \(update.ref)",
                        redoWithSLA: false))
            }
            if !refusals.isEmpty { return refusals }
        }

        // The main branch first. Another ref whose commit the main branch's history holds —
        // as just checked, or as accepted before — brings nothing to check on its own: the
        // main branch may not be left with any fault at all, a stricter check. (A push of
        // every version tag would otherwise fold the whole history once per tag.)
        var mainChecked: ObjectID?
        var mainHistory: Set<ObjectID>?
        var checked: Set<ObjectID> = []
        for update in updates.filter({ $0.ref == mainBranch }) + updates.filter({ $0.ref != mainBranch }) {
            let ref = update.ref
            if ref == mainBranch {
                guard let new = update.new else {
                    refusals.append(
                        HookRefusal(
                            ref: ref, commit: update.old, path: nil,
                            reason: "deletes the main branch; it is never deleted"))
                    continue
                }
                if let old = update.old, try !wrap({ try git.isDescendant(new, of: old) }) {
                    refusals.append(
                        HookRefusal(
                            ref: ref, commit: new, path: nil,
                            reason:
                                "rewinds or rewrites the main branch (it does not contain \(old.short)); history is never rewritten. Fetch, merge or rebase onto the remote branch, and push again"
                        ))
                    continue
                }
            }
            if ref.hasPrefix("refs/replace/"), update.new != nil {
                // git shows a replacement in place of the object it names: a reader of the
                // repository through git would see other terms than the ones signed.
                refusals.append(
                    HookRefusal(
                        ref: ref, commit: update.new, path: nil,
                        reason:
                            "creates or moves a replace ref; git would show other objects than the ones signed and checked (deleting one is allowed)"
                    ))
                continue
            }
            // Compared as a file system that ignores case compares (Unicode case folding: `ſ` is
            // `s` there): such a name would share a file or folder with one the rules keep.
            let folded = Self.caseFolded(ref)
            if ref != mainBranch, update.new != nil, folded == Self.caseFolded(mainBranch) {
                refusals.append(
                    HookRefusal(
                        ref: ref, commit: update.new, path: nil,
                        reason:
                            "differs from the main branch \(mainBranch) only in case; on a file system that ignores case it would be the main branch's own ref",
                        redoWithSLA: false))
                continue
            }
            if !ref.hasPrefix("refs/tags/sla/"), folded == "refs/tags/sla" || folded.hasPrefix("refs/tags/sla/"), update.new != nil {
                // A clone on a file system that ignores case (macOS, Windows) keeps both in one
                // folder: `SLA/ID/v1` could stand in for, or break, the version tag `sla/ID/v1`.
                refusals.append(
                    HookRefusal(
                        ref: ref, commit: update.new, path: nil,
                        reason:
                            "differs from sla/ only in case; on a file system that ignores case it would clash with the version tags under sla/ (deleting one is allowed)",
                        redoWithSLA: false))
                continue
            }
            if ref.hasPrefix("refs/tags/sla/") {
                if let old = update.old {
                    refusals.append(
                        HookRefusal(
                            ref: ref, commit: old, path: nil,
                            reason: update.new == nil
                                ? "deletes a version tag; version tags are never deleted"
                                : "moves a version tag; version tags are never moved"))
                    continue
                }
                if let new = update.new, let problem = try newTagProblem(ref: ref, object: new, mainAfter: mainAfter) {
                    refusals.append(problem)
                    continue
                }
            }
            guard let new = update.new else { continue }
            let target = try wrap { try git.peeled(new) }
            guard (try? wrap({ try git.graphCommit(target) })) != nil else { continue }
            if ref != mainBranch {
                guard checked.insert(target).inserted else { continue }
                if mainHistory == nil, let main = mainChecked ?? mainNow {
                    mainHistory = try wrap { try git.reachableCommits(from: main) }
                }
                if mainHistory?.contains(target) == true { continue }
            }
            // Every commit the push brings is checked against each of its parents, by the fold
            // that `verify` runs, starting from the accepted main branch (so its cost follows the
            // new commits); a faulted result refuses the push.
            let previous = try base.flatMap { base in try base.commit.flatMap { try git.isDescendant(target, of: $0) } == true ? base : nil
            }
            let ledger = try wrap { try Ledger.build(git: git, commit: target, trustCache: true, writeCache: false, previous: previous) }
            if ref == mainBranch { mainChecked = target }
            for id in try ledger.agreementIDs() {
                guard let agreement = try ledger.agreement(id) else { continue }
                // A fault the accepted main branch already has is not this push's; the main
                // branch itself, though, may not be left faulted at all.
                let old = Set(try base?.agreement(id)?.faults ?? [])
                for fault in agreement.faults where ref == mainBranch || !old.contains(fault) {
                    refusals.append(HookRefusal(ref: ref, commit: fault.commit, path: fault.path, reason: fault.message))
                }
            }
        }
        return refusals
    }

    /// A ref name as a file system that ignores case sees it (upper case, then lower: `ſ` and
    /// `S` both become `s`).
    static func caseFolded(_ ref: String) -> String { ref.uppercased().lowercased() }

    /// A new `sla/*` tag must be shaped `sla/ID/vN`, on a commit with `versions/vN.yaml` whose
    /// bytes are those the main branch has after the push.
    private func newTagProblem(ref: String, object: ObjectID, mainAfter: ObjectID?) throws -> HookRefusal? {
        let name = String(ref.dropFirst("refs/tags/".count))
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, AgreementDecoder.isValidID(parts[1]), let n = VersionSelector.versionNumber(parts[2]) else {
            return HookRefusal(
                ref: ref, commit: nil, path: nil,
                reason: "is not shaped sla/ID/vN; only version tags live under sla/")
        }
        let path = AgreementPaths(parts[1]).version(n)
        let commit = try wrap { try git.peeled(object) }
        guard (try? wrap({ try git.graphCommit(commit) })) != nil else {
            return HookRefusal(
                ref: ref, commit: nil, path: nil, reason: "names \(commit.short), which is not a commit; a version tag names a commit")
        }
        guard let tagged = try? wrap({ try git.fileID(at: path, inCommit: commit) }) else {
            return HookRefusal(ref: ref, commit: commit, path: path, reason: "tags a commit that has no \(path)")
        }
        var onMain: ObjectID?
        if let mainAfter { onMain = try wrap { try git.fileID(at: path, inCommit: mainAfter) } }
        guard onMain == tagged else {
            return HookRefusal(
                ref: ref, commit: commit, path: path,
                reason: onMain == nil
                    ? "tags v\(n), but the main branch has no \(path); push the branch with its tags (git push --follow-tags)"
                    : "tags other bytes of \(path) than the main branch has")
        }
        return nil
    }
}

extension SLARepository {
    /// Whether a `git commit` is concluding a merge (git's MERGE_HEAD).
    public var isMerging: Bool { (try? git.reference("MERGE_HEAD")) != nil }

    /// `sla hook pre-commit`: the staged change as if it were committed now, checked against
    /// HEAD and the other parents of a merge by the same one-commit check the ledger runs.
    /// - Parameter merging: the commits `git merge` is merging, which it names to the
    ///   pre-merge-commit hook only in its environment (`GITHEAD_<id>`): MERGE_HEAD is written
    ///   after that hook, for a `git commit` that concludes the merge.
    public func preCommit(merging: [ObjectID] = []) throws -> [HookRefusal] {
        let tree = try wrap { try git.indexTree() }
        var parents: [ObjectID] = []
        if let head = try head() { parents.append(head) }
        if let merged = try wrap({ try git.reference("MERGE_HEAD") }) { parents.append(merged) }
        for commit in merging where !parents.contains(commit) { parents.append(commit) }
        let ledgers = try parents.map { parent in
            try wrap { try Ledger.build(git: git, commit: parent, trustCache: true, writeCache: true) }
        }
        let context = ledgers.first?.context ?? LedgerContext(objects: git)
        // The staged commit has no id yet; its faults name it as the zero id, shown as "staged".
        let staged = GraphCommit(id: ObjectID(hex: String(repeating: "0", count: 40))!, tree: tree, parents: parents)
        var (state, _) = try CommitCheck(context: context).run(staged, parents: ledgers.map(\.state))
        for fault in try context.drainPending() {
            state.agreements[fault.agreement, default: AgreementState()].faults.merge([fault])
        }
        var refusals: [HookRefusal] = []
        for (id, agreement) in state.agreements.values.sorted(by: { $0.key < $1.key }) {
            // Faults the branch already has are not this commit's; those a merged branch brings are.
            let old = Set(ledgers.first?.state.agreements[id]?.faults ?? [])
            for fault in agreement.faults where !old.contains(fault) {
                refusals.append(HookRefusal(ref: "staged change", commit: nil, path: fault.path, reason: fault.message))
            }
        }
        return refusals
    }
}
