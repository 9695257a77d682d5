import Foundation
import Testing

/// The output of one process run.
struct RunResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// A throwaway directory with an isolated HOME (so only the identity a test sets exists),
/// where tests run the built `sla`, the real `git` and `ssh-keygen`.
final class Sandbox {
    let root: URL
    let home: URL
    /// The SLA repository's work tree.
    let repo: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sla-e2e-\(UUID().uuidString)")
        home = root.appendingPathComponent("home")
        repo = root.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["NO_COLOR"] = "1"
        for key in env.keys where key.hasPrefix("GIT_") && key != "GIT_CONFIG_NOSYSTEM" { env[key] = nil }
        return env
    }

    static let slaBinary: URL = {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sla"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sla"),
            Bundle.main.bundleURL.appendingPathComponent("sla"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    @discardableResult
    func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, stdin: Data? = nil,
        environment extra: [String: String] = [:]
    ) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repo
        process.environment = environment.merging(extra) { $1 }
        // Output goes to files, so a full pipe can never block the child.
        let outURL = root.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = root.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdoutData = try Data(contentsOf: outURL)
        let stderrData = try Data(contentsOf: errURL)
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    @discardableResult
    func sla(_ arguments: String..., in directory: URL? = nil, stdin: Data? = nil) throws -> RunResult {
        try run(Sandbox.slaBinary.path, arguments, in: directory, stdin: stdin)
    }

    /// Runs git and expects success.
    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) throws -> String {
        let result = try run("/usr/bin/git", arguments, in: directory)
        guard result.status == 0 else {
            throw SandboxError("git \(arguments.joined(separator: " ")) failed: \(result)")
        }
        return result.stdout
    }

    func gitResult(_ arguments: String...) throws -> RunResult {
        try run("/usr/bin/git", arguments)
    }

    /// `sla init` and a committer identity in the repository's own config.
    func initRepository(identity: Bool = true) throws {
        let result = try sla("init", repo.path)
        guard result.status == 0 else { throw SandboxError("sla init failed: \(result)") }
        if identity {
            try git("config", "user.name", "Lars Nielsen")
            try git("config", "user.email", "lars@acme.dk")
        }
    }

    func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    func write(_ data: Data, to path: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ path: String) throws -> Data {
        try Data(contentsOf: repo.appendingPathComponent(path))
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: repo.appendingPathComponent(path).path)
    }

    /// Everything a command could change: HEAD, refs, index, and every work-tree file's bytes.
    struct Snapshot: Equatable, CustomStringConvertible {
        let git: String
        /// Whole contents, not hashes: `Data.hashValue` looks only at a prefix of the bytes.
        let files: [String: Data]
        var description: String { git + "\n--\n" + files.keys.sorted().map { "\($0) \(files[$0]!.count) bytes" }.joined(separator: "\n") }
    }

    func snapshot() throws -> Snapshot {
        let head = try gitResult("rev-parse", "--verify", "-q", "HEAD").stdout
        let refs = try git("for-each-ref", "--format=%(refname) %(objectname)")
        let index = try git("ls-files", "-s")
        let status = try git("status", "--porcelain", "--untracked-files=all")
        var files: [String: Data] = [:]
        if let walker = FileManager.default.enumerator(at: repo, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker {
                if url.lastPathComponent == ".git" {
                    walker.skipDescendants()
                    continue
                }
                guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]),
                    values.isRegularFile == true
                else { continue }
                let path = String(url.path.dropFirst(repo.path.count))
                if let size = values.fileSize, size > 16 << 20 {
                    // A huge (sparse) file an attack test made: its size and time stand for its bytes.
                    files[path] = Data("\(size) bytes, modified \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)".utf8)
                } else {
                    files[path] = (try? Data(contentsOf: url)) ?? Data()
                }
            }
        }
        return Snapshot(git: [head, refs, index, status].joined(separator: "\n--\n"), files: files)
    }

    /// A fresh Ed25519 key pair from the real ssh-keygen; returns the private key's path.
    func makeKey(_ name: String, passphrase: String = "") throws -> URL {
        let path = root.appendingPathComponent("keys/\(name)")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path.path])
        guard result.status == 0 else { throw SandboxError("ssh-keygen failed: \(result)") }
        return path
    }

    func publicKeyLine(_ privateKey: URL) throws -> String {
        let line = try String(contentsOf: URL(fileURLWithPath: privateKey.path + ".pub"), encoding: .utf8)
        return line.split(separator: " ").prefix(2).joined(separator: " ")
    }
}

struct SandboxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Example {
    static let id = "acme-sales-marketing"
    static let draft = "agreements/acme-sales-marketing/draft.yaml"
    static func version(_ n: Int) -> String { "agreements/acme-sales-marketing/versions/v\(n).yaml" }

    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var text: String {
        get throws {
            try String(contentsOf: projectRoot.appendingPathComponent("agreements/acme-sales-marketing/draft.yaml"), encoding: .utf8)
        }
    }
}
