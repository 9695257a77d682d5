import Foundation
import Testing

@testable import GitKit

/// Sets process environment variables for the duration of `body` and restores them after.
/// Process-wide: only for `.serialized` suites, and kept as short as possible (our git helper
/// strips GIT_* for child processes, so parallel tests' git runs are unaffected).
func withEnvironment<T>(_ variables: [String: String], _ body: () throws -> T) rethrows -> T {
    var saved: [String: String?] = [:]
    for (key, value) in variables {
        saved[key] = ProcessInfo.processInfo.environment[key]
        setenv(key, value, 1)
    }
    defer {
        for (key, old) in saved {
            if let old { setenv(key, old, 1) } else { unsetenv(key) }
        }
    }
    return try body()
}

@Suite("Process environment", .serialized)
struct EnvironmentTests {
    /// As in a pre-receive hook: pushed objects sit in a quarantine directory that git announces
    /// through GIT_OBJECT_DIRECTORY, with the real store as an alternate.
    @Test func openFromEnvironmentSeesQuarantinedObjects() throws {
        let tmp = try TemporaryDirectory()
        try git("init", "-q", "--bare", "server.git", in: tmp.path)
        let server = tmp.url("server.git")
        let seed = try Repository.open(containing: server)
        let base = try seed.commit(changes: ["a": .write(data("base\n"))], message: "base", author: bot, committer: bot)

        let quarantine = tmp.url("server.git/objects/incoming-test")
        try FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true)
        try tmp.write("pushed.txt", "pushed content\n")
        let pushed = try #require(
            ObjectID(
                hex: try git(
                    "hash-object", "-w", tmp.url("pushed.txt"), in: server,
                    environment: ["GIT_OBJECT_DIRECTORY": quarantine, "GIT_ALTERNATE_OBJECT_DIRECTORIES": server + "/objects"])))

        // A plain open does not see the quarantined blob...
        #expect(throws: GitError.self) { try Repository.open(containing: server).blob(pushed) }

        // ...one opened from the hook environment does, and still sees the main store.
        let repo = try withEnvironment([
            "GIT_DIR": server,
            "GIT_OBJECT_DIRECTORY": quarantine,
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": server + "/objects",
        ]) {
            try Repository.openFromEnvironment()
        }
        #expect(ProcessInfo.processInfo.environment["GIT_DIR"] == nil)
        #expect(try repo.blob(pushed) == data("pushed content\n"))
        #expect(try repo.headCommit() == base)
        #expect(repo.isBare)
    }

    @Test func openFromEnvironmentWithoutRepositoryFails() throws {
        let tmp = try TemporaryDirectory()
        #expect(throws: GitError.self) {
            try withEnvironment(["GIT_DIR": tmp.url("nothing-here")]) {
                try Repository.openFromEnvironment()
            }
        }
    }
}
