import Foundation

@testable import SSHSigKit

/// A temporary directory removed on deinit.
final class TempDir: @unchecked Sendable {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = URL(fileURLWithPath: "/tmp").appendingPathComponent("sshsig-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let p = file(name)
        try data.write(to: URL(fileURLWithPath: p))
        return p
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
}

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
    let stdoutData: Data
}

/// Runs a program found on PATH.
@discardableResult
func run(
    _ program: String, _ args: [String], stdin: Data = Data(),
    env: [String: String] = [:], check: Bool = true
) throws -> CommandResult {
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    let exe = try SSHKeygen.findExecutable(program, path: environment["PATH"])
    let r = try SSHKeygen.run(exe, args, stdin: stdin, environment: environment)
    let result = CommandResult(
        status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self),
        stderr: String(decoding: r.stderr, as: UTF8.self), stdoutData: r.stdout)
    if check && r.status != 0 {
        throw CommandError(description: "\(program) \(args.joined(separator: " ")) exited \(r.status): \(result.stderr)")
    }
    return result
}

/// Generates a key with ssh-keygen in `dir` and returns its path.
func generateKey(
    in dir: TempDir, name: String = "key", type: String = "ed25519",
    passphrase: String = "", extra: [String] = []
) throws -> String {
    let path = dir.file(name)
    try run("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-f", path, "-C", "test"] + extra)
    return path
}

func randomData(_ count: Int) -> Data {
    var g = SystemRandomNumberGenerator()
    return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &g) })
}
