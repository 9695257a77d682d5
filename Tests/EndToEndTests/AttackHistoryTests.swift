import Foundation
import Testing

/// DESIGN.md's History rules attacked with plain git and none of the signers' keys: merges
/// that keep one side's tree, deleted signatures and folders, side-branch entries, damaged
/// logs, an unborn HEAD. Each attack must end with nothing unapproved in force and `verify`
/// naming the commit; the honest controls must pass.
@Suite("Attack: history")
struct AttackHistoryTests {
    /// A branch `attacker` where v2 lists only Mallory's two keys, signed by them and activated
    /// there, while main activated v1 (when `activateOnMain`) after the fork.
    func attackerBranch(forkBeforeActivation: Bool) throws -> (SignedRepository, [String: String]) {
        let repo = try SignedRepository()
        try repo.signBoth()
        if forkBeforeActivation { try repo.box.git("branch", "attacker") }
        try #require(try repo.activate().status == 0)
        if !forkBeforeActivation { try repo.box.git("branch", "attacker") }
        try repo.box.git("checkout", "-q", "attacker")
        let m1 = try repo.box.makeKey("mallory1")
        let m2 = try repo.box.makeKey("mallory2")
        let mette = try repo.box.publicKeyLine(repo.mette)
        let soren = try repo.box.publicKeyLine(repo.soren)
        try repo.proposeRevision {
            $0.replacingOccurrences(of: mette, with: try! repo.box.publicKeyLine(m1))
                .replacingOccurrences(of: soren, with: try! repo.box.publicKeyLine(m2))
        }
        try #require(try repo.sign(m1, "v2").status == 0)
        try #require(try repo.sign(m2, "v2").status == 0)
        let activated = try repo.activate("v2")
        if forkBeforeActivation {
            // Nothing was in force where the branch forked: v2 approves itself there.
            try #require(activated.status == 0, "\(activated)")
        }
        try repo.box.git("checkout", "-q", "main")
        return (
            repo, ["main": try repo.box.git("rev-parse", "main").trimmed, "attacker": try repo.box.git("rev-parse", "attacker").trimmed]
        )
    }

    @Test("a merge keeping the attacker's tree cannot put a self-approved version in force", arguments: [false, true])
    func mergeHidesActivation(attackerFirst: Bool) throws {
        let (repo, tips) = try attackerBranch(forkBeforeActivation: true)
        #expect(try repo.inForce() == "v1")
        let parents = attackerFirst ? [tips["attacker"]!, tips["main"]!] : [tips["main"]!, tips["attacker"]!]
        let merge = try repo.mergeKeeping(tree: tips["attacker"]!, parents: parents)
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: merge, "append-only")
        // The audit trail shows the fault with the merge that made it.
        let log = try repo.box.sla("log", SignedRepository.id)
        #expect(log.status == 0 && log.stdout.contains("\(merge.prefix(7))") && log.stdout.contains("FAULT"), "\(log)")
        // main's own activation of v1 stays in the trail, though the merged log dropped it.
        let activation = try repo.box.git("log", "-1", "--format=%h", tips["main"]!).trimmed
        #expect(log.stdout.split(separator: "\n").contains { $0.contains(activation) }, "\(log)")
        let activate = try repo.activate("v2")
        #expect(activate.status == 1 && activate.stderr.contains("faulted"), "\(activate)")
    }

    @Test("a merge keeping an older tree cannot roll the agreement back", arguments: [false, true])
    func mergeRollsBack(attackerFirst: Bool) throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let old = try repo.head()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.signBoth("v2")
        try #require(try repo.activate("v2", today: "2026-12-02").status == 0)
        #expect(try repo.inForce() == "v2")
        let tip = try repo.head()
        let merge = try repo.mergeKeeping(tree: old, parents: attackerFirst ? [old, tip] : [tip, old])
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: merge, "deleted")
    }

    @Test("deleting a signature of the version in force does not lift rule 3")
    func deletedSignature() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "soren@acme.dk"))
        try repo.box.git("commit", "-qm", "drop a signature")
        let deletion = try repo.head()
        // v2 lists only Mallory's keys and is signed by them; its entry is written by hand.
        let m1 = try repo.box.makeKey("mallory1")
        let m2 = try repo.box.makeKey("mallory2")
        let mette = try repo.box.publicKeyLine(repo.mette)
        let soren = try repo.box.publicKeyLine(repo.soren)
        try repo.proposeRevision {
            $0.replacingOccurrences(of: mette, with: try! repo.box.publicKeyLine(m1))
                .replacingOccurrences(of: soren, with: try! repo.box.publicKeyLine(m2))
        }
        #expect(try repo.sign(m1, "v2").status == 0)
        #expect(try repo.sign(m2, "v2").status == 0)
        let refused = try repo.activate("v2")
        #expect(refused.status == 1 && refused.stderr.contains("faulted"), "\(refused)")
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        try repo.commitWithGit(log + (try repo.activationEntry(2)), to: repo.activationsPath, message: "activate v2 by hand")
        let entry = try repo.head()
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: deletion, "a signature file was deleted")
        try repo.expectFault(naming: entry, "does not count")
    }

    @Test("removing an agreement's folder is a fault, and its tags are still checked")
    func removedFolder() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.box.git("rm", "-q", "-r", "agreements/acme-sales-marketing")
        try repo.box.git("commit", "-qm", "remove the agreement")
        let removal = try repo.head()
        try repo.expectFault(naming: removal, "a proposed version was deleted")
        let verify = try repo.box.sla("verify")
        #expect(verify.stdout.contains("1 agreement"), "\(verify)")
        #expect(verify.stderr.contains("refs/tags/sla/acme-sales-marketing/v1"), "\(verify.stderr)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("an entry written on a side branch before the signatures never counts, even merged after them")
    func sideBranchEntry() throws {
        let repo = try SignedRepository()
        try repo.box.git("checkout", "-q", "-b", "side")
        try repo.commitWithGit(try repo.activationEntry(1), to: repo.activationsPath, message: "early entry")
        let early = try repo.head()
        try repo.box.git("checkout", "-q", "main")
        try repo.signBoth()
        try repo.box.git("merge", "-q", "--no-edit", "side")
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: early, "not approved")
        // The audit trail marks it, and never calls it an activation.
        let log = try repo.box.sla("log", SignedRepository.id)
        #expect(log.status == 0, "\(log)")
        #expect(log.stdout.contains("DOES NOT COUNT"), "\(log.stdout)")
        #expect(!log.stdout.contains("activated v1"), "\(log.stdout)")
        let json = try repo.box.sla("log", SignedRepository.id, "--format", "json")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let entries = events.filter { $0["kind"] as? String == "activated" }
        #expect(entries.count == 1 && entries.first?["counts"] as? Bool == false, "\(entries)")
    }

    @Test("text appended to activations.yaml is a fault, and activate refuses instead of printing Activated")
    func damagedLog() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        try repo.commitWithGit(log + "# approved in the meeting\n", to: repo.activationsPath, message: "a note")
        let damage = try repo.head()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.signBoth("v2")
        let before = try repo.box.snapshot()
        let activate = try repo.activate("v2", today: "2026-12-02")
        #expect(activate.status == 1, "\(activate)")
        #expect(!activate.stdout.contains("Activated"), "\(activate)")
        #expect(try repo.box.snapshot() == before)
        try repo.expectFault(naming: damage, "line 5")
    }

    @Test("verify in a bare repository whose HEAD names an unborn branch fails, naming the branches")
    func unbornHead() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let bare = repo.box.root.appendingPathComponent("server.git")
        try repo.box.git("init", "-q", "--bare", "--initial-branch=main", bare.path)
        try repo.box.git("push", "-q", bare.path, "main:work")
        let verify = try repo.box.sla("verify", "--repo", bare.path)
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("refs/heads/main") && verify.stderr.contains("work"), "\(verify.stderr)")
        let byRef = try repo.box.sla("verify", "--repo", bare.path, "--ref", "work")
        #expect(byRef.status == 0, "\(byRef)")
        let unknown = try repo.box.sla("verify", "--repo", bare.path, "--ref", "nowhere")
        #expect(unknown.status == 1 && unknown.stderr.contains("nowhere"), "\(unknown)")
        // A ref naming a tree names no commit: the same refusal, not libgit2's words.
        let tree = try repo.box.git("rev-parse", "HEAD:agreements").trimmed
        let onTree = try repo.box.sla("verify", "--repo", bare.path, "--ref", tree)
        #expect(onTree.status == 1 && onTree.stderr.contains(tree) && !onTree.stderr.contains("peel"), "\(onTree)")
    }

    @Test("a command on a detached HEAD refuses instead of committing to no branch")
    func detachedHead() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try repo.box.git("checkout", "-q", "--detach")
        let before = try repo.box.snapshot()
        let activate = try repo.activate()
        #expect(activate.status == 1 && activate.stderr.contains("detached"), "\(activate)")
        #expect(try repo.box.snapshot() == before)
    }

    @Test("a shallow clone cannot be checked: verify, show active and sync say to fetch the whole history")
    func shallowClone() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let clone = repo.box.root.appendingPathComponent("shallow")
        try repo.box.git("clone", "-q", "--depth", "1", "file://\(repo.box.repo.path)", clone.path)
        for arguments in [["verify"], ["show", SignedRepository.id, "active"], ["sync"]] {
            let result = try repo.box.run(Sandbox.slaBinary.path, arguments + ["--repo", clone.path])
            #expect(result.status == 1 && result.stderr.contains("git fetch --unshallow"), "\(arguments): \(result)")
        }
    }

    @Test("a tree listing versions/v1.yaml twice (git would show one copy, a listing the other) is a fault", arguments: [false, true])
    func duplicateTreeEntry(evilFirst: Bool) throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let folder = "agreements/acme-sales-marketing"
        let script = """
            set -euo pipefail
            R0=$(git rev-parse HEAD)
            EV=$(printf 'evil: not what was signed\\n' | git hash-object -w --stdin)
            V1=$(git rev-parse $R0:\(folder)/versions/v1.yaml)
            if [ "$EVIL_FIRST" = 1 ]; then A=$EV; B=$V1; else A=$V1; B=$EV; fi
            raw() { printf "$(echo $1 | sed 's/../\\\\x&/g')"; }
            NV=$( (printf '100644 v1.yaml\\0'; raw $A; printf '100644 v1.yaml\\0'; raw $B) | git hash-object -t tree -w --stdin --literally)
            FT=$(git ls-tree $R0:\(folder) | sed "s/$(git rev-parse $R0:\(folder)/versions)/$NV/" | git mktree)
            AT=$(git ls-tree $R0:agreements | sed "s/$(git rev-parse $R0:\(folder))/$FT/" | git mktree)
            TT=$(git ls-tree $R0 | sed "s/$(git rev-parse $R0:agreements)/$AT/" | git mktree)
            C=$(git commit-tree $TT -p $R0 -m dup)
            git update-ref refs/heads/main $C
            echo $C
            """
        let made = try repo.box.run("/bin/bash", ["-c", script], environment: ["EVIL_FIRST": evilFirst ? "1" : "0"])
        try #require(made.status == 0, "\(made)")
        let commit = made.stdout.trimmed
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("commit \(commit.prefix(7))"), "\(verify)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("a root tree listing agreements twice (git shows one, libgit2 reads the other) is a fault", arguments: [false, true])
    func duplicateAgreementsFolder(evilFirst: Bool) throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        // An agreements/ tree whose log holds an entry for the unsigned v2.
        let entry = try repo.activationEntry(2)
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self) + entry
        let script = """
            set -euo pipefail
            R0=$(git rev-parse HEAD)
            F=agreements/acme-sales-marketing
            LOG=$(printf '%s' "$EVIL_LOG" | git hash-object -w --stdin)
            FT=$(git ls-tree $R0:$F | sed "s/$(git rev-parse $R0:$F/activations.yaml)/$LOG/" | git mktree)
            EVIL=$(git ls-tree $R0:agreements | sed "s/$(git rev-parse $R0:$F)/$FT/" | git mktree)
            REAL=$(git rev-parse $R0:agreements)
            raw() { printf "$(echo $1 | sed 's/../\\\\x&/g')"; }
            if [ "$EVIL_FIRST" = 1 ]; then A=$EVIL; B=$REAL; else A=$REAL; B=$EVIL; fi
            ROOT=$( (printf '40000 agreements\\0'; raw $A; printf '40000 agreements\\0'; raw $B) | git hash-object -t tree -w --stdin --literally)
            C=$(git commit-tree $ROOT -p $R0 -m dup-root)
            git update-ref refs/heads/main $C
            echo $C
            """
        let made = try repo.box.run(
            "/bin/bash", ["-c", script], environment: ["EVIL_FIRST": evilFirst ? "1" : "0", "EVIL_LOG": log])
        try #require(made.status == 0, "\(made)")
        let commit = made.stdout.trimmed
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("commit \(commit.prefix(7))"), "\(verify)")
        #expect(verify.stderr.contains("root tree"), "\(verify)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test(
        "an entry whose mode is none of git's (git reads 120755 as a symlink, libgit2 as a file) is a fault",
        arguments: [
            ("120755", "versions/v1.yaml"), ("140000", "versions/v1.yaml"), ("100664", "versions/v1.yaml"),
            ("120755", "activations.yaml"), ("100600", "signatures/v1/soren@acme.dk.sig"), ("40755", "versions"),
            ("40755", ""),
        ])
    func unusualMode(_ mode: String, _ path: String) throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let entry = path.isEmpty ? "agreements" : "agreements/acme-sales-marketing/\(path)"
        let commit = try repo.box.commitWithMode(mode, at: entry)
        try repo.expectFault(naming: commit, "mode \(mode)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("a first commit whose agreements folder has mode 40755 (a folder to git, none to libgit2) faults what git shows in it")
    func unusualRootModeInFirstCommit() throws {
        let box = try Sandbox()
        try box.initRepository()
        try box.write(
            "- version: 1\n  sha256: 00\n  activated_at: 2026-12-01\n  activated_by: m@x\n", to: "agreements/hidden/activations.yaml")
        try box.git("add", "-A")
        try box.git("-c", "core.hooksPath=/dev/null", "commit", "-qm", "first")
        try box.commitWithMode("40755", at: "agreements")
        let root = try box.git("commit-tree", "HEAD^{tree}", "-m", "one commit, the folder in mode 40755").trimmed
        try box.git("update-ref", "HEAD", root)
        let verify = try box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("mode 40755") && verify.stdout.contains("1 agreement,"), "\(verify)")
        let status = try box.sla("status", "--format", "json")
        #expect(status.stdout.contains("\"hidden\"") && status.stdout.contains("\"faulted\""), "\(status)")
    }

    @Test("a folder under agreements/ that is not named like an agreement is no agreement, and verify says so")
    func lookalikeFolder() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        // An upper-case lookalike holding a hand-written entry: never an agreement, never in force.
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self) + (try repo.activationEntry(1))
        try repo.commitWithGit(log, to: "agreements/ACME-sales-marketing/activations.yaml", message: "lookalike")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stderr.contains("warning: agreements/ACME-sales-marketing is not an agreement id"), "\(verify)")
        let json = try repo.box.sla("verify", "--format", "json")
        #expect(json.stdout.contains("\"ignored\""), "\(json)")
        #expect(try repo.inForce() == "v1")
    }

    @Test("a tag under sla/ID/ that is not shaped vN names no version and is ignored")
    func malformedTagName() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.box.git("tag", "sla/acme-sales-marketing/v01")
        try repo.box.git("tag", "sla/acme-sales-marketing/v99999999999999999999")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
    }

    @Test("a version tag moved to a commit without that version is a fault; a rewound branch is judged as the history it is")
    func movedTagAndRewoundBranch() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
        // Rewound to before the activation: nothing is in force there, whatever the cache says.
        let activated = try repo.head()
        try repo.box.git("reset", "-q", "--hard", "HEAD~1")
        #expect(try repo.inForce() == "none")
        #expect(try repo.box.sla("verify").status == 0)
        try repo.box.git("reset", "-q", "--hard", activated)
        #expect(try repo.inForce() == "v1")
        // v2 proposed, then its tag moved by hand onto v1's proposal, which has no v2.
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        let v1Commit = try repo.box.git("rev-list", "-n", "1", "sla/acme-sales-marketing/v1").trimmed
        try repo.box.git("tag", "-f", "-a", "-m", "moved", "sla/acme-sales-marketing/v2", v1Commit)
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("refs/tags/sla/acme-sales-marketing/v2"), "\(verify)")
        #expect(try repo.inForce() == "faulted")
    }

    // MARK: Controls: what honest teams do must pass.

    @Test("two people signing at once on two branches, merged either way", arguments: [false, true])
    func concurrentSigning(reverse: Bool) throws {
        let repo = try SignedRepository()
        try repo.box.git("branch", "other")
        #expect(try repo.sign(repo.mette).status == 0)
        try repo.box.git("checkout", "-q", "other")
        #expect(try repo.sign(repo.soren).status == 0)
        if reverse {
            try repo.box.git("merge", "-q", "--no-edit", "main")
        } else {
            try repo.box.git("checkout", "-q", "main")
            try repo.box.git("merge", "-q", "--no-edit", "other")
        }
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
    }

    @Test("one person signing on two laptops: the merge keeps either file")
    func sameSignerTwice() throws {
        let repo = try SignedRepository()
        try repo.box.git("branch", "laptop")
        #expect(try repo.sign(repo.mette).status == 0)
        try repo.box.git("checkout", "-q", "laptop")
        try repo.commitWithGit(
            try repo.sshKeygenSignatureFile(
                try repo.message(version: 1, party: "marketing", signer: "mette@acme.dk").replacingOccurrences(
                    of: "09:00:00", with: "10:00:00"),
                key: repo.mette), to: SignedRepository.signature(1, "mette@acme.dk"), message: "signed on the laptop")
        try repo.box.git("checkout", "-q", "main")
        let merge = try repo.box.gitResult("merge", "-q", "--no-edit", "laptop")
        #expect(merge.status != 0)  // add/add conflict: the person keeps one of the two
        try repo.box.git("checkout", "--theirs", SignedRepository.signature(1, "mette@acme.dk"))
        try repo.box.git("add", SignedRepository.signature(1, "mette@acme.dk"))
        try repo.box.git("commit", "-q", "--no-edit")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
    }

    @Test("an activation that arrives as a merge's second parent counts")
    func activationThroughMerge() throws {
        let repo = try SignedRepository()
        try repo.box.git("checkout", "-q", "-b", "feature")
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.box.git("checkout", "-q", "main")
        try repo.commitWithGit("notes\n", to: "NOTES.txt", message: "unrelated")
        try repo.box.git("merge", "-q", "--no-ff", "--no-edit", "feature")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(try repo.inForce() == "v1")
        let log = try repo.box.sla("log", SignedRepository.id)
        #expect(log.stdout.components(separatedBy: "activated v1").count == 2, "listed once: \(log.stdout)")
    }

    @Test("a log of six entries, read back from the ledger cache with its earlier entries undecoded: attacks on it are still faults")
    func longLogFromCache() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        for n in 2...6 {
            try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: \(38 + n)", with: "sql_per_month: \(39 + n)") }
            try repo.signBoth("v\(n)")
            try #require(try repo.activate("v\(n)").status == 0)
        }
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 45", with: "sql_per_month: 46") }
        // The cache now holds six entries: the first two stay bytes until one is asked for.
        #expect(try repo.inForce() == "v6")
        let good = try repo.head()
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        let attacks: [(String, String, String)] = [
            ("an entry for the unsigned v7 appended", log + (try repo.activationEntry(7)), "v7"),
            (
                "the first entry's date changed",
                log.replacingOccurrences(of: "activated_at: 2026-12-01", with: "activated_at: 2026-11-30"), "append-only"
            ),
            (
                "the second entry removed",
                log.components(separatedBy: "- version: ").enumerated().filter { $0.offset != 2 }.map(\.element)
                    .joined(separator: "- version: "), "append-only"
            ),
        ]
        for (what, text, fragment) in attacks {
            try repo.commitWithGit(text, to: repo.activationsPath, message: what)
            let attack = try repo.head()
            #expect(try repo.inForce() == "faulted", "\(what)")
            try repo.expectFault(naming: attack, fragment)
            try repo.box.git("reset", "-q", "--hard", good)
            #expect(try repo.inForce() == "v6", "after undoing: \(what)")
        }
        // A merge that keeps the tree of three activations ago, with main as either parent.
        let old = try repo.box.git("rev-list", "-n", "1", "--skip", "3", "HEAD", "--", repo.activationsPath).trimmed
        for parents in [[good, old], [old, good]] {
            let merge = try repo.mergeKeeping(tree: old, parents: parents)
            #expect(try repo.inForce() == "faulted")
            try repo.expectFault(naming: merge, "append-only")
            try repo.box.git("reset", "-q", "--hard", good)
        }
        // The honest control: v7 signed and activated on top of the cached state.
        try repo.signBoth("v7")
        #expect(try repo.activate("v7", today: "2026-12-02").status == 0)
        #expect(try repo.inForce() == "v7")
        #expect(try repo.box.sla("verify").status == 0)
    }

    /// v1 signed and activated; v2 gives Søren a new key and is signed by Mette and the new
    /// key only (the old key has not approved it). Returns the new key and the old key's line.
    static func rotatedSorensKey() throws -> (SignedRepository, newKey: URL, oldLine: String) {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let newKey = try repo.box.makeKey("soren-new")
        let old = try repo.box.publicKeyLine(repo.soren)
        let new = try repo.box.publicKeyLine(newKey)
        try repo.proposeRevision { $0.replacingOccurrences(of: old, with: new) }
        #expect(try repo.sign(repo.mette, "v2").status == 0)
        #expect(try repo.sign(newKey, "v2").status == 0)
        return (repo, newKey, old)
    }

    @Test("a legitimate key rotation: the old key approves the new one, and v2 comes into force")
    func keyRotation() throws {
        let (repo, _, _) = try Self.rotatedSorensKey()
        let refused = try repo.activate("v2", today: "2026-12-02")
        #expect(refused.status == 1, "the old key has not approved yet: \(refused)")
        #expect(try repo.sign(repo.soren, "v2").status == 0)
        let activated = try repo.activate("v2", today: "2026-12-02")
        #expect(activated.status == 0, "\(activated)")
        #expect(try repo.inForce() == "v2")
        #expect(try repo.box.sla("verify").status == 0)
    }

    @Test("a version never activated, older than the one in force, is judged against the activation below it")
    func olderVersionJudgedAgainstItsOwnA() throws {
        // v2 rotates Søren's key; only the new keys sign it, and it is never activated.
        let (repo, newKey, old) = try Self.rotatedSorensKey()
        // v3 keeps v2's keys, and Søren's old key approves it too: v3 comes into force.
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        for key in [repo.mette, newKey, repo.soren] { #expect(try repo.sign(key, "v3").status == 0) }
        #expect(try repo.activate("v3", today: "2026-12-02").status == 0)
        // For v2, A is v1 (its signing policy differs), not v3 (the same as v2's): the old key
        // is among the keys that count for v2, and v2 lacks its approval.
        let allowed = try repo.box.sla("allowed-signers", SignedRepository.id, "v2")
        #expect(allowed.status == 0 && allowed.stdout.contains(old), "\(allowed)")
        let document = try repo.box.sla("render", SignedRepository.id, "v2", "--format", "markdown", "--lang", "en")
        #expect(document.stdout.contains("Still to sign: Søren"), "\(document)")
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
