import Foundation
import Hummingbird
import HummingbirdTesting
import SLAKit
import Testing

@testable import SLAServer

/// Every route of `sla serve`, against a real repository, through Hummingbird's router.
@Suite("sla serve: routes")
struct RouteTests {
    static let today = LocalDate(iso: "2027-03-01")!

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// GETs each path in turn from one application over `fixture` (reporting from `report`'s exports).
    static func get(
        _ fixture: Fixture, _ paths: [String], headers: HTTPFields = [:], report: (exports: ReportExports, mapping: ColumnMapping)? = nil
    ) async throws -> [Answer] {
        let app = try SLAServer.application(ServeConfiguration(repository: fixture.repo.path, today: { today }, report: report))
        return try await app.test(.router) { client in
            var answers: [Answer] = []
            for path in paths {
                answers.append(
                    try await client.execute(uri: path, method: .get, headers: headers) { response in
                        Answer(
                            status: response.status, headers: response.headers,
                            body: String(decoding: response.body.readableBytesView, as: UTF8.self))
                    })
            }
            return answers
        }
    }

    static func get(_ fixture: Fixture, _ path: String, headers: HTTPFields = [:]) async throws -> Answer {
        try await get(fixture, [path], headers: headers)[0]
    }

    @Test(
        "the report of the exports named on the command line: JSON as sla report, HTML with charts; 404 without exports, 400 for a bad export"
    )
    func report() async throws {
        let fixture = try Fixture()
        let contacts = fixture.root.appendingPathComponent("contacts.csv")
        try Data(
            ("Record ID,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,"
                + "Became a Customer Date,Date of first engagement\n1,2027-01-05,2027-01-06,2027-02-07 09:00,,2027-02-07 11:00\n").utf8
        ).write(to: contacts)
        let exports = ReportExports(contacts: (contacts.path, "contacts.csv"), deals: nil)
        let answers = try await Self.get(
            fixture, ["/api/agreements/acme-sales-marketing/report", "/agreements/acme-sales-marketing/report"],
            report: (exports, ColumnMapping(preset: .hubspot)))
        #expect(answers[0].status == .ok, "\(answers[0].body)")
        #expect(answers[0].object["version"] as? Int == 1 && answers[0].object["to"] as? String == "2027-03-01")
        let response = answers[0].object["response_time"] as? [String: Any]
        #expect(response?["median_hours"] as? Double == 2)
        #expect(answers[1].status == .ok && answers[1].body.contains("<svg class=\"months\""))

        let none = try await Self.get(fixture, "/api/agreements/acme-sales-marketing/report")
        #expect(none.status == .notFound && (none.object["error"] as? String)?.contains("--contacts") == true, "\(none.body)")
        let narrow = fixture.root.appendingPathComponent("narrow.csv")
        try Data("Record ID\n1\n".utf8).write(to: narrow)
        let bad = try await Self.get(
            fixture, ["/api/agreements/acme-sales-marketing/report"],
            report: (ReportExports(contacts: (narrow.path, "narrow.csv"), deals: nil), ColumnMapping(preset: .hubspot)))[0]
        #expect(
            bad.status == .badRequest && (bad.object["error"] as? String)?.contains("mapping key columns.lead_date") == true, "\(bad.body)")
    }

    @Test("the dashboard lists every agreement with its state, the version in force and who still has to sign")
    func dashboard() async throws {
        let fixture = try Fixture()
        let page = try await Self.get(fixture, "/")
        #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
        #expect(page.body.contains("data-id=\"acme-sales-marketing\" data-state=\"awaiting-signatures\""))
        #expect(page.body.contains("<td class=\"missing\">Søren Jensen</td>"))
        #expect(page.body.contains("<td>v1</td><td>2027-01-01</td><td>2027-07-01</td><td>122</td><td>v2</td>"))
    }

    @Test("/api/agreements is status --format json; /api/agreements/ID adds versions, signatures and activations")
    func api() async throws {
        let fixture = try Fixture()
        let answers = try await Self.get(fixture, ["/api/agreements", "/api/agreements/acme-sales-marketing"])
        let repository = try SLARepository.open(at: fixture.repo.path)
        let expected = String(decoding: try JSONOutput.data(try repository.status(today: Self.today)), as: UTF8.self)
        #expect(answers[0].status == .ok && answers[0].body == expected)
        let detail = answers[1].object
        #expect(detail["state"] as? String == "awaiting-signatures" && detail["in_force_version"] as? Int == 1)
        #expect(detail["missing_signatures"] as? [String] == ["soren@acme.dk"])
        let versions = try #require(detail["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? Int } == [1, 2] && versions.map { $0["approved"] as? Bool } == [true, false])
        let signatures = try #require(detail["signatures"] as? [[String: Any]])
        #expect(signatures.count == 3 && signatures.allSatisfy { $0["valid"] as? Bool == true })
        #expect(signatures.allSatisfy { ($0["fingerprint"] as? String)?.hasPrefix("SHA256:") == true })
        let activations = try #require(detail["activations"] as? [[String: Any]])
        #expect(activations.count == 1 && activations[0]["counts"] as? Bool == true && activations[0]["version"] as? Int == 1)
    }

    @Test("the diff API is diff --format json; the diff page shows the change")
    func diff() async throws {
        let fixture = try Fixture()
        let answers = try await Self.get(
            fixture,
            [
                "/api/agreements/acme-sales-marketing/diff?from=v1&to=v2", "/api/agreements/acme-sales-marketing/diff",
                "/agreements/acme-sales-marketing/diff?from=v1&to=v2",
            ])
        let changes = try #require(answers[0].object["changes"] as? [[String: Any]])
        #expect(changes.count == 1 && changes[0]["path"] as? String == "lead_handling.marketing.sql_per_month")
        #expect(changes[0]["old"] as? Int == 40 && changes[0]["new"] as? Int == 45)
        #expect(answers[1].object["from"] as? String == "v1" && answers[1].object["to"] as? String == "v2", "defaults: in force to latest")
        #expect(answers[2].status == .ok && answers[2].body.contains("40 → 45"))
    }

    @Test("the agreement page: status, timeline, the document in force, versions, signatures, activations, audit trail")
    func agreementPage() async throws {
        let fixture = try Fixture()
        let page = try await Self.get(fixture, "/agreements/acme-sales-marketing")
        #expect(page.status == .ok)
        for part in [
            "<svg", "class=\"in-force\"", "today 2027-03-01", "<h2>The version in force</h2>", "1. Overblik over aftale",
            "<h2>Versions</h2>", "<h2>Signatures</h2>", "<h2>Activations</h2>", "<h2>Audit trail</h2>", "Søren Jensen", "counts",
        ] {
            #expect(page.body.contains(part), "missing \(part)")
        }
        #expect(!page.body.contains("Faulted"))
    }

    @Test("documents: any version, in either language, as HTML or markdown")
    func documents() async throws {
        let fixture = try Fixture()
        let answers = try await Self.get(
            fixture,
            ["/agreements/acme-sales-marketing/versions/active", "/agreements/acme-sales-marketing/versions/v2?lang=en&format=markdown"])
        #expect(answers[0].status == .ok && answers[0].body.contains("<html lang=\"da\">") && answers[0].body.contains("Version 1"))
        #expect(answers[1].headers[.contentType] == "text/markdown; charset=utf-8")
        #expect(answers[1].body.contains("## 7. Validity") && answers[1].body.contains("Still to sign: Søren Jensen."))
    }

    @Test(
        "bad parameters get 400, unknown ids, versions and pages 404, each with a JSON error",
        arguments: [
            ("/api/agreements/Bad_ID", 400), ("/agreements/acme-sales-marketing/versions/vx", 400),
            ("/agreements/acme-sales-marketing/versions/v1?lang=de", 400), ("/agreements/acme-sales-marketing/versions/v1?format=pdf", 400),
            ("/api/agreements/acme-sales-marketing/diff?from=yesterday", 400), ("/api/agreements/nobody", 404),
            ("/api/agreements/acme-sales-marketing/diff?from=v1&from=v2", 400),
            ("/agreements/acme-sales-marketing/versions/v1?lang=da&lang=en", 400),
            ("/agreements/nobody", 404), ("/agreements/acme-sales-marketing/versions/v9", 404),
            ("/api/agreements/acme-sales-marketing/diff?from=v1&to=v7", 404), ("/no/such/page", 404),
            ("/agreements/acme-sales-marketing/versions/draft", 404),
        ])
    func badInput(_ path: String, _ status: Int) async throws {
        let fixture = try Fixture()
        let answer = try await Self.get(fixture, path)
        #expect(answer.status.code == status, "\(path): \(answer.status) \(answer.body)")
        #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
        #expect((answer.object["error"] as? String)?.isEmpty == false)
    }

    @Test("HEAD answers as GET without a body; other methods get 405 naming GET and HEAD; errors never show the server's path")
    func methods() async throws {
        let fixture = try Fixture()
        let path = fixture.repo.path
        let app = try SLAServer.application(ServeConfiguration(repository: path, today: { Self.today }))
        try await app.test(.router) { client in
            let get = try await client.execute(uri: "/api/agreements", method: .get) { $0 }
            let head = try await client.execute(uri: "/api/agreements", method: .head) { $0 }
            #expect(head.status == .ok && get.status == .ok)
            #expect(head.body.readableBytes == 0 && get.body.readableBytes > 0)
            #expect(head.headers[.contentType] == get.headers[.contentType] && head.headers[.eTag] == get.headers[.eTag])
            #expect(try await client.execute(uri: "/no/such/page", method: .head) { $0.status } == .notFound)
            for method in [HTTPRequest.Method.post, .put, .delete, .options] {
                try await client.execute(uri: "/api/agreements", method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method)")
                    #expect(response.headers[.allow] == "GET, HEAD")
                    #expect(String(buffer: response.body).contains("read-only"))
                }
            }
            let unknown = try await client.execute(uri: "/api/agreements/nobody", method: .get) { String(buffer: $0.body) }
            #expect(unknown.contains("the repository") && !unknown.contains(path), "\(unknown)")
        }
    }

    @Test("pages show control characters from a file name as escapes; a right-to-left override never reaches the browser")
    func pagesEscapeControls() async throws {
        let fixture = try Fixture()
        let name = "agreements/\(Fixture.id)/x\u{1B}[2J\u{202E}gpj.exe"
        try Data("z".utf8).write(to: fixture.repo.appendingPathComponent(name))
        try fixture.git("add", "--", name)
        try fixture.git("commit", "-q", "--no-verify", "-m", "a stray file")
        let answers = try await Self.get(fixture, ["/", "/agreements/\(Fixture.id)"])
        for answer in answers {
            #expect(answer.body.contains("x\\x1B[2J\\u202Egpj.exe"), "\(answer.body.prefix(2000))")
            #expect(!answer.body.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        }
    }

    @Test("a faulted agreement shows its fault and never a version in force; explicit versions still render")
    func faulted() async throws {
        let fixture = try Fixture()
        try fixture.removeSignatureWithGit()
        let answers = try await Self.get(
            fixture,
            [
                "/agreements/acme-sales-marketing", "/api/agreements", "/agreements/acme-sales-marketing/versions/active",
                "/agreements/acme-sales-marketing/versions/v1", "/", "/calendar.ics",
            ])
        #expect(answers[0].status == .ok && answers[0].body.contains("id=\"fault\"") && answers[0].body.contains("soren@acme.dk.sig"))
        #expect(!answers[0].body.contains("The version in force") && !answers[0].body.contains("<svg"))
        let row = try #require((answers[1].json as? [[String: Any]])?.first)
        #expect(row["state"] as? String == "faulted" && row["in_force_version"] is NSNull)
        #expect(answers[2].status == .conflict && (answers[2].object["error"] as? String)?.contains("is faulted") == true)
        #expect(answers[3].status == .ok)
        #expect(answers[4].body.contains("data-state=\"faulted\""))
        #expect(!answers[5].body.contains("BEGIN:VEVENT"))
    }

    @Test("ETags: a repeated request is 304; a new commit is seen at once, with a new ETag")
    func etags() async throws {
        let fixture = try Fixture()
        let first = try await Self.get(fixture, "/api/agreements")
        let etag = try #require(first.headers[.eTag])
        let head = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(etag.contains(head) && etag.contains("2027-03-01"))
        for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            #expect(try await Self.get(fixture, "/api/agreements", headers: [.ifNoneMatch: header]).status == .notModified, "\(header)")
        }
        #expect(try await Self.get(fixture, "/api/agreements", headers: [.ifNoneMatch: "\"other\""]).status == .ok)
        try fixture.removeSignatureWithGit()
        let after = try await Self.get(fixture, "/api/agreements", headers: [.ifNoneMatch: etag])
        #expect(after.status == .ok && after.headers[.eTag] != etag && after.body.contains("faulted"))
    }

    @Test("the calendar feed and the health check")
    func calendarAndHealth() async throws {
        let fixture = try Fixture()
        let answers = try await Self.get(fixture, ["/calendar.ics", "/healthz"])
        #expect(answers[0].headers[.contentType] == "text/calendar; charset=utf-8")
        #expect(answers[0].body.hasPrefix("BEGIN:VCALENDAR\r\n") && answers[0].body.contains("DTSTART;VALUE=DATE:20270701"))
        #expect(answers[1].object["status"] as? String == "ok" && (answers[1].object["commit"] as? String)?.count == 40)
    }
}
