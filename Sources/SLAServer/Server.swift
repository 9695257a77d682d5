import Foundation
import Hummingbird
import SLAKit

/// What `sla serve` is given.
public struct ServeConfiguration: Sendable {
    public var repository: String?
    public var host: String
    public var port: Int
    /// The date every answer is given as of: `--today`, or the clock, read per request by the
    /// command line (the domain never reads the clock).
    public var today: @Sendable () -> LocalDate
    /// The CRM exports `sla serve --contacts … [--deals …] [--mapping …]` names, read afresh for
    /// each report request; nil when none were named.
    public var report: (exports: ReportExports, mapping: ColumnMapping)?

    public init(
        repository: String?, host: String = "127.0.0.1", port: Int = 8080, today: @escaping @Sendable () -> LocalDate,
        report: (exports: ReportExports, mapping: ColumnMapping)? = nil
    ) {
        self.repository = repository
        self.host = host
        self.port = port
        self.today = today
        self.report = report
    }
}

/// The read-only web service: a dashboard, a page per agreement, diffs, the JSON API of
/// DESIGN.md and the calendar feed. Every response is built from one commit (HEAD as read when
/// the request arrived, through the ledger), never from the work tree.
public enum SLAServer {
    /// The application, for `serve` and for tests. Opening the repository here makes a wrong
    /// `--repo` an error before anything listens.
    public static func application(
        _ configuration: ServeConfiguration, onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let site = try Site(repository: configuration.repository, today: configuration.today, report: configuration.report)
        return Application(
            router: router(site),
            // A connection that sends nothing for 30 s (an idle keep-alive, a request never
            // finished) is closed, so abandoned connections cannot pile up.
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sla"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
    }

    /// Serves until SIGINT or SIGTERM. A repository that cannot be opened throws `SLAError`
    /// before anything listens; `onListening` is told the port (the one chosen for port 0).
    public static func serve(_ configuration: ServeConfiguration, onListening: @escaping @Sendable (_ port: Int) async -> Void) async throws
    {
        try await application(configuration, onListening: onListening).runService()
    }

    static func router(_ site: Site) -> Router<BasicRequestContext> {
        // HEAD is answered wherever GET is: the same status and headers, no body.
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: JSONErrors())
        router.get("/healthz") { request, _ in site.respond(request, cached: false) { try $0.health() } }
        router.get("/") { request, _ in site.respond(request) { try $0.dashboard() } }
        router.get("/calendar.ics") { request, _ in site.respond(request) { try $0.calendar() } }
        router.get("/api/agreements") { request, _ in site.respond(request) { try $0.statusJSON() } }
        router.get("/api/agreements/:id") { request, context in
            site.respond(request) { try $0.detailJSON(try Parameters.id(context)) }
        }
        router.get("/api/agreements/:id/diff") { request, context in
            site.respond(request) { try $0.diffJSON(try Parameters.id(context), try Parameters.comparison(request)) }
        }
        // The report reads the exports on every request (they change without a commit).
        router.get("/api/agreements/:id/report") { request, context in
            site.respond(request, cached: false) { try $0.reportPage(try Parameters.id(context), site.report, html: false) }
        }
        router.get("/agreements/:id/report") { request, context in
            site.respond(request, cached: false) { try $0.reportPage(try Parameters.id(context), site.report, html: true) }
        }
        router.get("/agreements/:id") { request, context in
            site.respond(request) { try $0.agreementPage(try Parameters.id(context)) }
        }
        router.get("/agreements/:id/diff") { request, context in
            site.respond(request) { try $0.diffPage(try Parameters.id(context), try Parameters.comparison(request)) }
        }
        router.get("/agreements/:id/versions/:version") { request, context in
            site.respond(request) {
                try $0.document(
                    try Parameters.id(context), try Parameters.selector(context.parameters.get("version") ?? "", name: "version"),
                    format: try Parameters.documentFormat(request), language: try Parameters.language(request))
            }
        }
        return router
    }
}

/// Parameters of the routes, each refused with 400 when malformed.
enum Parameters {
    static func id(_ context: BasicRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard AgreementDecoder.isValidID(id) else { throw SLAError.invalidID(id) }
        return id
    }

    static func selector(_ text: String, name: String) throws -> VersionSelector {
        guard let selector = VersionSelector(text) else {
            throw SLAError("\(name) '\(SLAError.shown(text))' is not a version: use vN, latest, active or draft", kind: .badInput)
        }
        return selector
    }

    /// The value of a query parameter given at most once (`from=v1&from=v2` is malformed: which
    /// one was meant?).
    static func parameter(_ request: Request, _ name: String) throws -> String? {
        let values = request.uri.queryParameters.getAll(name)
        guard values.count <= 1 else { throw SLAError("\(name) is given \(values.count) times; give it once", kind: .badInput) }
        return values.first.map { String($0) }
    }

    static func comparison(_ request: Request) throws -> (from: VersionSelector?, to: VersionSelector?) {
        (
            try parameter(request, "from").flatMap { $0.isEmpty ? nil : try selector($0, name: "from") },
            try parameter(request, "to").flatMap { $0.isEmpty ? nil : try selector($0, name: "to") }
        )
    }

    static func language(_ request: Request) throws -> Language? {
        guard let text = try parameter(request, "lang"), !text.isEmpty else { return nil }
        guard let language = Language(rawValue: text) else {
            throw SLAError("lang '\(SLAError.shown(text))' is not a language of sla: use da or en", kind: .badInput)
        }
        return language
    }

    static func documentFormat(_ request: Request) throws -> DocumentFormat {
        guard let text = try parameter(request, "format"), !text.isEmpty else { return .html }
        guard let format = DocumentFormat(rawValue: text) else {
            throw SLAError("format '\(SLAError.shown(text))' is not a document format: use html or markdown", kind: .badInput)
        }
        return format
    }
}

/// Routes that do not exist, and methods they do not take, answer in JSON like every error.
struct JSONErrors: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The service is read-only: every route takes GET and HEAD, and nothing else.
        guard request.method == .get || request.method == .head else {
            var response = Page.error(
                .methodNotAllowed, "the service is read-only: \(request.method.rawValue) is not allowed, only GET and HEAD"
            )
            .response(etag: nil)
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "there is no page at \(SLAError.shown(request.uri.path))" : error.status.reasonPhrase
            return Page.error(error.status, message).response(etag: nil)
        }
    }
}
