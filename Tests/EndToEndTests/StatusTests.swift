import Foundation
import Testing

@Suite("sla status")
struct StatusTests {
    static func rows(_ result: RunResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result)")
    }

    @Test("status follows an agreement from proposal to overdue, naming who still has to sign")
    func lifecycle() throws {
        let repo = try SignedRepository()
        let id = SignedRepository.id
        var json = try Self.rows(try repo.box.sla("status", "--format", "json", "--today", "2026-12-01"))
        #expect(json.first?["state"] as? String == "awaiting-signatures")
        #expect(json.first?["pending_version"] as? Int == 1)
        #expect(json.first?["missing_signatures"] as? [String] == ["mette@acme.dk", "soren@acme.dk"])

        try repo.sign(repo.mette)
        let table = try repo.box.sla("status", "--today", "2026-12-01")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ID") && lines[0].contains("STATE") && lines[0].contains("RENEWAL DUE"))
        #expect(lines[1].contains("awaiting-signatures") && lines[1].contains("Søren Jensen") && !lines[1].contains("Mette"))
        // Aligned: each header starts where its column starts.
        #expect(
            lines[0].range(of: "STATE")?.lowerBound.utf16Offset(in: lines[0])
                == lines[1].range(of: "awaiting")?.lowerBound.utf16Offset(in: lines[1]))
        #expect(!table.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")

        try repo.sign(repo.soren)
        #expect(try repo.box.sla("activate", id, "--today", "2026-12-01").status == 0)
        json = try Self.rows(try repo.box.sla("status", id, "--format", "json", "--today", "2026-12-20"))
        #expect(json.first?["state"] as? String == "scheduled")
        #expect(json.first?["in_force_version"] is NSNull)
        #expect(json.first?["days_left"] is NSNull)
        #expect(try repo.box.sla("status", "--check", "--today", "2026-12-20").status == 1, "nothing in force yet")

        json = try Self.rows(try repo.box.sla("status", "--format", "json", "--today", "2027-03-01"))
        #expect(json.first?["state"] as? String == "active")
        #expect(json.first?["in_force_version"] as? Int == 1)
        #expect(json.first?["effective_from"] as? String == "2027-01-01")
        #expect(json.first?["renewal_due"] as? String == "2027-07-01")
        #expect(json.first?["days_left"] as? Int == 122)
        #expect(try repo.box.sla("status", "--check", "--today", "2027-03-01").status == 0)

        json = try Self.rows(try repo.box.sla("status", "--format", "json", "--today", "2027-06-24"))
        #expect(json.first?["state"] as? String == "renewal-due")
        #expect(json.first?["days_left"] as? Int == 7)

        let overdue = try repo.box.sla("status", "--check", "--today", "2027-07-02")
        #expect(overdue.status == 1)
        #expect(overdue.stdout.contains("overdue") && overdue.stdout.contains("-1"))
        #expect(overdue.stderr.contains("\(id) is overdue"))
    }

    @Test("a faulted agreement is shown as faulted with its fault and no dates; --check fails, plain status does not")
    func faulted() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.removeSignatureWithGit("soren@acme.dk")
        let plain = try repo.box.sla("status", "--format", "json", "--today", "2027-03-01")
        #expect(plain.status == 0)
        let row = try #require(try Self.rows(plain).first)
        #expect(row["state"] as? String == "faulted")
        #expect((row["fault"] as? String)?.contains("soren@acme.dk.sig") == true)
        for key in ["in_force_version", "effective_from", "renewal_due", "days_left"] { #expect(row[key] is NSNull, "\(key)") }
        #expect(try repo.box.sla("status", "--check", "--today", "2027-03-01").status == 1)
    }

    @Test("a tag moved after status remembered the tags is seen at once, loose or packed", arguments: [false, true])
    func movedTagAfterStatus(packed: Bool) throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        if packed { try repo.box.git("pack-refs", "--all") }
        let state = { try Self.rows(try repo.box.sla("status", "--format", "json", "--today", "2027-03-01")).first?["state"] as? String }
        #expect(try state() == "awaiting-signatures")
        #expect(repo.box.exists(".git/sla/tags.refs"))
        #expect(try state() == "awaiting-signatures", "answered from what was remembered")
        let v1Commit = try repo.box.git("rev-list", "-n", "1", "sla/acme-sales-marketing/v1").trimmingCharacters(
            in: .whitespacesAndNewlines)
        try repo.box.git("tag", "-f", "-a", "-m", "moved", "sla/acme-sales-marketing/v2", v1Commit)
        if packed { try repo.box.git("pack-refs", "--all") }
        #expect(try state() == "faulted")
        // Moved back: the fault was the tag's alone (rule 5 judges the tags as they are now).
        let v2Commit = try repo.box.git("rev-list", "-n", "1", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.box.git("tag", "-f", "-a", "-m", "back", "sla/acme-sales-marketing/v2", v2Commit)
        #expect(try state() == "awaiting-signatures")
    }

    @Test("unknown and malformed ids exit 1; a draft-only agreement is listed as draft")
    func ids() throws {
        let box = try Sandbox()
        try box.initRepository()
        #expect(try box.sla("status").stdout.contains("No agreements yet"))
        #expect(try box.sla("new", "team-a", "--lang", "en").status == 0)
        let json = try Self.rows(try box.sla("status", "--format", "json"))
        #expect(json.map { $0["state"] as? String } == ["draft"])
        #expect(try box.sla("status", "nope").status == 1)
        #expect(try box.sla("status", "Bad_ID").status == 1)
    }
}
