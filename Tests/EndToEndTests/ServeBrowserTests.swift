import Foundation
import Testing

/// `sla serve` as people meet it: started as a program on a free loopback port, its pages
/// loaded by a real headless browser (Debian's chromium).
@Suite("sla serve in a browser", .serialized)
struct ServeBrowserTests {
    /// A running `sla serve --port 0`; the port is read from what it prints on stderr.
    final class Server {
        let process = Process()
        let port: Int
        private let errors: URL

        init(_ box: Sandbox, today: String) throws {
            errors = box.root.appendingPathComponent("serve-\(UUID().uuidString).err")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.executableURL = Sandbox.slaBinary
            process.arguments = ["serve", "--repo", box.repo.path, "--port", "0", "--today", today]
            process.environment = box.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            var found: Int?
            while found == nil, Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
                if let range = text.range(of: "listening on http://127.0.0.1:") {
                    found = Int(text[range.upperBound...].prefix { $0.isNumber })
                } else {
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            guard let found else {
                process.terminate()
                throw SandboxError("sla serve did not start: \((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")
            }
            port = found
        }

        var url: String { "http://127.0.0.1:\(port)" }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Where the screenshots are kept after the run: `.build/test-artifacts/`.
    static let artifacts: URL = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent(".build/test-artifacts")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    static func browser(_ box: Sandbox, _ arguments: [String]) throws -> RunResult {
        let chromium = try #require(chromium, "chromium is not installed: run ./scripts/setup")
        let profile = box.root.appendingPathComponent("chromium-\(UUID().uuidString)")
        return try box.run(
            chromium,
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)"]
                + arguments)
    }

    @Test("the dashboard and an agreement page load in a real browser, with states and missing signers")
    func dashboardInBrowser() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.sign(repo.mette, "v2")
        let server = try Server(repo.box, today: "2027-03-01")

        let dashboard = try Self.browser(repo.box, ["--dump-dom", server.url + "/"])
        #expect(dashboard.status == 0, "\(dashboard)")
        #expect(dashboard.stdout.contains("data-id=\"acme-sales-marketing\" data-state=\"awaiting-signatures\""))
        #expect(dashboard.stdout.contains("<td class=\"missing\">Søren Jensen</td>"))

        let page = try Self.browser(repo.box, ["--dump-dom", server.url + "/agreements/acme-sales-marketing"])
        #expect(page.stdout.contains("<svg") && page.stdout.contains("The version in force"))
        #expect(page.stdout.contains("1. Overblik over aftale") && page.stdout.contains("Søren Jensen"))

        for (name, path) in [("dashboard", "/"), ("agreement", "/agreements/acme-sales-marketing")] {
            let file = Self.artifacts.appendingPathComponent("serve-\(name).png")
            try? FileManager.default.removeItem(at: file)
            let shot = try Self.browser(repo.box, ["--screenshot=\(file.path)", "--window-size=1280,1600", server.url + path])
            #expect(shot.status == 0 && FileManager.default.fileExists(atPath: file.path), "\(shot)")
        }

        // The API is the command line's JSON, byte for byte.
        let api = try repo.box.run("/usr/bin/curl", ["-s", server.url + "/api/agreements"])
        let cli = try repo.box.sla("status", "--format", "json", "--today", "2027-03-01")
        #expect(api.status == 0 && api.stdout == cli.stdout)

        // A commit made while it runs is seen without a restart.
        try repo.sign(repo.soren, "v2")
        let after = try Self.browser(repo.box, ["--dump-dom", server.url + "/"])
        #expect(after.stdout.contains("data-state=\"active\""), "\(after.stdout.suffix(2000))")
    }

    @Test("a repository that does not exist is refused before anything listens")
    func badRepository() throws {
        let box = try Sandbox()
        let result = try box.sla("serve", "--repo", box.root.appendingPathComponent("nowhere").path, "--port", "0")
        #expect(result.status == 1 && result.stderr.contains("does not exist"))
    }
}
