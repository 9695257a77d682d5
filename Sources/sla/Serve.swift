import ArgumentParser
import Foundation
import SLAKit
import SLAServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a read-only dashboard, the JSON API and a calendar feed of the repository.",
        discussion: """
            Pages: / (every agreement), /agreements/ID, /agreements/ID/versions/vN, \
            /agreements/ID/diff?from=vN&to=vM, /agreements/ID/report (with --contacts). JSON: /api/agreements \
            (as sla status --format json), /api/agreements/ID, /api/agreements/ID/diff, /api/agreements/ID/report. Calendar: /calendar.ics. Health: /healthz. \
            Every answer is read from the committed state (HEAD) when the request arrives; new commits \
            are seen without a restart. Nothing can be changed through it: signing stays on the command line.
            Example: sla serve --repo /srv/sla --port 8080
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Option(name: .long, help: "The address to listen on (default: loopback only).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed on stderr).")
    var port = 8080

    @Option(
        name: .long, help: ArgumentHelp("A contacts export to report from at /agreements/ID/report (see sla report).", valueName: "file"))
    var contacts: String?

    @Option(name: .long, help: ArgumentHelp("A deals export for the report.", valueName: "file"))
    var deals: String?

    @Option(name: .long, help: ArgumentHelp("The report's column mapping (see sla report).", valueName: "file"))
    var mapping: String?

    func validate() throws {
        if contacts == nil, deals != nil || mapping != nil {
            throw ValidationError("--deals and --mapping need --contacts: the report starts from the contacts export")
        }
    }

    func run() async throws {
        var configuration: ServeConfiguration?
        let host = self.host
        try perform {
            // A number that names no port is bad input (exit 1), as a bad date is; usage is 64.
            guard (0...65535).contains(port) else { throw SLAError("--port must be between 0 and 65535, not \(port)", kind: .badInput) }
            let fixed = try today.today.map { try parseDate($0, option: "--today") }
            // Paths are made absolute now: the service reads them on every report request.
            func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
            let report = try contacts.map { contacts in
                (
                    exports: ReportExports(contacts: (absolute(contacts), contacts), deals: deals.map { (absolute($0), $0) }),
                    mapping: try ReportSources.mapping(mapping)
                )
            }
            configuration = ServeConfiguration(
                repository: repository.repo, host: host, port: port, today: { fixed ?? LocalDate.today(in: .current) }, report: report)
        }
        guard let configuration else { return }
        do {
            try await SLAServer.serve(configuration) { port in
                Terminal.error("sla serve: listening on http://\(host):\(port)/ (read-only; Ctrl-C stops it)")
            }
        } catch let error as SLAError {
            throw report(error)
        } catch {
            Terminal.error("error: the web service could not listen on \(host):\(port) (is the port taken?), or it stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
