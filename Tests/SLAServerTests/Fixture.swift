import Foundation
import SLAKit

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// A real git repository with the example agreement: v1 signed by both parties and
/// activated, v2 proposed and signed by Mette only. Made through the kit (as the commands do),
/// with keys from the real ssh-keygen and plain git for what an attacker would do.
final class Fixture {
    static let id = "acme-sales-marketing"
    let root: URL
    let repo: URL
    let now = Date(timeIntervalSince1970: 1_796_083_200)

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sla-serve-\(UUID().uuidString)")
        repo = root.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        _ = try SLARepository.initialize(at: repo.path)
        try git("config", "user.name", "Lars Nielsen")
        try git("config", "user.email", "lars@acme.dk")
        try git("config", "commit.gpgsign", "false")
        let mette = try key("mette")
        let soren = try key("soren")
        var text = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("agreements/\(Self.id)/draft.yaml"), encoding: .utf8)
        let keys = text.components(separatedBy: "\n").filter { $0.contains("key: ssh-ed25519") }.map {
            $0.components(separatedBy: "key: ")[1]
        }
        text = text.replacingOccurrences(of: keys[0], with: try publicKey(mette)).replacingOccurrences(
            of: keys[1], with: try publicKey(soren))
        try write(text, to: "agreements/\(Self.id)/draft.yaml")
        // One repository object per command, as each `sla` run opens its own.
        let repository = { try SLARepository.open(at: self.repo.path) }
        _ = try repository().propose(Self.id, message: nil, now: now)
        for key in [mette, soren] { _ = try repository().sign(Self.id, version: 1, keyPath: key.path, now: now) }
        _ = try repository().activate(Self.id, version: 1, today: LocalDate(iso: "2026-12-01")!, now: now)
        try write(text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45"), to: "agreements/\(Self.id)/draft.yaml")
        _ = try repository().propose(Self.id, message: nil, now: now)
        _ = try repository().sign(Self.id, version: 2, keyPath: mette.path, now: now)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ text: String, to path: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Deletes Søren's signature of v1 with plain git: a fault of History rule 1.
    func removeSignatureWithGit() throws {
        try git("rm", "-q", "agreements/\(Self.id)/signatures/v1/soren@acme.dk.sig")
        try git("commit", "-q", "--no-verify", "-m", "remove a signature")
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try run("/usr/bin/git", ["-C", repo.path] + arguments)
    }

    private func key(_ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", url.path])
        return url
    }

    private func publicKey(_ key: URL) throws -> String {
        let line = try String(contentsOf: URL(fileURLWithPath: key.path + ".pub"), encoding: .utf8)
        return line.split(separator: " ").prefix(2).joined(separator: " ")
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        process.environment = ["HOME": root.path, "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"]
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
