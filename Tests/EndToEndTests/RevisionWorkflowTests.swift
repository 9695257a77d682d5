import Foundation
import Testing

@Suite("Revision workflow, end to end with the real git")
struct RevisionWorkflowTests {
    @Test("propose an untracked hand-written draft, revise, propose again: one clean commit each, annotated tags, fsck passes")
    func lifecycle() throws {
        let box = try Sandbox()
        try box.initRepository()
        try box.write(try Example.text, to: Example.draft)

        let proposed = try box.sla("propose", Example.id, "-m", "Første version")
        #expect(proposed.status == 0, "\(proposed)")
        #expect(proposed.stdout.contains("Proposed acme-sales-marketing v1"))
        #expect(try box.read(Example.version(1)) == Data(try Example.text.utf8))
        #expect(!box.exists(Example.draft))
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")
        #expect(try box.git("cat-file", "-t", "sla/acme-sales-marketing/v1") == "tag\n")
        #expect(try box.git("rev-parse", "sla/acme-sales-marketing/v1^{commit}") == box.git("rev-parse", "HEAD"))
        #expect(
            try box.git("log", "-1", "--format=%an <%ae>|%cn <%ce>|%s")
                == "Lars Nielsen <lars@acme.dk>|Lars Nielsen <lars@acme.dk>|sla: propose acme-sales-marketing v1\n")
        #expect(try box.git("log", "-1", "--format=%b").contains("Første version"))
        #expect(try box.git("show", "--name-status", "--format=", "HEAD") == "A\t\(Example.version(1))\n")

        let revised = try box.sla("revise", Example.id)
        #expect(revised.status == 0, "\(revised)")
        #expect(try box.read(Example.draft) == box.read(Example.version(1)))
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")

        // Edited by hand and committed with plain git.
        let edited = try Example.text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45")
        try box.write(edited, to: Example.draft)
        try box.git("commit", "-q", "-am", "Mere SQL")
        let second = try box.sla("propose", Example.id, "--format", "json")
        #expect(second.status == 0, "\(second)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 2)
        #expect(json["tag"] as? String == "sla/acme-sales-marketing/v2")
        #expect(try box.read(Example.version(2)) == Data(edited.utf8))
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")
        #expect(
            try box.git("show", "--no-renames", "--name-status", "--format=", "HEAD") == "D\t\(Example.draft)\nA\t\(Example.version(2))\n")

        let fsck = try box.gitResult("fsck", "--strict", "--no-dangling")
        #expect(fsck.status == 0 && fsck.stderr.isEmpty, "\(fsck)")

        let log = try box.sla("log", Example.id, "--format", "json")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        #expect(events.compactMap { $0["kind"] as? String }.filter { $0 == "proposed" }.count == 2)
        #expect(events.first?["author"] as? String == "Lars Nielsen")
        let proposal = events.first { $0["kind"] as? String == "proposed" && $0["version"] as? Int == 2 }
        #expect(proposal?["changes"] as? String == "1 ændring: 5. Behandling af leads (1)")

        #expect(try box.sla("show", Example.id, "v1").stdout == Example.text)
        #expect(try box.sla("show", Example.id).stdout == edited)
    }

    /// Fills every empty field of a fresh template, the way a person would by hand.
    static func fillTemplate(_ text: String, keys: [String]) -> String {
        var counter = 0
        var keyIndex = 0
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { return String(line) }
            var line = String(line)
            while let range = line.range(of: #"(\w+): """#, options: .regularExpression) {
                let key = String(line[range].dropLast(4))
                counter += 1
                let value: String
                switch key {
                case "principal": value = "person\(counter)@acme.dk"
                case "key":
                    value = keys[keyIndex]
                    keyIndex += 1
                default: value = "Tekst \(counter)"
                }
                line.replaceSubrange(range, with: "\(key): \"\(value)\"")
            }
            return line.replacingOccurrences(of: #"- """#, with: #"- "Alle""#)
        }.joined(separator: "\n")
    }

    @Test("a draft from `sla new`, filled in by hand and committed with plain git, proposes", arguments: ["da", "en"])
    func newTemplateProposes(_ language: String) throws {
        let box = try Sandbox()
        try box.initRepository()
        let created = try box.sla("new", "nyt-sla", "--lang", language, "--company", "Nordlys ApS", "--today", "2026-11-29")
        #expect(created.status == 0, "\(created)")
        let path = "agreements/nyt-sla/draft.yaml"
        let template = String(decoding: try box.read(path), as: UTF8.self)
        #expect(template.contains("company: \"Nordlys ApS\""))
        #expect(template.contains("effective_from: 2026-12-01"))
        #expect(try box.git("status", "--porcelain") == "")

        // The untouched template is refused with the fields still to fill in.
        let refused = try box.sla("propose", "nyt-sla")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(path):"))
        #expect(refused.stderr.contains("must not be empty"))

        let keys = try (1...2).map { try box.publicKeyLine(try box.makeKey("k\($0)")) }
        try box.write(Self.fillTemplate(template, keys: keys), to: path)
        let check = try box.sla("check", "nyt-sla")
        #expect(check.status == 0, "\(check)")
        try box.git("commit", "-qam", "Udfyldt")
        let proposed = try box.sla("propose", "nyt-sla")
        #expect(proposed.status == 0, "\(proposed)")
        #expect(box.exists("agreements/nyt-sla/versions/v1.yaml"))
    }

    @Test("our commit leaves the user's staged and unstaged work alone")
    func besideUserWork() throws {
        let box = try Sandbox()
        try box.initRepository()
        try box.write("notes\n", to: "notes.txt")
        try box.write("plan\n", to: "plan.txt")
        try box.git("add", "notes.txt", "plan.txt")
        try box.git("commit", "-qm", "Notes")
        try box.write("notes, staged\n", to: "notes.txt")
        try box.git("add", "notes.txt")
        try box.write("plan, unstaged\n", to: "plan.txt")
        try box.write(try Example.text, to: Example.draft)

        let result = try box.sla("propose", Example.id)
        #expect(result.status == 0, "\(result)")
        #expect(try box.git("diff", "--cached", "--name-only") == "notes.txt\n")
        #expect(try box.git("diff", "--name-only") == "plan.txt\n")
        #expect(try box.git("show", "--name-only", "--format=", "HEAD") == "\(Example.version(1))\n")
        #expect(try box.git("show", "HEAD:notes.txt") == "notes\n")
    }
}

@Suite("Bad input: a clear message, exit 1, nothing written")
struct RefusalTests {
    /// A repository with v1 proposed and a revision open.
    static func repositoryWithRevision() throws -> Sandbox {
        let box = try Sandbox()
        try box.initRepository()
        try box.write(try Example.text, to: Example.draft)
        guard try box.sla("propose", Example.id).status == 0, try box.sla("revise", Example.id).status == 0 else {
            throw SandboxError("setup failed")
        }
        return box
    }

    func expectRefused(_ box: Sandbox, _ arguments: [String], message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try box.snapshot()
        let result = try box.run(Sandbox.slaBinary.path, arguments)
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try box.snapshot() == before, "the repository changed", sourceLocation: sourceLocation)
    }

    @Test("an invalid draft")
    func invalidDraft() throws {
        let box = try Self.repositoryWithRevision()
        try box.write(try Example.text.replacingOccurrences(of: "importance: 1 }", with: "importance: 6 }"), to: Example.draft)
        let line = try #require(try Example.text.components(separatedBy: "\n").firstIndex { $0.contains("importance: 1 }") }) + 1
        try expectRefused(box, ["propose", Example.id], message: "\(Example.draft):\(line):")
        try expectRefused(box, ["propose", Example.id], message: "importance must be 1..5, got 6")
        try expectRefused(box, ["check", Example.id], message: "importance must be 1..5, got 6")
    }

    @Test("a draft identical to the latest version")
    func identicalDraft() throws {
        let box = try Self.repositoryWithRevision()
        try expectRefused(box, ["propose", Example.id], message: "is identical to v1")
    }

    @Test("a missing git identity")
    func missingIdentity() throws {
        let box = try Sandbox()
        try box.initRepository(identity: false)
        try box.write(try Example.text, to: Example.draft)
        try expectRefused(box, ["propose", Example.id], message: "user.name is not configured")
    }

    @Test("an unknown agreement, a malformed id, an unknown version")
    func unknownNames() throws {
        let box = try Self.repositoryWithRevision()
        try expectRefused(box, ["propose", "no-such-sla"], message: "there is no agreement 'no-such-sla'")
        try expectRefused(box, ["revise", "../../etc"], message: "is not a valid agreement id")
        try expectRefused(box, ["new", "Bad/Id"], message: "is not a valid agreement id")
        try expectRefused(box, ["show", Example.id, "v9"], message: "has no version v9")
        try expectRefused(box, ["show", Example.id, "v01"], message: "is not a version")
        try expectRefused(box, ["log", "no-such-sla"], message: "there is no agreement 'no-such-sla'")
    }

    @Test("a directory that is not a repository")
    func notARepository() throws {
        let box = try Sandbox()
        let result = try box.sla("check", in: box.home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not in a git repository"))
    }

    @Test("a revision already open, an agreement that exists")
    func alreadyOpen() throws {
        let box = try Self.repositoryWithRevision()
        try expectRefused(box, ["revise", Example.id], message: "already open")
        try expectRefused(box, ["new", Example.id], message: "already exists")
    }

    @Test("a tag that already exists is never moved")
    func existingTag() throws {
        let box = try Self.repositoryWithRevision()
        try box.write(try Example.text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41"), to: Example.draft)
        try box.git("tag", "sla/acme-sales-marketing/v2", "HEAD")
        try expectRefused(box, ["propose", Example.id], message: "tag sla/acme-sales-marketing/v2 already exists")
    }

    @Test("a file it would write has uncommitted changes")
    func uncommittedTarget() throws {
        let box = try Self.repositoryWithRevision()
        try box.write(try Example.text.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41"), to: Example.draft)
        try box.write("stray\n", to: Example.version(2))
        try expectRefused(box, ["propose", Example.id], message: "uncommitted changes in \(Example.version(2))")
    }

    @Test("oversized, non-UTF-8 and alias-bomb drafts are refused quickly")
    func hostileDrafts() throws {
        let box = try Self.repositoryWithRevision()
        try box.write(try Example.text + "# " + String(repeating: "x", count: 1 << 20) + "\n", to: Example.draft)
        try expectRefused(box, ["propose", Example.id], message: "at most 1 MiB")

        var bytes = Data(try Example.text.utf8)
        bytes[10] = 0xC3
        bytes[11] = 0x28
        try box.write(bytes, to: Example.draft)
        try expectRefused(box, ["propose", Example.id], message: "\(Example.draft):1:11: text is not valid UTF-8")

        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...40 {
            let previous = level == 1 ? "a" : "b\(level - 1)"
            bomb += "b\(level): &b\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        try box.write(bomb, to: Example.draft)
        let start = ContinuousClock.now
        try expectRefused(box, ["propose", Example.id], message: "aliases (*a) are not allowed")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test(
        "wrong usage exits 64",
        arguments: [["frobnicate"], ["propose"], ["propose", Example.id, "--bogus"], ["check", "--format", "xml"]])
    func usage(_ arguments: [String]) throws {
        let box = try Self.repositoryWithRevision()
        let result = try box.run(Sandbox.slaBinary.path, arguments)
        #expect(result.status == 64, "\(result)")
    }

    @Test("propose of a draft that differs from the latest version only in CRLF line ends warns, and makes the version")
    func crlfOnlyDraft() throws {
        let repo = try SignedRepository()
        #expect(try repo.box.sla("revise", Example.id).status == 0)
        let draft = String(decoding: try repo.box.read(Example.draft), as: UTF8.self)
        try repo.box.write(draft.replacingOccurrences(of: "\n", with: "\r\n"), to: Example.draft)
        let proposed = try repo.box.sla("propose", Example.id)
        #expect(proposed.status == 0, "\(proposed)")
        #expect(proposed.stderr.contains("differs from v1 only in its line ends"), "\(proposed)")
    }
}
