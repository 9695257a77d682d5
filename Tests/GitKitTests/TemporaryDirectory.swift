import Foundation

/// A fresh directory under the system temp dir, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "gitkit-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestFailure("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        // Resolve symlinks (e.g. macOS /var -> /private/var) so paths compare equal to libgit2's.
        path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The absolute path of `relative` inside the directory.
    func url(_ relative: String) -> String {
        relative.isEmpty ? path : path + "/" + relative
    }

    /// Writes a text file, creating parent directories.
    func write(_ relative: String, _ contents: String) throws {
        let full = url(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
    }

    /// The text of a file, or nil when it does not exist.
    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: url(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The outcome of one `git` run.
struct GitRun {
    let status: Int32
    let stdout: String
    let stderr: String
    /// stdout without the trailing newline.
    var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }
    /// Non-empty lines of stdout.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

enum Git {
    static let authorName = "Test Author"
    static let authorEmail = "author@example.com"

    /// Runs the real git CLI in `directory` with a fixed identity and no inherited GIT_* variables
    /// (another test may have set GIT_DIR etc. in this process). Does not throw on failure;
    /// see `git(...)` for that.
    static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) throws -> GitRun {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_AUTHOR_NAME"] = authorName
        environment["GIT_AUTHOR_EMAIL"] = authorEmail
        environment["GIT_COMMITTER_NAME"] = authorName
        environment["GIT_COMMITTER_EMAIL"] = authorEmail
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["LC_ALL"] = "C"
        environment.merge(extra) { _, new in new }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "git",
                "-c", "user.name=\(authorName)", "-c", "user.email=\(authorEmail)",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
            ] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        // Files rather than pipes: no deadlock however much either stream produces.
        let outURL = URL(fileURLWithPath: NSTemporaryDirectory() + "gitkit-out-\(UUID().uuidString)")
        let errURL = URL(fileURLWithPath: NSTemporaryDirectory() + "gitkit-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return GitRun(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}

/// Runs git and throws (with its stderr) unless it exits 0; returns stdout without trailing newline.
@discardableResult
func git(_ arguments: String..., in directory: String, environment: [String: String] = [:]) throws -> String {
    let run = try Git.run(arguments, in: directory, environment: environment)
    guard run.status == 0 else {
        throw TestFailure("git \(arguments.joined(separator: " ")) exited \(run.status): \(run.stderr)")
    }
    return run.output
}
