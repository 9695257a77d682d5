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
            # The agreement's folder listing versions/ twice (the first holding a v9.yaml), then
            # signatures/ listing v1 twice; each followed by the proper tree again.
            lit() { # "mode name id" lines -> a tree written as given (no sorting, no check)
                while read -r mode name id; do printf '%s %s\\0' "$mode" "$name"; raw $id; done \\
                    | git hash-object -t tree -w --stdin --literally
            }
            F=agreements/acme-sales-marketing
            VA=$(echo "100644 v9.yaml $(git rev-parse $R0:$F/versions/v1.yaml)" | lit)
            FOLD=$(printf '100644 activations.yaml %s\\n40000 signatures %s\\n40000 versions %s\\n40000 versions %s\\n' \\
                $(git rev-parse $R0:$F/activations.yaml) $(git rev-parse $R0:$F/signatures) $VA $(git rev-parse $R0:$F/versions) | lit)
            C3=$(git commit-tree $(replace $C2 $F $FOLD) -p $C2 -m dup-versions)
            C4=$(git commit-tree $R0^{tree} -p $C3 -m fixed-versions)
            SA=$(echo "100644 mette@acme.dk.sig $M" | lit)
            SIGS=$(printf '40000 v1 %s\\n40000 v1 %s\\n40000 v2 %s\\n' $SA $(git rev-parse $R0:$F/signatures/v1) \\
                $(git rev-parse $R0:$F/signatures/v2) | lit)
            C5=$(git commit-tree $(replace $C4 $F/signatures $SIGS) -p $C4 -m dup-signature-folders)
            C6=$(git commit-tree $R0^{tree} -p $C5 -m fixed-signatures)
            git update-ref refs/heads/main $C6
            git reset -q --hard $C6
            """
        let made = try repo.box.run("/bin/bash", ["-c", script])
        try #require(made.status == 0, "\(made)")
        try #require(try repo.box.git("ls-tree", "HEAD~5:\(folder)").components(separatedBy: "mette@acme.dk.sig").count == 3)
        try #require(try repo.box.git("ls-tree", "HEAD~3:agreements/acme-sales-marketing").components(separatedBy: "\tversions").count == 3)
        try #require(
            try repo.box.git("ls-tree", "HEAD~1:agreements/acme-sales-marketing/signatures").components(separatedBy: "\tv1").count == 3)
        return repo
    }

    /// The repository as an object reader that counts how often two trees are compared.
    final class CountingReader: ObjectReader {
        let git: Repository
        var comparisons = 0
        init(_ git: Repository) { self.git = git }
        func treeEntries(_ tree: ObjectID) throws -> [TreeEntry] { try git.treeEntries(tree) }
        func treeEntry(named name: String, in tree: ObjectID) throws -> TreeEntry? { try git.treeEntry(named: name, in: tree) }
        func malformedNames(inTree tree: ObjectID) throws -> [String] { try git.malformedNames(inTree: tree) }
        func blob(_ id: ObjectID) throws -> Data { try git.blob(id) }
        func entryChanges(from old: ObjectID?, to new: ObjectID?) throws -> [TreeEntryChange] {
            comparisons += 1
            return try git.entryChanges(from: old, to: new)
        }
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
        let patching = CountingReader(git)
        let reading = CountingReader(git)
        for commit in commits {
            let parentTrees = commit.parents.isEmpty ? [nil] : commit.parents.map { trees[$0]! }
            let patched = try CommitTrees.read(commit, parentTrees: parentTrees, objects: patching) { last[$0] }
            let fresh = try CommitTrees.read(commit, parentTrees: parentTrees, objects: reading) { _ in nil }
            #expect(patched == fresh, "commit \(commit.id.short): an earlier reading changed the result")
            trees[commit.id] = fresh.agreementsTree
            for (name, files) in fresh.folders {
                last[name] = files
                malformedSeen = malformedSeen || files.strays.keys.contains { $0.hasSuffix("#malformed") }
            }
        }
        #expect(malformedSeen, "the history should hold a malformed signature folder")
        // Signature folders were patched from earlier readings (each patch compares two trees).
        #expect(patching.comparisons - reading.comparisons >= 5, "\(patching.comparisons) against \(reading.comparisons)")
    }

    @Test("a ledger resumed from an ancestor's equals one folded from the start")
    func resumedLedgerMatches() throws {
        let repo = try Self.variedHistory()
        let head = try #require(try Self.open(repo).headCommit())
        let plain = try Ledger.build(git: try Self.open(repo), commit: head, trustCache: false, writeCache: false)
        #expect(plain.state.agreements.keys.sorted() == ["acme-sales-marketing", "copy-of-acme"])
        #expect(!(plain.state.agreements["acme-sales-marketing"]?.faults.isEmpty ?? true))
        #expect((plain.state.agreements["copy-of-acme"]?.faults.count ?? 0) > 3)
        // HEAD~9 is the first parent of the merge that brought the side branch: the side
        // branch's commit has a parent behind it, so everything is folded again (by design).
        for back in [1, 3, 5, 7, 9] {
            let git = try Self.open(repo)
            let ancestor = try #require(try git.resolveCommit("HEAD~\(back)"))
            let start = try Ledger.build(git: git, commit: ancestor, trustCache: false, writeCache: false)
            let resumed = try Ledger.build(git: git, commit: head, trustCache: false, writeCache: false, previous: start)
            let after = Int(try repo.box.git("rev-list", "--count", "\(ancestor.hex)..HEAD").trimmed)
            #expect(resumed.commitsChecked == (back == 9 ? plain.commitsChecked : after), "HEAD~\(back)")
            // The same state; faults found by the checks run at the end of a fold (new files)
            // join the list there, so their place in it depends on where the fold began.
            #expect(resumed.state.agreements.keys.sorted() == plain.state.agreements.keys.sorted(), "HEAD~\(back)")
            for id in plain.state.agreements.keys {
                let a = try #require(plain.state.agreements[id])
                let b = try #require(resumed.state.agreements[id])
                #expect(a.files == b.files && a.entries == b.entries && a.versionCommits == b.versionCommits, "HEAD~\(back): \(id)")
                #expect(Set(a.faults.map(\.description)) == Set(b.faults.map(\.description)), "HEAD~\(back): \(id)")
                #expect(a.faults.count == b.faults.count, "HEAD~\(back): \(id)")
            }
            for id in plain.state.agreements.keys {
                #expect(resumed.events[id] == plain.events[id], "HEAD~\(back): \(id)")
            }
        }
    }
}
