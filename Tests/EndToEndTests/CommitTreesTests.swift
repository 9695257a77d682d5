import Foundation
import GitKit
import Testing

@testable import SLAKit

/// What the check of one commit reads of its trees (`CommitTrees`) must not depend on which
/// earlier reading of a folder it reuses, and a ledger resumed from an ancestor's must equal one
/// folded from the start, on histories plain git makes: merges keeping one side, strays, deleted
/// signatures, a second agreement, a folder listing a name twice.
@Suite("Reading a commit's trees")
struct CommitTreesTests {
    /// A history of about twenty commits with a little of everything; returns the repository.
    static func variedHistory() throws -> SignedRepository {
        let repo = try SignedRepository()
        for (branch, key) in [("a", repo.mette), ("b", repo.soren)] {
            try repo.box.git("checkout", "-q", "-b", branch, "main")
            try #require(try repo.sign(key).status == 0)
            try repo.box.git("checkout", "-q", "main")
        }
        try repo.box.git("merge", "-q", "--no-edit", "a")
        try repo.box.git("merge", "-q", "--no-edit", "b")
        try #require(try repo.activate().status == 0)
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try #require(try repo.sign(repo.mette, "v2").status == 0)
        // A side branch adds a stray; main gets Søren's signature; the merge keeps main's tree.
        try repo.box.git("checkout", "-q", "-b", "side", "main")
        try repo.commitWithGit("notes\n", to: "agreements/acme-sales-marketing/notes.txt", message: "a stray")
        try repo.box.git("checkout", "-q", "main")
        try #require(try repo.sign(repo.soren, "v2").status == 0)
        let main = try repo.head()
        let side = try repo.box.git("rev-parse", "side").trimmed
        _ = try repo.mergeKeeping(tree: main, parents: [main, side])
        // A copy of the agreement under another name (its versions name another id) and a
        // deleted signature.
        try repo.box.git("read-tree", "--prefix=agreements/copy-of-acme/", "HEAD:agreements/acme-sales-marketing")
        try repo.box.git("checkout", "--", "agreements/copy-of-acme")
        try repo.box.git("commit", "-qm", "copy")
        try repo.removeSignatureWithGit("mette@acme.dk", version: 2)
        // signatures/v1 listing one file twice, then listed properly again: the proper listing
        // must not depend on the malformed one read before it.
        let folder = "agreements/acme-sales-marketing/signatures/v1"
        let script = """
            set -euo pipefail
            R0=$(git rev-parse HEAD)
            raw() { printf "$(echo $1 | sed 's/../\\\\x&/g')"; }
            M=$(git rev-parse $R0:\(folder)/mette@acme.dk.sig)
            S=$(git rev-parse $R0:\(folder)/soren@acme.dk.sig)
            DUP=$( (printf '100644 mette@acme.dk.sig\\0'; raw $M; printf '100644 mette@acme.dk.sig\\0'; raw $S; \
                printf '100644 soren@acme.dk.sig\\0'; raw $S) | git hash-object -t tree -w --stdin --literally)
            replace() { # commit path-of-folder new-tree -> new root tree, rebuilt upwards
                local commit=$1 path=$2 tree=$3
                while [ "$path" != "." ]; do
                    local parent=$(dirname $path) name=$(basename $path)
                    local listing=$(if [ "$parent" = "." ]; then git ls-tree $commit; else git ls-tree $commit:$parent; fi)
                    tree=$(echo "$listing" | awk -v n="$name" -v t="$tree" 'BEGIN{FS=OFS="\\t"} $2==n {split($1,a," "); $1=a[1]" "a[2]" "t} {print}' | git mktree)
                    path=$parent
                done
                echo $tree
            }
            T1=$(replace $R0 \(folder) $DUP)
            C1=$(git commit-tree $T1 -p $R0 -m dup)
            C2=$(git commit-tree $R0^{tree} -p $C1 -m fixed)
            git update-ref refs/heads/main $C2
            git reset -q --hard $C2
            """
        let made = try repo.box.run("/bin/bash", ["-c", script])
        try #require(made.status == 0, "\(made)")
        try #require(try repo.box.git("ls-tree", "HEAD~1:\(folder)").components(separatedBy: "mette@acme.dk.sig").count == 3)
        return repo
    }

    static func open(_ repo: SignedRepository) throws -> Repository {
        try Repository.open(containing: repo.box.repo.path)
    }

    @Test("each commit reads the same whichever earlier reading of a folder it reuses (a malformed one included)")
    func readingIndependentOfReuse() throws {
        let repo = try Self.variedHistory()
        let git = try Self.open(repo)
        let head = try #require(try git.headCommit())
        let commits = try git.commitsParentsFirst(from: head)
        #expect(commits.count >= 15)
        var trees: [ObjectID: ObjectID?] = [:]
        // The last reading of each folder, whichever commit it was (the fold reuses a parent's).
        var last: [String: AgreementFiles] = [:]
        var malformedSeen = false
        var reused = 0
        for commit in commits {
            let parentTrees = commit.parents.isEmpty ? [nil] : commit.parents.map { trees[$0]! }
            let patched = try CommitTrees.read(commit, parentTrees: parentTrees, objects: git) { last[$0] }
            let fresh = try CommitTrees.read(commit, parentTrees: parentTrees, objects: git) { _ in nil }
            #expect(patched == fresh, "commit \(commit.id.short): an earlier reading changed the result")
            trees[commit.id] = fresh.agreementsTree
            reused += patched.folders.keys.filter { last[$0] != nil }.count
            for (name, files) in fresh.folders {
                last[name] = files
                malformedSeen = malformedSeen || files.strays.keys.contains { $0.hasSuffix("#malformed") }
            }
        }
        #expect(malformedSeen, "the history should hold a malformed signature folder")
        #expect(reused >= 10)
    }

    @Test("a ledger resumed from an ancestor's equals one folded from the start, faults in the same order")
    func resumedLedgerMatches() throws {
        let repo = try Self.variedHistory()
        let head = try #require(try Self.open(repo).headCommit())
        let plain = try Ledger.build(git: try Self.open(repo), commit: head, trustCache: false, writeCache: false)
        #expect(plain.state.agreements.keys.sorted() == ["acme-sales-marketing", "copy-of-acme"])
        #expect(!(plain.state.agreements["acme-sales-marketing"]?.faults.isEmpty ?? true))
        #expect((plain.state.agreements["copy-of-acme"]?.faults.count ?? 0) > 3)
        for back in [1, 3, 6, 9] {
            let git = try Self.open(repo)
            let ancestor = try #require(try git.resolveCommit("HEAD~\(back)"))
            let start = try Ledger.build(git: git, commit: ancestor, trustCache: false, writeCache: false)
            let resumed = try Ledger.build(git: git, commit: head, trustCache: false, writeCache: false, previous: start)
            let after = Int(try repo.box.git("rev-list", "--count", "\(ancestor.hex)..HEAD").trimmed)
            #expect(resumed.commitsChecked == after, "HEAD~\(back)")
            #expect(resumed.state == plain.state, "HEAD~\(back)")
            for id in plain.state.agreements.keys {
                #expect(resumed.events[id] == plain.events[id], "HEAD~\(back): \(id)")
            }
        }
    }
}
