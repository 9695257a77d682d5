import Foundation
import Testing

@testable import GitKit

let bot = GitSignature(name: "SLA Bot", email: "bot@example.com", time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 60)

/// A work-tree repository at `tmp` with one commit (via the git CLI) holding `files`.
func repositoryWithCommit(_ tmp: TemporaryDirectory, files: [String: String]) throws -> (Repository, ObjectID) {
    try git("init", "-q", in: tmp.path)
    for (path, text) in files { try tmp.write(path, text) }
    try git("add", "-A", in: tmp.path)
    try git("commit", "-q", "-m", "initial", in: tmp.path)
    let repo = try Repository.open(containing: tmp.path)
    return (repo, try #require(try repo.headCommit()))
}

func data(_ text: String) -> Data { Data(text.utf8) }

func expectCleanAndValid(_ tmp: TemporaryDirectory) throws {
    // diff-files does not refresh the index first: empty means our index entries (ids and stat data) match the files.
    #expect(try git("diff-files", "--name-only", in: tmp.path) == "")
    #expect(try git("status", "--porcelain", "--untracked-files=all", in: tmp.path) == "")
    try git("fsck", "--strict", "--no-progress", in: tmp.path)
}

@Suite("Opening and initialising")
struct OpeningTests {
    @Test func initialiseWorkTree() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.url("new/repo"), bare: false)
        #expect(!repo.isBare)
        #expect(repo.workDirectory == tmp.url("new/repo"))
        #expect(repo.gitDirectory == tmp.url("new/repo/.git"))
        #expect(try repo.headCommit() == nil)
        #expect(try repo.headBranch() == "refs/heads/main")
        #expect(try repo.headTree() == nil)
        #expect(try git("rev-parse", "--is-bare-repository", in: tmp.url("new/repo")) == "false")
        #expect(try git("symbolic-ref", "HEAD", in: tmp.url("new/repo")) == "refs/heads/main")
    }

    @Test func initialiseBare() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.url("repo.git"), bare: true)
        #expect(repo.isBare)
        #expect(repo.workDirectory == nil)
        #expect(repo.gitDirectory == tmp.url("repo.git"))
        #expect(try repo.headBranch() == "refs/heads/main")
        #expect(try repo.uncommittedPaths(["x"]) == [])
        #expect(try git("rev-parse", "--is-bare-repository", in: tmp.url("repo.git")) == "true")
    }

    @Test func initialiseOpensAnExistingRepository() throws {
        let tmp = try TemporaryDirectory()
        let (_, head) = try repositoryWithCommit(tmp, files: ["a": "1\n"])
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        #expect(try repo.headCommit() == head)
    }

    @Test func openFromSubdirectory() throws {
        let tmp = try TemporaryDirectory()
        let (_, head) = try repositoryWithCommit(tmp, files: ["sla/acme.yaml": "a\n"])
        let repo = try Repository.open(containing: tmp.url("sla"))
        #expect(repo.workDirectory == tmp.path)
        #expect(try repo.headCommit() == head)
        #expect(try repo.reference("refs/heads/main") == head)
        #expect(try repo.reference("refs/heads/nope") == nil)
    }

    @Test func openBareByPath() throws {
        let tmp = try TemporaryDirectory()
        try git("init", "-q", "--bare", "r.git", in: tmp.path)
        let repo = try Repository.open(containing: tmp.url("r.git"))
        #expect(repo.isBare)
    }

    @Test func openNonRepositoryGivesClearError() throws {
        let tmp = try TemporaryDirectory()
        let error = try #require(throws: GitError.self) { try Repository.open(containing: tmp.path) }
        #expect(error.isNotFound)
        #expect(error.function == "git_repository_open_ext")
        #expect(error.description.contains(tmp.path))
        #expect(error.description.contains("git init"))
    }
}

@Suite("Committing changes")
struct CommitTests {
    @Test func commitOnUnbornBranch() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        let id = try repo.commit(
            changes: ["sla/acme/agreement.yaml": .write(data("name: acme\n")), "README": .write(data("hi\n"))],
            message: "Add acme\n\nFirst SLA.\n", author: bot, committer: bot)
        #expect(try repo.headCommit() == id)
        #expect(try git("rev-parse", "HEAD", in: tmp.path) == id.hex)
        try expectCleanAndValid(tmp)
        #expect(try git("log", "--format=%an <%ae>|%s|%at", in: tmp.path) == "SLA Bot <bot@example.com>|Add acme|1700000000")
        #expect(tmp.read("sla/acme/agreement.yaml") == "name: acme\n")

        let info = try repo.commit(id)
        #expect(info.parents == [])
        #expect(info.author == bot)
        #expect(info.committer == bot)
        #expect(info.message == "Add acme\n\nFirst SLA.\n")
        #expect(info.summary == "Add acme")
        #expect(try repo.headTree() == info.tree)
    }

    @Test func commitOnTopOfHistory() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["README": "hi\n", "sla/a.yaml": "a: 1\n"])
        let id = try repo.commit(
            changes: ["sla/a.yaml": .write(data("a: 2\n")), "sla/deep/b.yaml": .write(data("b\n"))],
            message: "Update", author: bot, committer: bot)
        #expect(try repo.commit(id).parents == [first])
        try expectCleanAndValid(tmp)
        #expect(try git("log", "--format=%s", in: tmp.path) == "Update\ninitial")
        #expect(try git("diff", "--name-status", "HEAD~1", "HEAD", in: tmp.path) == "M\tsla/a.yaml\nA\tsla/deep/b.yaml")
        #expect(try git("show", "HEAD:sla/a.yaml", in: tmp.path) == "a: 2")
        #expect(try repo.file(at: "sla/deep/b.yaml", inCommit: id) == data("b\n"))
    }

    @Test func commitBesideUsersStagedAndUnstagedWork() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["staged.txt": "s0\n", "unstaged.txt": "u0\n", "ours.txt": "o0\n"])
        try tmp.write("staged.txt", "s1\n")
        try git("add", "staged.txt", in: tmp.path)
        try tmp.write("unstaged.txt", "u1\n")

        let id = try repo.commit(changes: ["ours.txt": .write(data("o1\n"))], message: "Ours", author: bot, committer: bot)

        #expect(try git("diff", "--cached", "--name-only", in: tmp.path) == "staged.txt")
        #expect(try git("diff", "--name-only", in: tmp.path) == "unstaged.txt")
        #expect(try git("status", "--porcelain", in: tmp.path) == "M  staged.txt\n M unstaged.txt")
        #expect(tmp.read("staged.txt") == "s1\n")
        #expect(tmp.read("unstaged.txt") == "u1\n")
        #expect(try git("show", ":staged.txt", in: tmp.path) == "s1")
        // The commit holds only our change on top of the old HEAD.
        #expect(try git("diff", "--name-only", first.hex, id.hex, in: tmp.path) == "ours.txt")
        #expect(try repo.file(at: "staged.txt", inCommit: id) == data("s0\n"))
        try git("fsck", "--strict", "--no-progress", in: tmp.path)
    }

    @Test func deleteFileRemovesEmptiedDirectories() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(tmp, files: ["keep.txt": "k\n", "sla/acme/x.yaml": "x\n", "sla/other.yaml": "o\n"])
        let id = try repo.commit(
            changes: ["sla/acme/x.yaml": .delete, "never/existed.txt": .delete],
            message: "Remove acme", author: bot, committer: bot)
        #expect(!tmp.exists("sla/acme"))
        #expect(tmp.exists("sla/other.yaml"))
        try expectCleanAndValid(tmp)
        #expect(try repo.file(at: "sla/acme/x.yaml", inCommit: id) == nil)
        #expect(try git("diff", "--name-status", "HEAD~1", "HEAD", in: tmp.path) == "D\tsla/acme/x.yaml")
    }

    @Test func keepsExecutableBit() throws {
        let tmp = try TemporaryDirectory()
        try git("init", "-q", in: tmp.path)
        try tmp.write("run.sh", "echo 1\n")
        try git("update-index", "--add", "--chmod=+x", "run.sh", in: tmp.path)
        try git("checkout", "--", "run.sh", in: tmp.path)
        try git("commit", "-q", "-m", "exec", in: tmp.path)
        let repo = try Repository.open(containing: tmp.path)
        _ = try repo.commit(changes: ["run.sh": .write(data("echo 2\n"))], message: "Change", author: bot, committer: bot)
        #expect(try git("ls-tree", "HEAD", "run.sh", in: tmp.path).hasPrefix("100755 "))
        try expectCleanAndValid(tmp)
    }

    @Test func rejectsPathsOutsideTheWorkTree() throws {
        let tmp = try TemporaryDirectory()
        let (repo, head) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        for path in ["../evil", ".git/config", "/abs", "a//b", "", "x/./y"] {
            #expect(throws: GitError.self, "\(path)") {
                try repo.commit(changes: [path: .write(data("x"))], message: "bad", author: bot, committer: bot)
            }
        }
        #expect(try repo.headCommit() == head)
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/../evil"))
    }

    @Test func compareAndSwapRefusesWhenBranchMoved() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        // Someone else commits after we read HEAD.
        try tmp.write("b", "b\n")
        try git("add", "b", in: tmp.path)
        try git("commit", "-q", "-m", "theirs", in: tmp.path)
        let theirs = try #require(try repo.headCommit())

        let error = try #require(throws: GitError.self) {
            try repo.commit(changes: ["c": .write(data("c\n"))], message: "ours", author: bot, committer: bot, parent: first)
        }
        #expect(error.isConcurrentModification)
        #expect(error.description.contains("refs/heads/main"))
        #expect(try git("rev-parse", "HEAD", in: tmp.path) == theirs.hex)
        #expect(!tmp.exists("c"))
        try expectCleanAndValid(tmp)
    }

    @Test func unbornCompareAndSwapRefusesWhenBranchAppeared() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        try tmp.write("a", "a\n")
        try git("add", "a", in: tmp.path)
        try git("commit", "-q", "-m", "theirs", in: tmp.path)
        let theirs = try git("rev-parse", "HEAD", in: tmp.path)

        let error = try #require(throws: GitError.self) {
            try repo.commit(changes: ["c": .write(data("c\n"))], message: "ours", author: bot, committer: bot, parent: nil)
        }
        #expect(error.isAlreadyExists)
        #expect(try git("rev-parse", "HEAD", in: tmp.path) == theirs)
    }

    @Test func commitInBareRepository() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: true)
        let first = try repo.commit(changes: ["a": .write(data("1\n"))], message: "one", author: bot, committer: bot)
        let second = try repo.commit(changes: ["a": .delete, "b/c": .write(data("2\n"))], message: "two", author: bot, committer: bot)
        #expect(try repo.commit(second).parents == [first])
        #expect(try git("ls-tree", "-r", "--name-only", "main", in: tmp.path) == "b/c")
        try git("fsck", "--strict", "--no-progress", in: tmp.path)
    }
}

@Suite("Reading trees and history")
struct ReadingTests {
    @Test func filesAndFileReadBack() throws {
        let tmp = try TemporaryDirectory()
        let (repo, head) = try repositoryWithCommit(
            tmp,
            files: [
                "README": "r\n", "sla/a.yaml": "a\n", "sla/b/c.yaml": "c\n", "slab.txt": "not under sla/\n",
            ])
        let under = try repo.files(under: "sla", inCommit: head)
        #expect(Set(under.keys) == ["sla/a.yaml", "sla/b/c.yaml"])
        #expect(try repo.files(under: "sla/", inCommit: head) == under)
        #expect(try repo.files(under: "", inCommit: head).count == 4)
        #expect(try repo.files(under: "missing", inCommit: head) == [:])
        #expect(try repo.files(under: "README", inCommit: head) == [:])
        let tree = try repo.commit(head).tree
        #expect(try repo.files(under: "sla/b", inTree: tree) == ["sla/b/c.yaml": under["sla/b/c.yaml"]!])

        let id = try #require(try repo.fileID(at: "sla/b/c.yaml", inCommit: head))
        #expect(id.hex == (try git("rev-parse", "HEAD:sla/b/c.yaml", in: tmp.path)))
        #expect(try repo.blob(id) == data("c\n"))
        #expect(try repo.file(at: "sla/a.yaml", inCommit: head) == data("a\n"))
        #expect(try repo.file(at: "sla/nope.yaml", inCommit: head) == nil)
        #expect(try repo.file(at: "sla/b", inCommit: head) == nil)
    }

    @Test func changesBetweenCommits() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["sla/a": "a\n", "sla/b": "b\n", "other": "o\n"])
        let second = try repo.commit(
            changes: ["sla/a": .write(data("a2\n")), "sla/b": .delete, "sla/d/e": .write(data("e\n")), "other": .write(data("o2\n"))],
            message: "change", author: bot, committer: bot)
        let id = { (path: String, commit: ObjectID) in try repo.fileID(at: path, inCommit: commit) }

        let all = try repo.changes(from: first, to: second, under: nil)
        #expect(all.map(\.path) == ["other", "sla/a", "sla/b", "sla/d/e"])
        #expect(all[1] == TreeChange(path: "sla/a", kind: .modified, oldID: try id("sla/a", first), newID: try id("sla/a", second)))
        #expect(all[2] == TreeChange(path: "sla/b", kind: .deleted, oldID: try id("sla/b", first), newID: nil))
        #expect(all[3] == TreeChange(path: "sla/d/e", kind: .added, oldID: nil, newID: try id("sla/d/e", second)))

        let sla = try repo.changes(from: first, to: second, under: "sla/")
        #expect(sla.map(\.path) == ["sla/a", "sla/b", "sla/d/e"])
        #expect(try repo.changes(from: first, to: second, under: "sla/d").map(\.kind) == [.added])
        #expect(try repo.changes(from: first, to: second, under: "nowhere") == [])

        let fromEmpty = try repo.changes(from: nil, to: first, under: nil)
        #expect(fromEmpty.map(\.path) == ["other", "sla/a", "sla/b"])
        #expect(fromEmpty.allSatisfy { $0.kind == .added && $0.oldID == nil })
    }

    @Test func walkAncestryAndMergeBase() throws {
        let tmp = try TemporaryDirectory()
        let (repo, c1) = try repositoryWithCommit(tmp, files: ["a": "1\n"])
        let c2 = try repo.commit(changes: ["a": .write(data("2\n"))], message: "c2", author: bot, committer: bot)
        try git("branch", "side", in: tmp.path)
        let c3 = try repo.commit(changes: ["a": .write(data("3\n"))], message: "c3", author: bot, committer: bot)
        try git("checkout", "-q", "side", in: tmp.path)
        try tmp.write("s", "s\n")
        try git("add", "s", in: tmp.path)
        try git("commit", "-q", "-m", "side", in: tmp.path)
        let side = try #require(try repo.reference("refs/heads/side"))

        var seen: [ObjectID] = []
        try repo.walk(from: c3) {
            seen.append($0.id)
            return true
        }
        #expect(seen == [c3, c2, c1])
        seen = []
        try repo.walk(from: c3) {
            seen.append($0.id)
            return seen.count < 2
        }
        #expect(seen == [c3, c2])

        #expect(try repo.isDescendant(c3, of: c1))
        #expect(try repo.isDescendant(c2, of: c2))
        #expect(try !repo.isDescendant(c1, of: c3))
        #expect(try !repo.isDescendant(side, of: c3))
        #expect(try repo.mergeBase(side, c3) == c2)
        #expect(try repo.headBranch() == "refs/heads/side")
    }

    @Test func indexTreeAndHeadTree() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(tmp, files: ["a": "1\n"])
        #expect(try repo.headTree()?.hex == (try git("rev-parse", "HEAD^{tree}", in: tmp.path)))
        try tmp.write("b", "staged\n")
        try git("add", "b", in: tmp.path)
        #expect(try repo.indexTree().hex == (try git("write-tree", in: tmp.path)))
        #expect(try repo.indexTree() != repo.headTree())
    }

    @Test func missingObjectsThrowNotFoundWithTheFunctionName() throws {
        let tmp = try TemporaryDirectory()
        let (repo, head) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        let missing = try #require(ObjectID(hex: String(repeating: "1", count: 40)))
        let error = try #require(throws: GitError.self) { try repo.blob(missing) }
        #expect(error.isNotFound)
        #expect(error.function == "git_blob_lookup")
        #expect(!error.message.isEmpty)
        #expect(error.description.contains(missing.hex))
        #expect(throws: GitError.self) { try repo.commit(missing) }
        // A commit id is not a blob.
        #expect(throws: GitError.self) { try repo.blob(head) }
    }

    @Test func objectIDParsing() {
        #expect(ObjectID(hex: String(repeating: "A", count: 40))?.hex == String(repeating: "a", count: 40))
        #expect(ObjectID(hex: String(repeating: "a", count: 39)) == nil)
        #expect(ObjectID(hex: String(repeating: "g", count: 40)) == nil)
        #expect(ObjectID(hex: String(repeating: "0", count: 40))! < ObjectID(hex: String(repeating: "1", count: 40))!)
    }
}

@Suite("Status, config and tags")
struct StatusConfigTagTests {
    @Test func uncommittedPathsDetectsEveryKindOfChange() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(
            tmp, files: ["clean": "c\n", "staged": "s\n", "unstaged": "u\n", "deleted": "d\n", "dir/x": "x\n"])
        try tmp.write("staged", "s2\n")
        try git("add", "staged", in: tmp.path)
        try tmp.write("unstaged", "u2\n")
        try tmp.write("untracked", "n\n")
        try FileManager.default.removeItem(atPath: tmp.url("deleted"))
        try tmp.write("newdir/y", "y\n")
        let paths = ["clean", "staged", "unstaged", "untracked", "deleted", "absent", "dir/x", "newdir"]
        #expect(try repo.uncommittedPaths(paths) == ["staged", "unstaged", "untracked", "deleted", "newdir"])
    }

    @Test func configReadAndWrite() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        #expect(try repo.config("sla.test") == nil)
        try repo.setConfig("sla.test", "value one")
        #expect(try repo.config("sla.test") == "value one")
        #expect(try git("config", "--local", "sla.test", in: tmp.path) == "value one")
    }

    @Test func identityFromLocalConfig() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        try repo.setConfig("user.name", "Local Name")
        try repo.setConfig("user.email", "local@example.com")
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        let identity = try repo.identity(at: time)
        #expect(identity.name == "Local Name")
        #expect(identity.email == "local@example.com")
        #expect(identity.time == time)
        #expect(identity.offsetMinutes == TimeZone.current.secondsFromGMT(for: time) / 60)
    }

    @Test func identityWithEmptyNameIsAClearError() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        try repo.setConfig("user.name", "")  // overrides whatever the machine's global config says
        let error = try #require(throws: GitError.self) { try repo.identity(at: Date()) }
        #expect(error.isNotFound)
        #expect(error.description.contains("user.name"))
        #expect(error.description.contains("git config --global user.name"))
    }

    /// No user.name anywhere: the repository sees only its own config and a global file in an
    /// isolated HOME (per handle, so parallel tests are unaffected).
    @Test func identityMissingInIsolatedHome() throws {
        let tmp = try TemporaryDirectory()
        let home = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: false)
        try repo.isolateConfig(globalFile: home.url(".gitconfig"))
        let error = try #require(throws: GitError.self) { try repo.identity(at: Date()) }
        #expect(error.isNotFound)
        #expect(error.description.contains("user.name"))
        #expect(error.description.contains("git config --global user.name"))

        // The global file is really consulted: once it has the keys, identity works.
        try home.write(".gitconfig", "[user]\n\tname = Home Name\n\temail = home@example.com\n")
        let reopened = try Repository.open(containing: tmp.path)
        try reopened.isolateConfig(globalFile: home.url(".gitconfig"))
        #expect(try reopened.identity(at: Date()).name == "Home Name")

        try home.write(".gitconfig", "[user]\n\tname = Home Name\n")
        let noEmail = try Repository.open(containing: tmp.path)
        try noEmail.isolateConfig(globalFile: home.url(".gitconfig"))
        let emailError = try #require(throws: GitError.self) { try noEmail.identity(at: Date()) }
        #expect(emailError.description.contains("user.email"))
    }

    @Test func annotatedTagCreatedOnceAndNeverMoved() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        try repo.createAnnotatedTag(name: "sla/acme/v1", target: first, message: "Acme v1 signed\n", tagger: bot)

        #expect(try git("cat-file", "-t", "sla/acme/v1", in: tmp.path) == "tag")
        #expect(try git("tag", "-n", "-l", "sla/acme/v1", in: tmp.path).contains("Acme v1 signed"))
        #expect(try git("rev-parse", "sla/acme/v1^{commit}", in: tmp.path) == first.hex)
        let tagObject = try git("rev-parse", "refs/tags/sla/acme/v1", in: tmp.path)
        try git("fsck", "--strict", "--no-progress", in: tmp.path)

        let info = try #require(try repo.tag(named: "sla/acme/v1"))
        #expect(info.isAnnotated)
        #expect(info.target == first)
        #expect(info.object.hex == tagObject)
        #expect(info.message == "Acme v1 signed\n")
        #expect(info.tagger == bot)
        #expect(try repo.reference("refs/tags/sla/acme/v1") == first)

        let second = try repo.commit(changes: ["a": .write(data("b\n"))], message: "next", author: bot, committer: bot)
        let error = try #require(throws: GitError.self) {
            try repo.createAnnotatedTag(name: "sla/acme/v1", target: second, message: "moved", tagger: bot)
        }
        #expect(error.isAlreadyExists)
        #expect(try git("rev-parse", "refs/tags/sla/acme/v1", in: tmp.path) == tagObject)
        #expect(try git("rev-parse", "sla/acme/v1^{commit}", in: tmp.path) == first.hex)
    }

    @Test func listTagsByPrefix() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["a": "a\n"])
        try repo.createAnnotatedTag(name: "sla/acme/v2", target: first, message: "two", tagger: bot)
        try git("tag", "sla/acme/light", in: tmp.path)
        try git("tag", "sla/acmeish/v1", in: tmp.path)
        try git("tag", "-a", "-m", "other", "sla/other/v1", in: tmp.path)

        let tags = try repo.tags(prefix: "sla/acme/")
        #expect(tags.map(\.name) == ["sla/acme/light", "sla/acme/v2"])
        #expect(tags[0].isAnnotated == false)
        #expect(tags[0].object == first && tags[0].target == first)
        #expect(tags[0].message == nil)
        #expect(tags[1].isAnnotated)
        #expect(try repo.tags(prefix: "").count == 4)
        #expect(try repo.tag(named: "sla/none") == nil)
    }
}
