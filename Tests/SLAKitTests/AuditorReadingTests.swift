import Foundation
import Testing

@testable import SLAKit

/// The README's stock-tools audit reads signatories' keys with `awk`; an agreement is valid only
/// when that reading is exactly its signatories, so the auditor checks the keys `sla` checks.
@Suite("What the auditor's script reads")
struct AuditorReadingTests {
    static let metteKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmpkE2TFB6JK8ZUZdBTVTWAZm+AZBitZauL9HUan8bB"
    static let sorenKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICBa08c+Lm1snuQ6WjI/Dv9rXUeWzaoZohZYllHQZx4D"
    static let metteBlock = """
              - name: Mette Hansen
                role: Marketingchef
                principal: mette@acme.dk
                key: \(metteKey)

        """

    @Test("the example is read as its two signatories, with the lines of their keys")
    func example() throws {
        let pairs = AuditorReading.pairs(Data(try ProjectFiles.exampleText.utf8))
        let text = try ProjectFiles.exampleText
        #expect(
            pairs == [
                .init(
                    principal: "mette@acme.dk", key: String(Self.metteKey.dropFirst(12)),
                    line: try #require(text.position(of: Self.metteKey)).line),
                .init(
                    principal: "soren@acme.dk", key: String(Self.sorenKey.dropFirst(12)),
                    line: try #require(text.position(of: Self.sorenKey)).line),
            ])
    }

    @Test(
        "layouts the script reads as sla does are valid",
        arguments: [
            ("quoted", "        principal: \"mette@acme.dk\"\n        key: '\(metteKey)'\n"),
            (
                "principal first in the entry",
                "      - principal: mette@acme.dk\n        name: Mette Hansen\n        role: Marketingchef\n        key: \(metteKey)\n"
            ),
            ("a comment after the key", "        principal: mette@acme.dk  # Mette\n        key: \(metteKey) mette@laptop # her laptop\n"),
        ])
    func readable(name: String, replacement: String) throws {
        var text = try ProjectFiles.exampleText
        if name == "principal first in the entry" {
            text = text.replacingOnce(Self.metteBlock, with: replacement)
        } else {
            text = text.replacingOnce("        principal: mette@acme.dk\n        key: \(Self.metteKey)\n", with: replacement)
        }
        let (agreement, diagnostics) = decode(text)
        #expect(agreement != nil && diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("CRLF line ends are read as LF")
    func crlf() throws {
        let text = try ProjectFiles.exampleText.replacingOccurrences(of: "\n", with: "\r\n")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement != nil && diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("a key line before its principal line is refused at that line")
    func keyFirst() throws {
        let text = try ProjectFiles.exampleText.replacingOnce(
            "        principal: soren@acme.dk\n        key: \(Self.sorenKey)\n",
            with: "        key: \(Self.sorenKey)\n        principal: soren@acme.dk\n")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let line = try #require(text.position(of: Self.sorenKey)).line
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.position == SourcePosition(line: line, column: 1))
        #expect(diagnostics.first?.message.contains("would read this key as that of 'mette@acme.dk'") == true, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("does not list for 'mette@acme.dk'") == true, "\(diagnostics)")
    }

    @Test("a key written in a text is refused: the auditor would accept a signature by it")
    func keyInText() throws {
        let forged = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1Ys9XBlDQ7ULZDR2E+EdjqOgNod86b2vuWNtJfvhDB"
        let text = try ProjectFiles.exampleText.replacingOnce(
            "overview:\n  purpose: \"", with: "overview:\n  purpose: |\n    principal: soren@acme.dk\n    key: \(forged)\n    \"")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let line = try #require(text.position(of: forged)).line
        #expect(diagnostics.map(\.position) == [SourcePosition(line: line, column: 1)], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("would read this key as that of 'soren@acme.dk'") == true, "\(diagnostics)")
    }

    @Test("a signatory in { } on one line is valid: the script reads no key for it, so it can only fail that signature")
    func flow() throws {
        let text = try ProjectFiles.exampleText.replacingOnce(
            Self.metteBlock,
            with: "      - { name: Mette Hansen, role: Marketingchef, principal: mette@acme.dk, key: \(Self.metteKey) }\n")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement != nil && diagnostics.isEmpty, "\(diagnostics)")
        #expect(AuditorReading.pairs(Data(text.utf8)).map(\.principal) == ["soren@acme.dk"])
    }

    /// The awk program of the README's audit script, as printed there.
    static func readmeAwkProgram() throws -> String {
        let readme = try String(contentsOf: ProjectFiles.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "awk '{ sub("))
        let end = try #require(readme[start.upperBound...].range(of: "' \"$"))
        return String(readme[readme.index(start.lowerBound, offsetBy: 5)..<end.lowerBound])
    }

    @Test("the reading is the real awk's, line for line, on thousands of generated lines")
    func sameAsAwk() throws {
        let program = try Self.readmeAwkProgram()
        let tokens = [
            "principal:", "key:", "ssh-ed25519", "AAAAC3Nz", "mette@acme.dk", "-", "- ", " ", "  ", "\t", "\"", "'", "\r", "#",
            "prin\"cipal:", "k'ey:", "name:", "{", "}", ",", "x", "ssh-rsa", "æø",
        ]
        var generator = SystemRandomNumberGenerator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-awk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 0..<20 {
            var text = ""
            for _ in 0..<200 {
                let count = Int.random(in: 0...6, using: &generator)
                text += (0..<count).map { _ in tokens.randomElement(using: &generator)! }.joined() + "\n"
            }
            if round % 2 == 1 { text = String(text.dropLast()) }  // no final line break
            let file = folder.appendingPathComponent("v\(round).yaml")
            try Data(text.utf8).write(to: file)
            let awk = Process()
            awk.executableURL = URL(fileURLWithPath: "/usr/bin/awk")
            awk.arguments = [program, file.path]
            let pipe = Pipe()
            awk.standardOutput = pipe
            try awk.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            awk.waitUntilExit()
            #expect(awk.terminationStatus == 0)
            let expected = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map(String.init)
            let ours = AuditorReading.pairs(Data(text.utf8)).map { "\($0.principal) namespaces=\"sla-approval\" ssh-ed25519 \($0.key)" }
            #expect(ours == expected, "round \(round): \(text)")
        }
    }
}
