import Foundation
import Hummingbird
import SLAKit

/// One response, before it becomes HTTP.
struct Page: Sendable {
    var status: HTTPResponse.Status = .ok
    var contentType: String
    var body: String

    static func html(_ body: String) -> Page { Page(contentType: "text/html; charset=utf-8", body: body) }

    static func json<T: Encodable>(_ value: T) throws -> Page {
        Page(contentType: "application/json; charset=utf-8", body: String(decoding: try JSONOutput.data(value), as: UTF8.self))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Page {
        let body = (try? JSONOutput.data(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}\n"
        return Page(status: status, contentType: "application/json; charset=utf-8", body: body)
    }

    /// An error as the API reports it: bad input 400, not found 404, refused or a fault 409
    /// (SLAError's kinds); anything else 500, never a crash.
    /// The repository's path on the server is not the client's business: `root` is named "the
    /// repository".
    static func from(_ error: Error, hiding folders: [String]) -> Page {
        func hidden(_ text: String) -> String {
            folders.reduce(text) { text, folder in
                let folder = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
                return folder.isEmpty ? text : text.replacingOccurrences(of: folder, with: "the repository")
            }
        }
        guard let error = error as? SLAError else { return .error(.internalServerError, hidden("internal error: \(error)")) }
        let details = error.diagnostics.map(\.description)
        let message = hidden(([error.message] + details).joined(separator: "\n"))
        switch error.kind {
        case .badInput: return .error(.badRequest, message)
        case .notFound: return .error(.notFound, message)
        case .refused, .fault: return .error(.conflict, message)
        default: return .error(.internalServerError, message)
        }
    }

    /// The page as it is served: control characters from elsewhere (a file name, an author)
    /// shown as escapes, as the command line shows them (a right-to-left override would reverse
    /// the rest of a cell). JSON keeps the data as it is; its encoders escape them.
    var shown: Page {
        var page = self
        if !contentType.hasPrefix("application/json") { page.body = DisplayControl.visible(body) }
        return page
    }

    func response(etag: String?) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache"]
        if let etag { headers[.eTag] = etag }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// The service's state: where the repository is, and the responses already built for the
/// snapshot that is current (all of them dropped when HEAD, a version tag or the date changes).
final class Site: @unchecked Sendable {
    let root: String
    /// Where the repository is on the server, which no error shows (`root`, the git directory).
    let hiddenFolders: [String]
    let today: @Sendable () -> LocalDate
    private let lock = NSLock()
    private var cacheTag = ""
    private var cache: [String: Page] = [:]
    private static let cacheLimit = 512

    let report: (exports: ReportExports, mapping: ColumnMapping)?

    init(
        repository: String?, today: @escaping @Sendable () -> LocalDate, report: (exports: ReportExports, mapping: ColumnMapping)? = nil
    ) throws {
        let opened = try SLARepository.open(at: repository)
        root = opened.root
        // Longest first: the git directory usually lies inside the work tree.
        hiddenFolders = [opened.root, opened.gitDirectory, opened.commonDirectory].sorted { $0.count > $1.count }
        self.today = today
        self.report = report
    }

    /// Builds (or finds) the response to `request` from one snapshot: HEAD as read now. The
    /// ETag names the commit, the date and the state of the version tags.
    func respond(_ request: Request, cached: Bool = true, _ build: (Snapshot) throws -> Page) -> Response {
        do {
            let repository = try SLARepository.open(at: root)
            let commit = try repository.pinSnapshot()
            let today = self.today()
            let etag = "\"\(commit ?? "unborn")-\(today.iso)-\(repository.tagsStateDigest())\""
            guard cached else { return try build(Snapshot(repository, commit: commit, today: today)).shown.response(etag: nil) }
            let key = request.uri.description
            let page: Page
            if let cached = lookup(key, tag: etag) {
                page = cached
            } else {
                do {
                    page = try build(Snapshot(repository, commit: commit, today: today)).shown
                } catch {
                    page = .from(error, hiding: hiddenFolders)
                }
                store(page, key, tag: etag)
            }
            // Only a page that exists is "not modified" (an error is answered as it is).
            if page.status == .ok, let asked = request.headers[.ifNoneMatch], Self.matches(asked, etag) {
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            return page.response(etag: etag)
        } catch {
            return Page.from(error, hiding: hiddenFolders).response(etag: nil)
        }
    }

    /// `If-None-Match` (RFC 9110 13.1.2): `*`, or a list of tags compared weakly (`W/` ignored).
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = item.trimmingCharacters(in: .whitespaces)
            return tag == "*" || (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == etag
        }
    }

    private func lookup(_ key: String, tag: String) -> Page? {
        lock.withLock { cacheTag == tag ? cache[key] : nil }
    }

    private func store(_ page: Page, _ key: String, tag: String) {
        lock.withLock {
            if cacheTag != tag {
                cacheTag = tag
                cache = [:]
            }
            if cache.count < Self.cacheLimit { cache[key] = page }
        }
    }
}

/// What one response is built from: the repository pinned at one commit, its ledger (read
/// once, when first needed) and the date.
final class Snapshot {
    let repository: SLARepository
    let commit: String?
    let today: LocalDate
    private var built: Ledger?

    init(_ repository: SLARepository, commit: String?, today: LocalDate) {
        self.repository = repository
        self.commit = commit
        self.today = today
    }

    var ledger: Ledger {
        get throws {
            if let built { return built }
            let ledger = try repository.ledger()
            built = ledger
            return ledger
        }
    }
}
