import Foundation
import Testing

@Suite("sla diff and the git diff driver, end to end")
struct DiffCommandTests {
    static func revision() throws -> Sandbox { try RefusalTests.repositoryWithRevision() }

    @Test("the default compares the latest version with the open draft, in the agreement's language")
    func defaults() throws {
        let box = try Self.revision()
        try box.write(try Example.text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45"), to: Example.draft)
        let text = try box.sla("diff", Example.id)
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.hasPrefix("1 ændring: 5. Behandling af leads (1)"), "\(text.stdout)")
        #expect(text.stdout.contains("5. Behandling af leads\n"))
        #expect(text.stdout.contains("40 → 45"))
        #expect(!text.stdout.contains("\u{1B}["), "no colour when not on a terminal")

        let json = try box.sla("diff", Example.id, "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["from"] as? String == "v1")
        #expect(object["to"] as? String == "draft")
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["path"] as? String == "lead_handling.marketing.sql_per_month")
        #expect(changes.first?["old"] as? Int == 40)
        #expect(changes.first?["new"] as? Int == 45)

        let markdown = try box.sla("diff", Example.id, "v1", "draft", "--format", "markdown")
        #expect(markdown.stdout.contains("## 5. Behandling af leads"))

        #expect(try box.sla("diff", Example.id, "--exit-code").status == 1)
    }

    @Test("reordering rows is a new version to propose but no change to diff")
    func reorderingIsNoChange() throws {
        let box = try Self.revision()
        let lines = try Example.text.components(separatedBy: "\n")
        let criteria = lines.indices.filter { lines[$0].hasPrefix("    - { criterion:") }
        var reordered = lines
        for (from, to) in zip(criteria, criteria.reversed()) { reordered[to] = lines[from] }
        #expect(reordered != lines)
        try box.write(reordered.joined(separator: "\n"), to: Example.draft)
        let diff = try box.sla("diff", Example.id, "--exit-code")
        #expect(diff.status == 0, "\(diff)")
        #expect(try box.sla("propose", Example.id).status == 0)
        #expect(try box.sla("diff", Example.id, "v1", "v2", "--exit-code").status == 0)
    }

    @Test("a draft with a YAML error is a clear error, not a diff")
    func brokenDraft() throws {
        let box = try Self.revision()
        try box.write(try Example.text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: [40"), to: Example.draft)
        let diff = try box.sla("diff", Example.id)
        #expect(diff.status == 1)
        #expect(diff.stdout.isEmpty)
        #expect(diff.stderr.contains("\(Example.draft):"))
        #expect(diff.stderr.contains("YAML syntax"))
    }

    @Test("unknown versions and malformed names exit 1")
    func unknownVersions() throws {
        let box = try Self.revision()
        #expect(try box.sla("diff", Example.id, "v7", "draft").status == 1)
        #expect(try box.sla("diff", Example.id, "vv", "draft").status == 1)
        #expect(try box.sla("diff", Example.id, "active").stderr.contains("no version of 'acme-sales-marketing' is in force"))
        #expect(try box.sla("diff", "nope").status == 1)
    }

    @Test("git's diff driver, for files that are no agreement, prints a line diff with control characters as escapes")
    func gitDiffFallbackEscapes() throws {
        let box = try Sandbox()
        try box.initRepository()
        let old = box.root.appendingPathComponent("old.yaml")
        let new = box.root.appendingPathComponent("new.yaml")
        try Data("a: 1\n".utf8).write(to: old)
        try Data("a: \u{1B}[2J\n".utf8).write(to: new)
        let path = "agreements/x\u{1B}[H\u{202E}/versions/v1.yaml"
        let result = try box.sla(
            "git-diff", path, old.path, String(repeating: "0", count: 40), "100644", new.path, String(repeating: "1", count: 40), "100644")
        #expect(result.stdout.contains("+++ b/agreements/x\\x1B[H\\u202E/versions/v1.yaml"), "\(result)")
        #expect(result.stdout.contains("+a: \\x1B[2J"), "\(result)")
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(result)")
    }

    @Test("git diff and git log -p --ext-diff show the section diff once the driver is installed")
    func gitDriver() throws {
        let box = try Self.revision()
        let installed = try box.sla("hooks", "install")
        #expect(installed.status == 0, "\(installed)")
        try box.write(
            try Example.text.replacingOccurrences(of: "response_time_hours: 24", with: "response_time_hours: 8"), to: Example.draft)
        let diff = try box.git("diff")
        #expect(diff.contains("diff --sla a/\(Example.draft) b/\(Example.draft)"), "\(diff)")
        #expect(diff.contains("24 → 8"))
        try box.git("commit", "-qam", "Hurtigere svar")
        let log = try box.git("log", "-p", "--ext-diff", "-1")
        #expect(log.contains("24 → 8"))
        // Without --ext-diff, git log keeps its line diff (git's rule).
        #expect(try box.git("log", "-p", "-1").contains("-    response_time_hours: 24"))
    }
}
