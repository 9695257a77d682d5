import CLibGit2
import Foundation
import Testing

@testable import GitKit

/// `readIndexAhead`: git's index read on another thread for a command about to commit must
/// change nothing but the time.
@Suite("Reading the index ahead")
struct IndexAheadTests {
    @Test func commitBesideStagedAndUnstagedWorkIsUnchanged() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["staged.txt": "s0\n", "unstaged.txt": "u0\n", "ours.txt": "o0\n"])
        try tmp.write("staged.txt", "s1\n")
        try git("add", "staged.txt", in: tmp.path)
        try tmp.write("unstaged.txt", "u1\n")

        repo.readIndexAhead()
        #expect(try repo.uncommittedPaths(["ours.txt", "staged.txt", "unstaged.txt"]) == ["staged.txt", "unstaged.txt"])
        let id = try repo.commit(changes: ["ours.txt": .write(data("o1\n"))], message: "Ours", author: bot, committer: bot)

        #expect(try git("status", "--porcelain", in: tmp.path) == "M  staged.txt\n M unstaged.txt")
        #expect(try git("show", ":staged.txt", in: tmp.path) == "s1")
        #expect(try git("show", ":ours.txt", in: tmp.path) == "o1")
        #expect(try git("diff", "--name-only", first.hex, id.hex, in: tmp.path) == "ours.txt")
        try git("fsck", "--strict", "--no-progress", in: tmp.path)
    }

    /// The index read ahead is older than the file when git changes it meanwhile: the
    /// repository must read it again, or the commit would write back the stale index and
    /// drop what was staged in between.
    @Test func anIndexChangedAfterTheReadIsReadAgain() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(tmp, files: ["a.txt": "a0\n", "ours.txt": "o0\n"])
        repo.readIndexAhead()
        try #require(repo.indexAhead != nil)
        repo.indexAhead?.waitUntilRead()
        try tmp.write("a.txt", "a1\n")
        try tmp.write("new.txt", "n\n")
        try git("add", "a.txt", "new.txt", in: tmp.path)

        #expect(try repo.uncommittedPaths(["a.txt", "new.txt", "ours.txt"]) == ["a.txt", "new.txt"])
        _ = try repo.commit(changes: ["ours.txt": .write(data("o1\n"))], message: "Ours", author: bot, committer: bot)

        #expect(try git("status", "--porcelain", in: tmp.path) == "M  a.txt\nA  new.txt")
        #expect(try git("show", ":a.txt", in: tmp.path) == "a1")
        try git("fsck", "--strict", "--no-progress", in: tmp.path)
    }

    /// The adopted index takes the capabilities the repository's config sets (case, file
    /// modes, symlinks), as one libgit2 opens itself does.
    @Test func theAdoptedIndexHasTheConfiguredCapabilities() throws {
        let tmp = try TemporaryDirectory()
        _ = try repositoryWithCommit(tmp, files: ["a.txt": "a\n"])
        try git("config", "core.ignorecase", "true", in: tmp.path)
        try git("config", "core.filemode", "false", in: tmp.path)
        try git("config", "core.symlinks", "false", in: tmp.path)

        func capabilities(_ repo: Repository) throws -> Int32 {
            var index: OpaquePointer?
            try #require(git_repository_index(&index, repo.pointer) == 0)
            defer { git_index_free(index) }
            return git_index_caps(index)
        }
        let ahead = try Repository.open(containing: tmp.path)
        ahead.readIndexAhead()
        ahead.adoptIndexReadAhead()
        let plain = try Repository.open(containing: tmp.path)
        let expected =
            GIT_INDEX_CAPABILITY_IGNORE_CASE.rawValue | GIT_INDEX_CAPABILITY_NO_FILEMODE.rawValue
            | GIT_INDEX_CAPABILITY_NO_SYMLINKS.rawValue
        #expect(try capabilities(plain) == expected)
        #expect(try capabilities(ahead) == expected)
    }

    @Test func aBareRepositoryReadsNothingAhead() throws {
        let tmp = try TemporaryDirectory()
        let repo = try Repository.initialize(at: tmp.path, bare: true)
        repo.readIndexAhead()
        #expect(repo.indexAhead == nil)
        _ = try repo.commit(changes: ["a": .write(data("1\n"))], message: "one", author: bot, committer: bot)
        #expect(try git("ls-tree", "-r", "--name-only", "main", in: tmp.path) == "a")
    }

    /// A repository closed before it used the index read ahead frees it (and waits for the
    /// reading thread) without touching the repository.
    @Test func closingBeforeUseIsClean() throws {
        let tmp = try TemporaryDirectory()
        _ = try repositoryWithCommit(tmp, files: ["a.txt": "a\n"])
        for _ in 0..<20 {
            let repo = try Repository.open(containing: tmp.path)
            repo.readIndexAhead()
        }
        #expect(try git("status", "--porcelain", in: tmp.path) == "")
    }
}
