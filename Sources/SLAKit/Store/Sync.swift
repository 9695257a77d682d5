import Foundation
import GitKit

/// `sla sync`: share this clone's work through an ordinary git remote, through libgit2.
extension SLARepository {
    public struct SyncResult: Sendable {
        public enum Merge: Sendable, Equatable {
            case upToDate
            case fastForward(to: ObjectID)
            case merged(commit: ObjectID)
            /// Only this clone had new commits.
            case localAhead
        }
        public let remote: String
        public let branch: String
        public let merge: Merge
        /// The refs pushed (the branch and the version tags the remote lacked).
        public let pushed: [String]
    }

    /// Fetches `remote`; fast-forwards, or merges when the two sides changed different files and
    /// deleted none (two people signing at once); then pushes the branch and every `sla/*` tag
    /// the remote lacks. A refused push or a conflict throws and leaves the local branch as it
    /// was. The merge is checked by the ledger before it is made: two clones that each activated
    /// something are never merged.
    public func sync(remote: String, now: Date) throws -> SyncResult {
        let branch = try wrap { try git.headBranch() }
        guard branch.hasPrefix("refs/heads/") else {
            throw SLAError("HEAD is detached; check out your branch (git switch main) before syncing", kind: .refused)
        }
        let short = String(branch.dropFirst("refs/heads/".count))
        if git.isShallow {
            throw SLAError(
                "this clone is shallow, so the history it would push cannot be checked; run `git fetch --unshallow` first", kind: .refused)
        }
        guard !remote.isEmpty, remote.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }),
            let url = try wrap({ try git.remoteURL(remote) })
        else {
            throw SLAError(
                "there is no remote '\(SLAError.shown(remote))'; add one with `git remote add \(remote) URL`, or name another with --remote",
                kind: .notFound)
        }
        // libgit2 writes into a repository on this machine directly, without running its hooks:
        // the server's rules would be skipped, so such a remote is refused.
        if Self.isLocal(url) {
            throw SLAError(
                "\(remote) is a repository on this machine (\(url)); sla sync pushes through libgit2, which would skip its "
                    + "pre-receive hook. Push with `git push --follow-tags \(remote)` (git runs the hook), or serve the repository over ssh, git:// or HTTP",
                kind: .refused)
        }
        // No other sla command commits while the branch may be moved and moved back.
        let lock = try exclusiveLock()
        defer { lock.release() }
        guard let start = try head() else {
            throw SLAError(
                "this clone has no commits on \(short) yet; clone the shared repository instead (git clone \(url))", kind: .refused)
        }
        let advertised = try wrap { try git.fetch(remote: remote) }
        // What the remote has now (a remote-tracking ref can be stale: a branch deleted there,
        // or a remote URL changed).
        let remoteTip = advertised.first { $0.name == branch }?.object

        var merge = SyncResult.Merge.localAhead
        var tip = start
        if let remoteTip {
            if remoteTip == start {
                merge = .upToDate
            } else if try wrap({ try git.isDescendant(remoteTip, of: start) }) {
                try wrap { try git.advanceBranch(from: start, to: remoteTip, reason: "sla sync: fast-forward to \(remote)/\(short)") }
                merge = .fastForward(to: remoteTip)
                tip = remoteTip
            } else if try !wrap({ try git.isDescendant(start, of: remoteTip) }) {
                let commit = try mergeForSync(ours: start, theirs: remoteTip, remote: remote, branch: short, now: now)
                try wrap { try git.advanceBranch(from: start, to: commit, reason: "sla sync: merge \(remote)/\(short)") }
                merge = .merged(commit: commit)
                tip = commit
            }
        }

        // Push what the remote lacks: the branch, and version tags it does not advertise.
        let remoteRefs = Dictionary(advertised.map { ($0.name, $0.object) }, uniquingKeysWith: { a, _ in a })
        var refspecs: [String] = []
        if tip != remoteTip { refspecs.append("\(branch):\(branch)") }
        for tag in try wrap({ try git.tagObjects(prefix: "sla/") }) where remoteRefs["refs/tags/\(tag.name)"] == nil {
            refspecs.append("refs/tags/\(tag.name):refs/tags/\(tag.name)")
        }
        guard !refspecs.isEmpty else { return SyncResult(remote: remote, branch: short, merge: merge, pushed: []) }
        let report: PushReport
        do {
            report = try wrap { try git.push(remote: remote, refspecs: refspecs) }
        } catch {
            try restore(start, from: tip)
            throw error
        }
        if !report.refused.isEmpty {
            try restore(start, from: tip)
            let lines = report.refused.map { "  \($0.ref): \($0.refusal ?? "")" }
            let said = report.remoteText.split(whereSeparator: \.isNewline).map { "  remote: \($0)" }
            throw SLAError(
                "\(remote) (\(url)) refused the push:\n" + (lines + said).joined(separator: "\n")
                    + "\nYour branch is as it was before the sync. If the server names a rule, your history breaks it: "
                    + "reset to the server's branch (git reset --hard \(remote)/\(short)) and redo the work with sla.",
                kind: .refused)
        }
        return SyncResult(remote: remote, branch: short, merge: merge, pushed: refspecs.map { String($0.split(separator: ":")[0]) })
    }

    /// A note when the remote-tracking branch (as of the last fetch) has commits this clone
    /// lacks: a signature made on another laptop, an activation. Nil when there are none.
    public func remoteAheadNote() -> String? {
        guard let branch = try? git.headBranch(), branch.hasPrefix("refs/heads/"), let local = try? head() else { return nil }
        let short = String(branch.dropFirst("refs/heads/".count))
        let remote = ((try? git.config("branch.\(short).remote")) ?? nil) ?? "origin"
        guard let tracking = try? git.reference("refs/remotes/\(remote)/\(short)"), tracking != local,
            let count = try? git.countCommits(from: tracking, hiding: local), count > 0
        else { return nil }
        return "note: \(remote)/\(short) has \(count) commit\(count == 1 ? "" : "s") this clone lacks (as of the last fetch), "
            + "perhaps signatures made elsewhere; run `sla sync` to get them"
    }

    /// A path or `file://` URL (git's own rule: no `scheme://`, and no `host:` before the first `/`).
    static func isLocal(_ url: String) -> Bool {
        if url.hasPrefix("file://") { return true }
        if url.contains("://") { return false }
        guard let colon = url.firstIndex(of: ":") else { return true }
        return url[..<colon].contains("/")
    }

    /// Puts the branch back where the sync found it (after a refused push).
    private func restore(_ start: ObjectID, from tip: ObjectID) throws {
        guard tip != start else { return }
        try wrap { try git.advanceBranch(from: tip, to: start, reason: "sla sync: push refused, back to where it was") }
    }

    /// The merge commit of a diverged branch, made only when both sides changed different
    /// files, deleted none, and the ledger finds no new fault in it.
    private func mergeForSync(ours: ObjectID, theirs: ObjectID, remote: String, branch: String, now: Date) throws -> ObjectID {
        let base = try wrap { try git.mergeBase(ours, theirs) }
        let mine = try wrap { try git.changes(from: base, to: ours, under: nil) }
        let others = try wrap { try git.changes(from: base, to: theirs, under: nil) }
        let reset = "reset to the remote branch (git reset --hard \(remote)/\(branch)) and redo your part with sla"
        let bothActivated = Set(mine.map(\.path)).intersection(others.map(\.path)).filter { $0.hasSuffix("/activations.yaml") }
        if let log = bothActivated.sorted().first {
            throw SLAError(
                "this clone and \(remote) each activated something in \(log); two activation logs cannot be merged (History rule 3). "
                    + "Reset to the remote branch (git reset --hard \(remote)/\(branch)), then run `sla activate` again", kind: .refused)
        }
        if let deleted = (mine + others).first(where: { $0.kind == .deleted }) {
            throw SLAError(
                "\(deleted.path) was deleted on one side; sync merges only added and changed files. Merge by hand with git, or \(reset)",
                kind: .refused)
        }
        // The same path on both sides: only a signature file (one person signing on two
        // laptops; History rule 1 lets a merge keep either side's valid bytes), and ours is kept.
        let overlap = Set(mine.map(\.path)).intersection(others.map(\.path))
        if let path = overlap.sorted().first(where: {
            guard case .signature = AgreementFiles.Role(path: $0.split(separator: "/").dropFirst(2).joined(separator: "/")) else {
                return true
            }
            return !$0.hasPrefix("agreements/")
        }) {
            throw SLAError(
                "both this clone and \(remote) changed \(path); sync merges only different files. Merge by hand with git, or \(reset)",
                kind: .refused)
        }
        let incoming = others.filter { !overlap.contains($0.path) }.compactMap { change in
            change.newID.map { (path: change.path, blob: $0) }
        }
        let tree = try wrap { try git.tree(of: ours, writing: incoming) }
        let identity = try identity(now: now)
        let commit = try wrap {
            try git.createMergeCommit(
                tree: tree, parents: [ours, theirs], message: "sla sync: merge \(remote)/\(branch)\n",
                author: identity, committer: identity)
        }
        // The ledger judges the merge, and the remote's commits it brings, before the branch
        // moves, starting from this clone's ledger (so the cost follows the new commits): any
        // fault this clone does not already have refuses it.
        let before = try ledger()
        let after = try wrap { try Ledger.build(git: git, commit: commit, trustCache: true, writeCache: false, previous: before) }
        var problems: [String] = []
        for id in try after.agreementIDs() {
            let old = Set(try before.agreement(id)?.faults ?? [])
            for fault in try after.agreement(id)?.faults ?? [] where !old.contains(fault) { problems.append("  \(fault)") }
        }
        guard problems.isEmpty else {
            throw SLAError(
                "merging \(remote)/\(branch) would break the SLA rules:\n" + problems.joined(separator: "\n")
                    + "\nNothing was merged; \(reset)",
                kind: .refused)
        }
        return commit
    }
}
