import ArgumentParser
import Foundation
import SLAKit

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure whether the agreement is kept, from the CRM's CSV exports.",
        discussion: """
            Counts leads, MQLs, SQLs, sales and revenue in the period against the goals (§4), SQLs per month and the response time against the commitments (§5), and the KPIs of §6 that the exports can measure, for the version in force on --to. Column names are HubSpot's unless --mapping names a preset (salesforce, pipedrive) or other headers.
            Example: sla report acme-sales-marketing --contacts contacts.csv --deals deals.csv --to 2027-03-31
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Argument(help: "The agreement.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("The contacts export (CSV).", valueName: "file"))
    var contacts: String

    @Option(
        name: .long, help: ArgumentHelp("The deals export (CSV); without it a sale is a contact that became a customer.", valueName: "file")
    )
    var deals: String?

    @Option(
        name: .long, help: ArgumentHelp("First day of the period (default: effective_from of the version in force).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day of the period (default: today).", valueName: "date"))
    var to: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A YAML file with preset, columns, closed_won, closed_lost, date_format, delimiter, decimal_comma.", valueName: "file"))
    var mapping: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Count response times in working hours, Monday to Friday, e.g. 8-16 (default: calendar hours).", valueName: "from-to"))
    var businessHours: String?

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown, html
    }

    @Option(name: .long, help: "Output format: text, json, markdown or html (one self-contained page with charts).")
    var format: ReportFormat = .text

    func run() async throws {
        try perform {
            let id = try agreementID(self.id)
            let end = try to.map { try parseDate($0, option: "--to") } ?? (try today.date())
            let start = try from.map { try parseDate($0, option: "--from") }
            let columns = try ReportSources.mapping(mapping)
            let hours = try businessHours.map { text -> BusinessHours in
                guard let hours = BusinessHours(text) else {
                    throw SLAError("--business-hours '\(text)' is not FROM-TO in whole hours, such as 8-16", kind: .badInput)
                }
                return hours
            }
            let repo = try repository.open()
            // The exports are read more than once (the date order first): a pipe is copied once.
            let copies = FileManager.default.temporaryDirectory.appendingPathComponent("sla-report-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: copies) }
            let report = try repo.report(
                id,
                exports: ReportExports(
                    contacts: (try ReportSources.readable(contacts, copies: copies), contacts),
                    deals: try deals.map { (try ReportSources.readable($0, copies: copies), $0) }),
                from: start, to: end, mapping: columns, businessHours: hours)
            switch format {
            case .json: Terminal.output(try report.json())
            case .text: Terminal.output(ReportText.text(report))
            case .markdown: Terminal.output(ReportMarkdown.markdown(report))
            case .html: Terminal.output(ReportHTML.html(report))
            }
            if !report.skippedRows.isEmpty {
                Terminal.error("sla report: \(report.skippedRows.count) row(s) skipped; each is listed with its file and line")
            }
        }
    }
}

/// The exports and mapping that `report` and `serve` are given.
enum ReportSources {
    /// `path`, or for a pipe (`--contacts <(…)`, a FIFO), which can be read once only, a copy of
    /// what it gives in `copies`.
    static func readable(_ path: String, copies: URL) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFIFO || status.st_mode & S_IFMT == S_IFCHR else { return path }
        guard let handle = FileHandle(forReadingAtPath: path) else { return path }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        let copy = copies.appendingPathComponent(UUID().uuidString)
        try data.write(to: copy)
        return copy.path
    }

    /// The `--mapping` file, or HubSpot's columns.
    static func mapping(_ path: String?) throws -> ColumnMapping {
        guard let path else { return ColumnMapping(preset: .hubspot) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SLAError("cannot read the mapping file \(path)", kind: .notFound)
        }
        return try ColumnMapping.load(data, file: path)
    }
}
