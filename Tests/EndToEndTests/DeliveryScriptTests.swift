import Foundation
import Testing

/// The reminder delivery examples in `hooks/`, run for real with /bin/sh the way
/// `sla remind --exec` runs them: against a fake sendmail and a local HTTP server.
@Suite("reminder delivery scripts")
struct DeliveryScriptTests {
    /// One reminder as `sla remind --exec` hands it over: JSON on stdin, the same facts in the environment.
    struct Reminder {
        var principals = ["mette@acme.dk", "soren@acme.dk"]
        var subject =
            "Påmindelse: acme-sales-marketing v2 skal fornyes senest 2027-07-01 — "
            + "Søren Jensen og Mette Hansen skal underskrive (æøå ÆØÅ)"
        var text =
            "Kære Mette og Søren,\n\nAftalen \"acme-sales-marketing\" v2 skal fornyes senest 2027-07-01.\n"
            + "\tSti: C:\\sla\\acme\\v2.yaml\n.\nMed venlig hilsen\nsla"

        var stdin: Data {
            let recipients = principals.map { ["name": $0, "principal": $0] }
            let json: [String: Any] = [
                "kind": "renewal-upcoming", "agreement": Example.id, "version": 2, "date": "2027-07-01",
                "recipients": recipients, "subject": subject, "text": text,
            ]
            return (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
        }

        /// Every variable the scripts read is set, so nothing leaks in from the test's own environment.
        var environment: [String: String] {
            [
                "SLA_REMINDER_KIND": "renewal-upcoming", "SLA_AGREEMENT": Example.id, "SLA_VERSION": "2",
                "SLA_DATE": "2027-07-01", "SLA_RECIPIENTS": principals.joined(separator: " "),
                "SLA_SUBJECT": subject, "SLA_TEXT": text,
                "SLA_MAIL_FROM": "sla@acme.dk", "SLA_SENDMAIL": "", "SLA_WEBHOOK_URL": "",
            ]
        }
    }

    static func hook(_ name: String) -> String {
        Example.projectRoot.appendingPathComponent("hooks/\(name)").path
    }

    static func run(_ hook: String, _ reminder: Reminder, in box: Sandbox, environment extra: [String: String]) throws -> RunResult {
        try box.run(
            "/bin/sh", [Self.hook(hook)], in: box.root, stdin: reminder.stdin,
            environment: reminder.environment.merging(extra) { $1 })
    }

    // MARK: remind-sendmail

    /// A `sendmail` first on PATH that keeps its arguments and the message it was given,
    /// and exits with the status the test chose.
    struct FakeSendmail {
        let folder: URL

        init(in box: Sandbox, status: Int32 = 0) throws {
            folder = box.root.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let script = #"""
                #!/bin/sh
                printf '%s\n' "$@" > "\#(folder.path)/arguments"
                cat > "\#(folder.path)/message"
                exit \#(status)
                """#
            let url = folder.appendingPathComponent("sendmail")
            try Data(script.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }

        var environment: [String: String] {
            ["PATH": folder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        }
        var arguments: [String]? {
            (try? String(contentsOf: folder.appendingPathComponent("arguments"), encoding: .utf8))?
                .split(separator: "\n").map(String.init)
        }
        var message: Data? { try? Data(contentsOf: folder.appendingPathComponent("message")) }
    }

    /// A message split at its first blank line; header lines as they were written, folded or not.
    struct Mail {
        let headerLines: [String]
        let body: String

        init(_ data: Data?) throws {
            let text = try #require(data.flatMap { String(data: $0, encoding: .utf8) }, "no message was sent")
            let blank = try #require(text.range(of: "\n\n"), "no blank line between headers and body")
            headerLines = text[..<blank.lowerBound].split(separator: "\n").map(String.init)
            body = String(text[blank.upperBound...])
        }

        /// The unfolded value of the header `name` (continuation lines start with a space or tab).
        func header(_ name: String) -> String? {
            var value: String?
            for line in headerLines {
                if value != nil, line.hasPrefix(" ") || line.hasPrefix("\t") {
                    value! += line
                } else if value != nil {
                    break
                } else if line.hasPrefix(name + ": ") {
                    value = String(line.dropFirst(name.count + 2))
                }
            }
            return value
        }
    }

    /// Decodes a header made only of RFC 2047 `=?UTF-8?B?…?=` words; each must hold whole characters.
    static func decodeEncodedWords(_ value: String) throws -> String {
        var bytes = Data()
        for word in value.split(separator: " ") {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), "not an encoded-word: \(word)")
            let decoded = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))), "\(word)")
            #expect(String(data: decoded, encoding: .utf8) != nil, "\(word) splits a UTF-8 character")
            bytes.append(decoded)
        }
        return try #require(String(data: bytes, encoding: .utf8))
    }

    /// The example's subject, and one of only multi-byte characters, where a word cut by
    /// byte count alone would split a character.
    static let subjects = [
        Reminder().subject,
        String(repeating: "æøåÆØÅ", count: 6) + String(repeating: "€", count: 12) + "🙂",
    ]

    @Test(
        "remind-sendmail sends one mail to the e-mail addresses, with an encoded subject and the text as body",
        arguments: subjects)
    func sendmail(subject: String) throws {
        let box = try Sandbox()
        let sendmail = try FakeSendmail(in: box)
        var reminder = Reminder()
        reminder.principals = ["mette@acme.dk", "marketing-team", "soren@acme.dk"]
        reminder.subject = subject

        let result = try Self.run("remind-sendmail", reminder, in: box, environment: sendmail.environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("marketing-team"), "a skipped principal is named: \(result)")
        #expect(sendmail.arguments?.contains("-t") == true, "\(sendmail.arguments ?? [])")

        let mail = try Mail(sendmail.message)
        #expect(mail.header("From") == "sla@acme.dk")
        #expect(mail.header("To") == "mette@acme.dk, soren@acme.dk")
        let subject = try #require(mail.header("Subject"))
        #expect(try Self.decodeEncodedWords(subject) == reminder.subject)
        #expect(mail.headerLines.filter { $0.hasPrefix(" ") }.count > 1, "the long subject is folded")
        for line in mail.headerLines {
            #expect(line.utf8.count <= 76, "header line too long: \(line)")
        }
        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.header("Content-Type") == "text/plain; charset=UTF-8")
        #expect(mail.header("Content-Transfer-Encoding") == "8bit")
        #expect(mail.header("Auto-Submitted") == "auto-generated")
        #expect(mail.header("X-SLA-Reminder") == "renewal-upcoming acme-sales-marketing v2 2027-07-01")
        // Exactly one blank line, then the text; the message ends with a line break.
        #expect(mail.body == reminder.text + "\n")
    }

    @Test("sla remind --exec hooks/remind-sendmail mails the reminder of the day, once")
    func throughRemind() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let fake = try FakeSendmail(in: repo.box)
        // The announcement of the activation goes out (printed) the day after it.
        #expect(try repo.box.sla("remind", "--today", "2026-12-02").stdout.contains("activated acme-sales-marketing v1"))
        let command = "/bin/sh \(Self.hook("remind-sendmail"))"
        let run = try repo.box.run(
            Sandbox.slaBinary.path, ["remind", "--today", "2027-06-24", "--exec", command],
            environment: fake.environment.merging(["SLA_MAIL_FROM": "sla@acme.dk"]) { $1 })
        #expect(run.status == 0, "\(run)")
        let mail = try Mail(fake.message)
        #expect(mail.header("To") == "lars@acme.dk, mette@acme.dk, soren@acme.dk")
        #expect(mail.header("Subject")?.hasPrefix("Fornyelse af") == true)
        #expect(mail.body.contains("om 7 dage") && mail.body.contains("sla renew acme-sales-marketing"))
        try FileManager.default.removeItem(at: fake.folder.appendingPathComponent("message"))
        let again = try repo.box.run(
            Sandbox.slaBinary.path, ["remind", "--today", "2027-06-24", "--exec", command],
            environment: fake.environment)
        #expect(again.status == 0 && fake.message == nil, "delivered once: \(again)")
    }

    @Test("remind-sendmail leaves a plain ASCII subject as it is")
    func asciiSubject() throws {
        let box = try Sandbox()
        let sendmail = try FakeSendmail(in: box)
        var reminder = Reminder()
        reminder.subject = "Renewal due: acme-sales-marketing v2 by 2027-07-01"

        let result = try Self.run("remind-sendmail", reminder, in: box, environment: sendmail.environment)
        #expect(result.status == 0, "\(result)")
        #expect(try Mail(sendmail.message).headerLines.contains("Subject: " + reminder.subject))
    }

    @Test("remind-sendmail fails with sendmail's status when sendmail fails")
    func sendmailFails() throws {
        let box = try Sandbox()
        let sendmail = try FakeSendmail(in: box, status: 75)
        let result = try Self.run("remind-sendmail", Reminder(), in: box, environment: sendmail.environment)
        #expect(result.status == 75, "\(result)")
    }

    @Test("remind-sendmail fails and sends nothing when no recipient has an e-mail address")
    func noAddress() throws {
        let box = try Sandbox()
        let sendmail = try FakeSendmail(in: box)
        var reminder = Reminder()
        reminder.principals = ["marketing-team", "sales"]

        let result = try Self.run("remind-sendmail", reminder, in: box, environment: sendmail.environment)
        #expect(result.status != 0, "\(result)")
        #expect(!result.stderr.isEmpty)
        #expect(sendmail.message == nil, "sendmail was not run")
    }

    // MARK: remind-webhook

    /// A local incoming webhook: Python's http.server on 127.0.0.1 that keeps the last
    /// request's body and Content-Type and answers with the status the test chose.
    final class Webhook {
        let process = Process()
        let folder: URL
        let port: Int

        init(in box: Sandbox, status: Int) throws {
            folder = box.root.appendingPathComponent("webhook")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let script = folder.appendingPathComponent("server.py")
            try Data(Self.server.utf8).write(to: script)
            let log = folder.appendingPathComponent("server.log")
            try Data().write(to: log)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, folder.path, String(status)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()

            // The server writes its port only once it listens, so then the port accepts.
            let portFile = folder.appendingPathComponent("port")
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: portFile.path) {
                guard process.isRunning, Date() < deadline else {
                    Self.stop(process)
                    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    throw SandboxError("the test webhook server did not start:\n\(output)")
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
        }

        deinit { Self.stop(process) }

        /// SIGKILL: the server inherits the test runner's signal mask, where SIGTERM is blocked.
        static func stop(_ process: Process) {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        var url: String { "http://127.0.0.1:\(port)/hook" }
        var body: Data? { try? Data(contentsOf: folder.appendingPathComponent("body")) }
        var contentType: String? { try? String(contentsOf: folder.appendingPathComponent("content-type"), encoding: .utf8) }

        /// Port 0: the kernel picks a free port. The port file is renamed into place, so the
        /// test never reads it half-written; the body is written before the answer is sent.
        static let server = #"""
            import http.server, os, sys, threading

            folder, status = sys.argv[1], int(sys.argv[2])

            class Hook(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    with open(os.path.join(folder, "body"), "wb") as f:
                        f.write(body)
                    with open(os.path.join(folder, "content-type"), "w") as f:
                        f.write(self.headers.get("Content-Type", ""))
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

                def log_message(self, *args):
                    pass

            # Gone after a minute even if a crashed test run never stops it.
            threading.Timer(60, os._exit, [0]).start()
            server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
            with open(os.path.join(folder, "port.tmp"), "w") as f:
                f.write(str(server.server_address[1]))
            os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
            server.serve_forever()
            """#

        /// A proxy from the environment must not take the request to 127.0.0.1 elsewhere.
        var environment: [String: String] {
            ["SLA_WEBHOOK_URL": url, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"]
        }
    }

    @Test("remind-webhook posts *subject* and the text as one correctly escaped JSON string")
    func webhook() throws {
        let box = try Sandbox()
        let server = try Webhook(in: box, status: 200)
        var reminder = Reminder()
        reminder.subject = "Fornyelse: \"acme-sales-marketing\" v2 — æøå ÆØÅ"
        reminder.text =
            "Kære Mette,\n\n\"Aftalen\" udløber 2027-07-01.\tSti: C:\\sla\\acme\\\r\n"
            + "styretegn: \u{1}\u{1F} slut\n\n"

        let result = try Self.run("remind-webhook", reminder, in: box, environment: server.environment)
        #expect(result.status == 0, "\(result)")
        #expect(server.contentType == "application/json")
        let body = try #require(server.body, "nothing was posted")
        let posted = String(decoding: body, as: UTF8.self)
        #expect(!body.contains { $0 < 0x20 }, "control characters are escaped: \(posted)")
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "\(posted)")
        #expect(json["text"] as? String == "*" + reminder.subject + "*\n\n" + reminder.text)
        // Letters above ASCII go as UTF-8, not as \u escapes.
        #expect(body.range(of: Data("æøå ÆØÅ".utf8)) != nil, "\(posted)")
    }

    @Test("remind-webhook fails when the server does not answer 2xx", arguments: [500, 302])
    func webhookRefused(status: Int) throws {
        let box = try Sandbox()
        let server = try Webhook(in: box, status: status)
        let result = try Self.run("remind-webhook", Reminder(), in: box, environment: server.environment)
        #expect(result.status != 0, "\(result)")
        #expect(server.body != nil, "the request did reach the server")
    }

    @Test("remind-webhook exits 2 without SLA_WEBHOOK_URL")
    func webhookWithoutURL() throws {
        let box = try Sandbox()
        let result = try Self.run("remind-webhook", Reminder(), in: box, environment: [:])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("SLA_WEBHOOK_URL"))
    }
}
