import Foundation
import Testing

/// `sla report` end to end: against the version in force on --to, refusing what DESIGN.md says
/// it refuses, with nothing written.
@Suite("sla report")
struct ReportCommandTests {
    static let header =
        "Record ID,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Became a Customer Date,Date of first engagement\n"

    static func activated() throws -> SignedRepository {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        return repo
    }

    @Test("an export from a pipe (process substitution) is read once and counted; a stray quote refuses with its line")
    func pipeAndStrayQuote() throws {
        let repo = try Self.activated()
        let contacts = repo.box.root.appendingPathComponent("contacts.csv")
        try Data((Self.header + "1,2027-01-05,2027-01-06,2027-01-07 09:00,,2027-01-07 10:30\n").utf8).write(to: contacts)
        let piped = try repo.box.run(
            "/bin/bash", ["-c", "\"$SLA\" report \(Example.id) --contacts <(cat \"$CSV\") --to 2027-01-31 --format json"],
            environment: ["SLA": Sandbox.slaBinary.path, "CSV": contacts.path])
        #expect(piped.status == 0, "\(piped)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(piped.stdout.utf8)) as? [String: Any])
        #expect((json["response_time"] as? [String: Any])?["sqls"] as? Int == 1, "\(piped.stdout)")
        try Data((Self.header + "1,\"2027-01-05\"x,,,,\n2,2027-01-06,,,,\n").utf8).write(to: contacts)
        let stray = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "2027-01-31")
        #expect(stray.status == 1 && stray.stderr.contains("contacts.csv:2: a quote"), "\(stray)")
    }

    @Test("JSON carries DESIGN.md's keys, the version in force on --to, and its effective_from as the default start")
    func json() throws {
        let repo = try Self.activated()
        let contacts = repo.box.root.appendingPathComponent("contacts.csv")
        try Data((Self.header + "1,2027-01-05,2027-01-06,2027-01-07 09:00,,2027-01-07 10:30\n2,2026-12-01,,,,\n").utf8).write(to: contacts)
        let result = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "2027-01-31", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in [
            "agreement", "version", "from", "to", "goals", "sql_per_month", "response_time", "lead_velocity_rate", "win_rate",
            "skipped_rows",
        ] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        #expect(json["version"] as? Int == 1)
        #expect(json["from"] as? String == "2027-01-01" && json["to"] as? String == "2027-01-31")
        let response = try #require(json["response_time"] as? [String: Any])
        #expect(response["sqls"] as? Int == 1 && response["median_hours"] as? Double == 1.5 && response["limit_hours"] as? Int == 24)
        let months = try #require(json["sql_per_month"] as? [[String: Any]])
        #expect(months.count == 1 && months[0]["month"] as? String == "2027-01" && months[0]["actual"] as? Int == 1)
        #expect(json["win_rate"] is NSNull)
    }

    @Test("HTML: one page in the agreement's language whose SVG charts draw in a real browser")
    func htmlInBrowser() throws {
        let repo = try Self.activated()
        let contacts = repo.box.root.appendingPathComponent("contacts.csv")
        var rows = Self.header
        for day in 1...28 {
            let date = "2027-02-\(day < 10 ? "0" : "")\(day)"
            rows += "\(day),\(date),\(date),\(day % 2 == 0 ? date + " 09:00" : ""),,\(day % 2 == 0 ? date + " \(10 + day % 12):00" : "")\n"
        }
        try Data(rows.utf8).write(to: contacts)
        let result = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "2027-02-28", "--format", "html")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>") && result.stdout.contains("<html lang=\"da\">"))
        #expect(result.stdout.contains("Bliver aftalen overholdt?") && result.stdout.contains("4. Målsætninger"))
        // In the browser each chart must have drawn something: every SVG's content has a size.
        let probe =
            "<script>document.body.setAttribute('data-charts', [...document.querySelectorAll('svg')].map(s => "
            + "{ const b = s.getBBox(); return s.getAttribute('class') + ':' + (b.width > 0 && b.height > 0 ? 'drawn' : 'empty') }).join(' '))</script>"
        let page = repo.box.root.appendingPathComponent("report.html")
        try Data(result.stdout.replacingOccurrences(of: "</body>", with: probe + "</body>").utf8).write(to: page)
        let dom = try ServeBrowserTests.browser(repo.box, ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0, "\(dom)")
        #expect(
            dom.stdout.contains("data-charts=\"goal:drawn goal:drawn goal:drawn goal:drawn months:drawn response:drawn\""),
            "\(dom.stdout.prefix(400))")
    }

    @Test("refused with exit 1 and nothing written: nothing in force, a faulted agreement, missing columns, a file that is not UTF-8")
    func refusals() throws {
        let repo = try SignedRepository()
        let contacts = repo.box.root.appendingPathComponent("contacts.csv")
        try Data((Self.header + "1,2027-01-05,,,,\n").utf8).write(to: contacts)
        let none = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "2027-03-31")
        #expect(none.status == 1 && none.stderr.contains("no version of 'acme-sales-marketing' is in force on 2027-03-31"), "\(none)")

        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let narrow = repo.box.root.appendingPathComponent("narrow.csv")
        try Data("Record ID,Became a Lead Date\n1,2027-01-05\n".utf8).write(to: narrow)
        let before = try repo.box.snapshot()
        let deals = repo.box.root.appendingPathComponent("deals.csv")
        try Data("Record ID,Deal Stage,Close Date\nd1,Closed won,2027-01-05\n".utf8).write(to: deals)
        let missing = try repo.box.sla("report", Example.id, "--contacts", narrow.path, "--deals", deals.path, "--to", "2027-03-31")
        // Every missing column of both files, each with its mapping key, in one refusal.
        #expect(missing.status == 1, "\(missing)")
        for key in ["mql_date", "sql_date", "first_engagement", "amount"] {
            #expect(missing.stderr.contains("(mapping key columns.\(key))"), "\(key): \(missing.stderr)")
        }
        #expect(!missing.stderr.contains("columns.customer_date"), "\(missing.stderr)")

        let latin1 = repo.box.root.appendingPathComponent("latin1.csv")
        try (Data(Self.header.utf8) + Data([0x31, 0x2C, 0xE6, 0x0A])).write(to: latin1)
        let encoding = try repo.box.sla("report", Example.id, "--contacts", latin1.path, "--to", "2027-03-31")
        #expect(encoding.status == 1 && encoding.stderr.contains("latin1.csv is not UTF-8"), "\(encoding)")
        let folder = try repo.box.sla("report", Example.id, "--contacts", repo.box.root.path, "--to", "2027-03-31")
        #expect(folder.status == 1 && folder.stderr.contains("is a directory, not a CSV export"), "\(folder)")
        // A period of centuries is a mistyped date, refused at once rather than counted for minutes.
        let centuries = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "9999-12-31", "--format", "html")
        #expect(centuries.status == 1 && centuries.stderr.contains("50 years or longer"), "\(centuries)")
        #expect(try repo.box.snapshot() == before, "a refused report wrote something")

        try repo.removeSignatureWithGit("mette@acme.dk")
        let faulted = try repo.box.sla("report", Example.id, "--contacts", contacts.path, "--to", "2027-03-31")
        #expect(faulted.status == 1 && faulted.stderr.contains("is faulted"), "\(faulted)")
    }
}
