import Foundation

/// A small real repository for the hook target, made once per process with the `git` CLI:
/// the main branch holds an approved-free but clean history, and commits no ref names carry
/// faults (an entry that does not count, a deleted version, a merge bringing the entry).
///
///     @0 root (README)
///     @1 adds versions/v1.yaml, tagged sla/acme-sales-marketing/v1   <- main
///     @2 child of @1: activations.yaml with an entry for unsigned v1  (faulted)
///     @3 child of @1: README changed                                  (clean)
///     @4 merge of @3 and @2                                           (faulted)
///     @5 child of @1: versions/v1.yaml deleted                        (faulted)
final class HookFixture: Sendable {
    static let zero = String(repeating: "0", count: 40)
    static let mainBranch = "refs/heads/main"
    static let shared: HookFixture? = try? HookFixture()

    let path: String
    /// Commit ids by index (`@0`…`@5`).
    let commits: [String]
    let faulted: Set<String>
    /// `@0`…`@5` stand for the fixture's commits and `@z` for the zero id, so that short
    /// inputs reach the checks behind the parser.
    func expand(_ data: Data) -> Data {
        var text = data
        for (index, id) in commits.enumerated() { text = text.replacing(Data("@\(index)".utf8), with: Data(id.utf8)) }
        return text.replacing(Data("@z".utf8), with: Data(Self.zero.utf8))
    }

    private init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sla-fuzz-hook-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.path
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("agreements/acme-sales-marketing/draft.yaml").path
        let sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        let script = """
            set -e
            git init -q -b main .
            git config user.name Fuzz; git config user.email fuzz@example.invalid
            echo one > README; git add README; git commit -q -m c0; git rev-parse HEAD
            mkdir -p agreements/acme-sales-marketing/versions
            cp '\(example)' agreements/acme-sales-marketing/versions/v1.yaml
            git add agreements; git commit -q -m c1; git rev-parse HEAD
            git tag -a -m v1 sla/acme-sales-marketing/v1
            printf -- '- version: 1\\n  sha256: \(sha)\\n  activated_at: 2026-12-01\\n  activated_by: fuzz@example.invalid\\n' \\
              > agreements/acme-sales-marketing/activations.yaml
            git add agreements; git commit -q -m c2; git rev-parse HEAD
            git checkout -q -b side HEAD~1
            echo two > README; git commit -q -am c3; git rev-parse HEAD
            git merge -q --no-edit -m c4 main; git rev-parse HEAD
            git checkout -q -b gone main~1
            git rm -q agreements/acme-sales-marketing/versions/v1.yaml; git commit -q -m c5; git rev-parse HEAD
            git checkout -q main; git reset -q --hard HEAD~1
            git branch -q -D side gone
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let ids = text.split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0, ids.count == 6 else { throw CocoaError(.fileWriteUnknown) }
        commits = ids
        faulted = [ids[2], ids[4], ids[5]]
    }
}
