import Foundation
import Testing

@testable import SLAKit

/// `sla report`'s counting over synthetic exports in HubSpot's header style, in both CSV
/// dialects (comma and ISO dates; Danish Excel's semicolons, BOM, CRLF, day-first dates and
/// decimal commas). Every expected figure is worked out by hand in the comments.
@Suite struct ReportTests {
    static let contactsHeader = [
        "Record ID", "Became a Lead Date", "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
        "Became a Customer Date", "Date of first engagement", "Contact owner", "Number of times contacted",
    ]

    /// Rows as [id, lead, mql, sql, customer, engagement, owner, times]; `iso` picks the date form.
    static func contactRows(iso: Bool) -> [[String]] {
        func d(_ isoText: String, _ danish: String) -> String { iso ? isoText : danish }
        return [
            ["1", d("2027-01-05", "05-01-2027"), "", "", "", "", "", "0"],  // line 2
            [
                "2", d("2027-01-06 10:00", "06-01-2027 10:00"), d("2027-01-08", "08-01-2027"),
                d("2027-01-10T08:00:00Z", "10-01-2027 08:00"),
                "", d("2027-01-10 20:30", "10-01-2027 20:30"), iso ? "Søren" : "Søren \"SJ\"\r\nJensen", "2",
            ],  // line 3 (in the Danish file a quoted line break makes it lines 3-4)
            [
                "3", d("2027-02-01", "01-02-2027"), d("2027-02-02", "02-02-2027"), d("2027-02-03 09:00", "03-02-2027 09:00"),
                d("2027-03-15", "15-03-2027"), d("2027-02-04 09:00:00+01:00", "04-02-2027 09:00"), "Mette", "7",
            ],
            [
                "4", d("2026-12-20", "20-12-2026"), d("2026-12-21", "21-12-2026"), d("2026-12-28 10:00", "28-12-2026 10:00"), "",
                d("2027-01-02 10:00", "02-01-2027 10:00"), "Søren", "6",
            ],
            ["5", d("2027-03-01", "01-03-2027"), "", d("2027-03-02 12:00", "02-03-2027 12:00"), "", "", "Mette", "6"],
            [
                "6", d("2027-03-03", "03-03-2027"), d("2027-03-04", "04-03-2027"), d("2027-03-05 12:00", "05-03-2027 12:00"), "",
                d("2027-03-05 08:00", "05-03-2027 08:00"), "Søren", "1",
            ],
            ["", d("2027-03-10", "10-03-2027"), "", "", "", "", "", ""],  // an empty id is kept
            ["", d("2027-03-11", "11-03-2027"), "", "", "", "", "", ""],  // and never a repeat
            ["3", d("2027-03-12", "12-03-2027"), "", "", "", "", "", ""],  // repeats id 3: skipped
            ["7", "not-a-date", "", "", "", "", "", ""],  // skipped
            ["8", d("2027-03-20", "20-03-2027"), "", "", "", "", ""],  // 7 fields: skipped
        ]
    }

    static func csv(_ header: [String], _ rows: [[String]], semicolons: Bool) -> Data {
        let separator = semicolons ? ";" : ","
        func cell(_ text: String) -> String {
            text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains(",")
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let lineEnd = semicolons ? "\r\n" : "\n"
        let text = ([header] + rows).map { $0.map(cell).joined(separator: separator) }.joined(separator: lineEnd) + lineEnd
        return (semicolons ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)
    }

    /// A fresh folder for export files; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sla-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static let dealsHeader = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Deal owner"]
    static func dealRows(danish: Bool) -> [[String]] {
        [
            ["d1", "A", "Closed won", danish ? "1.000,50" : "1000.50", danish ? "15-01-2027" : "2027-01-15", "Søren"],
            ["d2", "B", "closedwon", danish ? "2.000" : "2,000", danish ? "15-02-2027" : "2027-02-15", "Mette"],
            ["d3", "C", "Closed lost", "500", danish ? "20-02-2027" : "2027-02-20", "Søren"],
            ["d4", "D", "Closed won", "", danish ? "01-03-2027" : "2027-03-01", "Søren"],  // no amount: skipped (line 5)
            ["d5", "E", "Appointment scheduled", "300", danish ? "02-03-2027" : "2027-03-02", "Søren"],  // open: ignored
            ["d6", "F", "Closed won", "700", danish ? "31-12-2026" : "2026-12-31", "Søren"],  // before the period
        ]
    }

    static func build(
        semicolons: Bool, deals: Bool, from: String = "2027-01-01", to: String = "2027-03-31",
        editRows: ([[String]]) -> [[String]] = { $0 }
    ) throws -> AgreementReport {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let contacts = directory.appendingPathComponent("contacts.csv")
        try csv(contactsHeader, editRows(contactRows(iso: !semicolons)), semicolons: semicolons).write(to: contacts)
        let (agreement, problems) = decode(try ProjectFiles.exampleText)
        let valid = try #require(agreement, "\(problems)")
        let mapping = ColumnMapping(preset: .hubspot)
        let counter = ExportCounter(mapping: mapping, from: LocalDate(iso: from)!, to: LocalDate(iso: to)!)
        var counts = ExportCounts()
        try counter.countContacts(path: contacts.path, name: "contacts.csv", withDeals: deals, into: &counts)
        if deals {
            let file = directory.appendingPathComponent("deals.csv")
            try csv(dealsHeader, dealRows(danish: semicolons), semicolons: semicolons).write(to: file)
            try counter.countDeals(path: file.path, name: "deals.csv", into: &counts)
        }
        return ReportBuilder(
            agreement: valid, version: 1, from: LocalDate(iso: from)!, to: LocalDate(iso: to)!, counts: counts, mapping: mapping
        ).report()
    }

    @Test("contacts in both dialects give the figures worked out by hand", arguments: [false, true])
    func contactFigures(semicolons: Bool) throws {
        let report = try Self.build(semicolons: semicolons, deals: false)
        func actual(_ metric: String, _ deadline: String) -> Decimal? {
            report.goals.first { $0.metric == metric && $0.deadline == deadline }?.actual ?? nil
        }
        // Leads in Jan-Mar: ids 1, 2, 3, 5, 6 and the two without an id (4's is in December).
        #expect(actual("leads", "2027-06-30") == 7)
        #expect(actual("mql", "2027-06-30") == 3)  // 2, 3, 6
        #expect(actual("sql", "2027-06-30") == 4)  // 2, 3, 5, 6
        #expect(actual("sales", "2027-06-30") == 1)  // 3 became a customer on 03-15
        #expect(actual("revenue", "2027-06-30") == nil)  // no deals export
        let leads = try #require(report.goals.first { $0.metric == "leads" && $0.deadline == "2027-06-30" })
        // 90 of the goal window's 181 days have passed: 1200 x 90 / 181 = 596.69.
        #expect(leads.expectedByNow == Decimal(string: "596.69"))
        #expect(leads.onTrack == false)
        #expect(leads.forecast == Decimal(string: "14.08"))  // 7 x 181 / 90

        #expect(report.sqlPerMonth.map(\.month) == ["2027-01", "2027-02", "2027-03"])
        #expect(report.sqlPerMonth.map(\.actual) == [1, 1, 2])
        #expect(report.sqlPerMonth.allSatisfy { $0.target == 40 })

        // 2: 08:00 -> 20:30 = 12.5 h; 3: 24 h (the offset is dropped); 6: engaged before = 0 h; 5: none.
        let response = report.responseTime
        #expect(response.sqls == 4 && response.contacted == 3 && response.notContacted == 1)
        #expect(response.withinLimit == 3)
        #expect(response.medianHours == 12.5)
        #expect(response.p90Hours == 24)  // the ceil(0.9 x 3) = 3rd smallest
        #expect(response.slowest.first?.recordId == "5" && response.slowest.first?.hours == nil)

        #expect(report.leadVelocityRate == 1.0)  // March 2 SQLs against February's 1
        #expect(report.mqlToSqlRate == 1.0)  // MQLs 2, 3, 6 all reached SQL
        #expect(report.followUp.notConverted == 3 && report.followUp.withEnoughAttempts == 1)  // 2, 5, 6; only 5 has 6
        #expect(report.winRate == nil)

        // Line numbers count every line break: in the Danish file row 2 takes two lines.
        let shift = semicolons ? 1 : 0
        #expect(
            report.skippedRows.map { "\($0.line): \($0.reason)" } == [
                "\(10 + shift): repeats the record id '3' of line \(4 + shift)",
                "\(11 + shift): 'not-a-date' in column 'Became a Lead Date' is not a date",
                "\(12 + shift): has 7 fields; the header has 8",
            ])
        #expect(report.skippedRows.allSatisfy { $0.file == "contacts.csv" })
    }

    @Test("deals in both dialects: sales, revenue with decimal commas, win rate", arguments: [false, true])
    func dealFigures(semicolons: Bool) throws {
        let report = try Self.build(semicolons: semicolons, deals: true)
        let revenue = try #require(report.goals.first { $0.metric == "revenue" && $0.deadline == "2027-06-30" })
        #expect(revenue.actual == Decimal(string: "3000.5"))  // d1 + d2; d6 closed before the period
        #expect(report.goals.first { $0.metric == "sales" && $0.deadline == "2027-06-30" }?.actual == 2)
        #expect(report.winRate.map { ($0 * 1000).rounded() } == 667)  // 2 won of 3 closed
        #expect(
            report.skippedRows.filter { $0.file == "deals.csv" }.map { "\($0.line): \($0.reason)" } == ["5: a won deal without an amount"])
    }

    /// Re-record on purpose only: SLA_RECORD_GOLDEN=1 swift test --filter ReportTests
    @Test("text and JSON match the golden files")
    func golden() throws {
        let report = try Self.build(semicolons: false, deals: true)
        try DiffTests.compare(try report.json(), golden: "report.json")
        try DiffTests.compare(ReportText.text(report), golden: "report.txt")
        // The Danish export: an owner's name holds a quote and a line break.
        try DiffTests.compare(ReportMarkdown.markdown(try Self.build(semicolons: true, deals: true)), golden: "report.md")
    }

    @Test(
        "a quote CSV does not allow there refuses the export, naming its line (the rows after it would be joined)",
        arguments: [
            ("1,\"Acme\" Nordic,2027-01-02\n2,Beta,2027-01-03\n3,\"Gamma\",2027-01-04\n", 2),
            ("1,Acme,2027-01-02\n2,Be\"ta,2027-01-03\n", 3),
            ("1,Acme,2027-01-02\r\n2,\"Beta\r\nline,2027-01-03\r\n", 3),
            ("1,\"A \"\"B\"\"\",2027-01-02\n2,\"C\r\nD\",2027-01-03\n", nil),
        ] as [(String, Int?)])
    func strayQuotes(_ rows: String, _ line: Int?) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("contacts.csv")
        try Data(("\u{FEFF}\"Record ID\",Company,Became a Lead Date\n" + rows).utf8).write(to: file)
        #expect(CSVExport.strayQuoteLine(InputStream(url: file), delimiter: UInt8(ascii: ",")) == line)
    }

    @Test("a day-first date in a column the report does not need still decides the file's order (DESIGN.md: anywhere)")
    func orderFromAnyColumn() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("contacts.csv")
        try Data(
            ("Record ID,Create Date,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,"
                + "Became a Customer Date,Date of first engagement\n1,13/01/2027,01/03/2027,,,,\n").utf8
        ).write(to: file)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-03-31")!)
        var counts = ExportCounts()
        try counter.countContacts(path: file.path, name: "contacts.csv", withDeals: false, into: &counts)
        // Day-first: 01/03/2027 is 1 March.
        #expect(counts.count(.leads, from: LocalDate(iso: "2027-03-01")!, through: LocalDate(iso: "2027-03-01")!) == 1)
        #expect(counts.skipped.isEmpty)
    }

    @Test("a blank line is no row: not skipped, not reported, and the lines after it keep their numbers")
    func blankLines() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deals = directory.appendingPathComponent("deals.csv")
        try Data("Record ID,Deal Stage,Amount,Close Date\n1,closedwon,100,2027-01-10\n\n2,closedlost,x,2027-01-12\n\n".utf8).write(
            to: deals)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-03-31")!)
        var counts = ExportCounts()
        try counter.countDeals(path: deals.path, name: "deals.csv", into: &counts)
        #expect(counts.won == 1)
        #expect(counts.skipped.map { "\($0.line): \($0.reason)" } == ["4: 'x' in column 'Amount' is not an amount"])
    }

    @Test("a lost deal whose amount is not an amount is skipped, so it never counts in the win rate")
    func lostDealBadAmount() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deals = directory.appendingPathComponent("deals.csv")
        try Data(
            "Record ID,Deal Stage,Amount,Close Date\n1,closedwon,100,2027-01-10\n2,closedlost,n/a,2027-01-12\n3,closedlost,,2027-01-13\n"
                .utf8
        )
        .write(to: deals)
        let mapping = ColumnMapping(preset: .hubspot)
        let counter = ExportCounter(mapping: mapping, from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-03-31")!)
        var counts = ExportCounts()
        try counter.countDeals(path: deals.path, name: "deals.csv", into: &counts)
        #expect(counts.won == 1 && counts.lost == 1)
        #expect(counts.skipped.map { "\($0.line): \($0.reason)" } == ["3: 'n/a' in column 'Amount' is not an amount"])
    }

    @Test("JSON: DEL, C1 and bidirectional controls from an export are escaped as \\uXXXX, and the JSON stays valid")
    func jsonEscapesControls() throws {
        let report = try Self.build(semicolons: false, deals: false) { rows in
            rows.map { row in row.count > 6 && row[6] == "Mette" ? Array(row[..<6]) + ["Me\u{7F}t\u{85}te\u{202E}"] + Array(row[7...]) : row
            }
        }
        let json = try report.json()
        #expect(json.contains("Me\\u007ft\\u0085te\\u202e"), "\(json)")
        #expect(!json.unicodeScalars.contains { DisplayControl.isControl($0) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let owners = ((object["response_time"] as? [String: Any])?["by_owner"] as? [[String: Any]])?.compactMap { $0["owner"] as? String }
        #expect(owners?.contains("Me\u{7F}t\u{85}te\u{202E}") == true, "\(String(describing: owners))")
    }

    @Test("markdown: a text from an export stays inside its table cell and never becomes markup")
    func markdownEscapesExports() throws {
        let hostile = "Mette | </td><script>x</script> [link](http://e) *b* |\u{301}"
        let report = try Self.build(semicolons: false, deals: false) { rows in
            rows.map { row in row.count > 6 && row[6] == "Mette" ? Array(row[..<6]) + [hostile] + Array(row[7...]) : row }
        }
        let markdown = ReportMarkdown.markdown(report)
        let owners = markdown.split(separator: "\n").filter { $0.contains("Mette") }
        #expect(!owners.isEmpty)
        for line in owners {
            // Every bar of the owner's text is escaped: the row has as many cells as its header.
            #expect(line.contains("Mette \\| \\</td\\>\\<script\\>x\\</script\\> \\[link\\](http://e) \\*b\\* \\|\u{301}"), "\(line)")
        }
        #expect(!markdown.contains("<script>"))
    }

    @Test("business hours: weekdays only, within the working day")
    func businessHours() throws {
        let hours = try #require(BusinessHours("8-16"))
        func at(_ text: String) -> ExportTime { ExportDateReader(order: nil, format: nil).read(text)! }
        // Friday 2027-03-05 15:00 to Monday 2027-03-08 09:00: one hour on Friday, one on Monday.
        #expect(hours.hours(from: at("2027-03-05 15:00"), to: at("2027-03-08 09:00")) == 2)
        #expect(hours.hours(from: at("2027-03-06 10:00"), to: at("2027-03-07 23:00")) == 0)  // a weekend
        #expect(hours.hours(from: at("2027-03-08 06:00"), to: at("2027-03-08 20:00")) == 8)
        #expect(hours.hours(from: at("2027-03-08 12:00"), to: at("2027-03-08 11:00")) == 0)
        #expect(BusinessHours("16-8") == nil && BusinessHours("8-25") == nil && BusinessHours("x") == nil)
    }

    @Test("a goal whose deadline is before the period has actual 0 and no verdict")
    func goalBeforePeriod() throws {
        let report = try Self.build(semicolons: false, deals: false, from: "2027-07-01", to: "2027-09-30")
        let early = try #require(report.goals.first { $0.metric == "leads" && $0.deadline == "2027-06-30" })
        #expect(early.actual == 0 && early.onTrack == nil)
        #expect(report.leadVelocityRate == nil)  // September 0 against August 0: nothing to divide by
    }

    @Test("dates: ISO with times and offsets, day-first and month-first forms, strftime patterns")
    func dates() {
        let iso = ExportDateReader(order: nil, format: nil)
        #expect(iso.read("2027-03-05")?.description == "2027-03-05 00:00")
        #expect(iso.read("2027-03-05T09:30:00.123+02:00")?.description == "2027-03-05 09:30")
        #expect(iso.read("2027-03-05 9:30")?.description == "2027-03-05 09:30")
        #expect(iso.read("05-03-2027") == nil)  // numeric without a decided order
        #expect(ExportDateReader(order: .dayFirst, format: nil).read("05-03-2027 09:30")?.description == "2027-03-05 09:30")
        #expect(ExportDateReader(order: .monthFirst, format: nil).read("3/5/2027 9:30 PM")?.description == "2027-03-05 21:30")
        #expect(ExportDateReader(order: .monthFirst, format: nil).read("3/5/2027 12:15 AM")?.description == "2027-03-05 00:15")
        #expect(ExportDateReader.evidence("13/02/2027") == .dayFirst)
        #expect(ExportDateReader.evidence("02/13/2027") == .monthFirst)
        #expect(ExportDateReader.evidence("02/03/2027") == nil)
        let pattern = ExportDateReader(order: nil, format: "%d.%m.%Y %H:%M")
        #expect(pattern.read("05.03.2027 09:30")?.description == "2027-03-05 09:30")
        #expect(pattern.read("05.03.2027")?.description == "2027-03-05 00:00")
        #expect(pattern.read("31.02.2027") == nil)
    }

    @Test("ISO rows first, numeric dates later: the count starts over once the order is known, counting each row once")
    func numericDatesAfterISO() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.csv")
        let rows = [
            ["1", "2027-01-05", "", "", "", "", "", ""], ["2", "06-01-2027", "", "", "", "", "", ""],
            ["3", "13-01-2027", "", "", "", "", "", ""],
        ]
        try Self.csv(Self.contactsHeader, rows, semicolons: false).write(to: file)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-12-31")!)
        var counts = ExportCounts()
        try counter.countContacts(path: file.path, name: "c.csv", withDeals: false, into: &counts)
        #expect(counts.count(.leads, from: LocalDate(iso: "2027-01-01")!, through: LocalDate(iso: "2027-01-31")!) == 3)
        #expect(counts.perDay[.leads]?[LocalDate(iso: "2027-01-06")!.dayNumber] == 1)  // 06-01 read day-first
        #expect(counts.skipped.isEmpty, "\(counts.skipped)")
    }

    @Test("with date_format set, ISO dates are still read; a date_format sla cannot read is refused with its line")
    func dateFormatKeepsISO() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.csv")
        let rows = [
            ["1", "2027-01-05", "", "", "", "", "", ""], ["2", "2027-01-06 10:00", "", "", "", "", "", ""],
            ["3", "07-01-2027 09:30", "", "", "", "", "", ""],
        ]
        try Self.csv(Self.contactsHeader, rows, semicolons: false).write(to: file)
        let mapping = try ColumnMapping.load(Data("date_format: \"%d-%m-%Y %H:%M\"\n".utf8), file: "m.yaml")
        let counter = ExportCounter(mapping: mapping, from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-12-31")!)
        var counts = ExportCounts()
        try counter.countContacts(path: file.path, name: "c.csv", withDeals: false, into: &counts)
        #expect(counts.skipped.isEmpty, "\(counts.skipped)")
        #expect(counts.count(.leads, from: LocalDate(iso: "2027-01-01")!, through: LocalDate(iso: "2027-01-31")!) == 3)
        #expect(counts.perDay[.leads]?[LocalDate(iso: "2027-01-07")!.dayNumber] == 1)
        for (format, words) in [
            ("%Q-%m-%Y", "%Q is not a directive"), ("%H:%M", "needs a year"), ("%d-%m-%Y %", "a lone %"),
            ("%Y-%d-%m", "always read as ISO"),
        ] {
            #expect {
                _ = try ColumnMapping.load(Data("preset: hubspot\ndate_format: \"\(format)\"\n".utf8), file: "m.yaml")
            } throws: { "\($0)".contains("m.yaml:2:") && "\($0)".contains(words) }
        }
    }

    @Test("a row skipped for its number of fields still has its record id seen: a later row repeating it is skipped")
    func shortRowKeepsItsID() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.csv")
        let rows = [["7", "2027-01-05", "", ""], ["7", "2027-01-06", "", "", "", "", "", ""]]
        try Self.csv(Self.contactsHeader, rows, semicolons: false).write(to: file)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-12-31")!)
        var counts = ExportCounts()
        try counter.countContacts(path: file.path, name: "c.csv", withDeals: false, into: &counts)
        #expect(counts.skipped.map(\.line) == [2, 3], "\(counts.skipped)")
        #expect(counts.skipped.last?.reason.contains("repeats the record id '7' of line 2") == true, "\(counts.skipped)")
        #expect(counts.count(.leads, from: LocalDate(iso: "2027-01-01")!, through: LocalDate(iso: "2027-01-31")!) == 0)
    }

    @Test("a file where every numeric date could be either order is refused, naming date_format")
    func ambiguousDates() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.csv")
        let rows = [["1", "03/04/2027", "", "", "", "", "", ""]]
        try Self.csv(Self.contactsHeader, rows, semicolons: false).write(to: file)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-12-31")!)
        var counts = ExportCounts()
        do {
            try counter.countContacts(path: file.path, name: "c.csv", withDeals: false, into: &counts)
            Issue.record("an ambiguous file was read")
        } catch {
            #expect("\(error)".contains("every date could be day-first or month-first; set date_format"), "\(error)")
        }
    }

    @Test("every missing column is named with its mapping key")
    func missingColumns() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.csv")
        try Data("Record ID,Became a Lead Date\n1,2027-01-01\n".utf8).write(to: file)
        let counter = ExportCounter(
            mapping: ColumnMapping(preset: .hubspot), from: LocalDate(iso: "2027-01-01")!, to: LocalDate(iso: "2027-12-31")!)
        var counts = ExportCounts()
        do {
            try counter.countContacts(path: file.path, name: "c.csv", withDeals: true, into: &counts)
            Issue.record("a file without the needed columns was read")
        } catch {
            let message = "\(error)"
            for (header, key) in [
                ("Became a Marketing Qualified Lead Date", "mql_date"), ("Became a Sales Qualified Lead Date", "sql_date"),
                ("Date of first engagement", "first_engagement"),
            ] {
                #expect(message.contains("'\(header)' (mapping key columns.\(key))"), "\(message)")
            }
            #expect(!message.contains("customer_date"), "with --deals the customer date is not needed: \(message)")
        }
    }

    @Test("a mapping file renames columns and stages, and names its own mistakes by line")
    func mappingFile() throws {
        let mapping = try ColumnMapping.load(
            Data("preset: pipedrive\ncolumns:\n  sql_date: SQL-dato\nclosed_won: [Vundet]\ndecimal_comma: true\n".utf8), file: "m.yaml")
        #expect(mapping.preset == .pipedrive)
        #expect(mapping.header(.sqlDate) == "SQL-dato")
        #expect(mapping.header(.dealStage) == "Deal - Status")
        #expect(mapping.closedWon == ["vundet"])
        #expect(mapping.decimalComma == true)
        do {
            _ = try ColumnMapping.load(Data("columns:\n  sql_dato: X\n".utf8), file: "m.yaml")
            Issue.record("an unknown column was accepted")
        } catch {
            #expect("\(error)".hasPrefix("m.yaml:2:13: unknown column 'sql_dato'"), "\(error)")
        }
    }

    @Test("amounts: decimal points, decimal commas, thousands separators")
    func amounts() {
        #expect(ExportCounter.amount("1234.5", decimalComma: false) == Decimal(string: "1234.5"))
        #expect(ExportCounter.amount("1,234.50", decimalComma: false) == Decimal(string: "1234.5"))
        #expect(ExportCounter.amount("1.234,50", decimalComma: true) == Decimal(string: "1234.5"))
        #expect(ExportCounter.amount("1 234,50", decimalComma: true) == Decimal(string: "1234.5"))
        #expect(ExportCounter.amount("12 kr", decimalComma: true) == nil)
        #expect(ExportCounter.amount("-1.234.567,5", decimalComma: true) == Decimal(string: "-1234567.5"))
        #expect(ExportCounter.amount("1,234,567", decimalComma: false) == Decimal(1_234_567))
        // Separators that do not group by three are no amount (not a hundred times one).
        #expect(ExportCounter.amount("1234.50", decimalComma: true) == nil)
        #expect(ExportCounter.amount("1234,50", decimalComma: false) == nil)
        #expect(ExportCounter.amount("12,34.5", decimalComma: false) == nil)
        #expect(ExportCounter.amount("1.234,", decimalComma: true) == nil)
        #expect(ExportCounter.amount("", decimalComma: false) == nil)
    }
}
