import Foundation
import Testing

@Suite("sla remind")
struct RemindTests {
    static func reminders(_ result: RunResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result)")
    }

    @Test("delivered once: a second run the same day delivers nothing; --dry-run records nothing")
    func idempotent() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let dry = try repo.box.sla("remind", "--today", "2027-06-01", "--dry-run", "--format", "json")
        #expect(dry.status == 0)
        #expect(try Self.reminders(dry).map { $0["kind"] as? String } == ["renewal-upcoming", "activated"])
        #expect(!repo.box.exists(".git/sla/reminders"), "a dry run records nothing")

        let first = try repo.box.sla("remind", "--today", "2027-06-01")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("renewal-upcoming acme-sales-marketing v1 2027-07-01"))
        #expect(first.stdout.contains("To: Lars Nielsen <lars@acme.dk>, Mette Hansen <mette@acme.dk>"))
        let record = String(decoding: try repo.box.read(".git/sla/reminders"), as: UTF8.self)
        #expect(record.contains("renewal-upcoming\tacme-sales-marketing\t1\tmette@acme.dk\t2027-06-01\t2027-06-01"))

        let second = try repo.box.sla("remind", "--today", "2027-06-01", "--format", "json")
        #expect(second.status == 0)
        #expect(try Self.reminders(second).isEmpty)
        #expect(try repo.box.git("status", "--porcelain") == "", "the record is never in the work tree")
    }

    @Test("four runs at once with one record deliver each reminder once")
    func concurrentRuns() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let log = repo.box.root.appendingPathComponent("delivered.log")
        let script = """
            for i in 1 2 3 4; do
              "$SLA" remind --today 2027-06-01 --exec 'cat >/dev/null; sleep 0.2; echo "$SLA_REMINDER_KIND" >> "$LOG"' >/dev/null 2>&1 &
            done
            wait
            """
        let ran = try repo.box.run("/bin/bash", ["-c", script], environment: ["SLA": Sandbox.slaBinary.path, "LOG": log.path])
        #expect(ran.status == 0, "\(ran)")
        let lines = String(decoding: try Data(contentsOf: log), as: UTF8.self).split(separator: "\n").sorted()
        #expect(lines == ["activated", "renewal-upcoming"], "\(lines)")
    }

    @Test("--state through a symbolic link keeps the link and records in the file it names: one record, one lock")
    func stateThroughLink() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let real = repo.box.root.appendingPathComponent("records/reminders")
        let link = try repo.box.symlink("link", to: real)
        let first = try repo.box.sla("remind", "--today", "2027-06-01", "--state", link.path, "--format", "json")
        #expect(try Self.reminders(first).count == 2)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
        #expect(FileManager.default.fileExists(atPath: real.path) && FileManager.default.fileExists(atPath: real.path + ".lock"))
        for path in [real.path, link.path] {
            let again = try repo.box.sla("remind", "--today", "2027-06-01", "--state", path, "--format", "json")
            #expect(try Self.reminders(again).isEmpty, "\(path)")
        }
    }

    @Test("stdout that cannot be written (a full disk) exits 1 with a message, and the reminder stays pending")
    func fullDisk() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        for arguments in [["remind", "--today", "2027-06-01"], ["status"], ["calendar"], ["log", SignedRepository.id]] {
            let result = try repo.box.run(
                "/bin/bash", ["-c", "\"$SLA\" \"$@\" > /dev/full", "sla"] + arguments, environment: ["SLA": Sandbox.slaBinary.path])
            #expect(result.status == 1 && result.stderr.contains("cannot write to standard output"), "\(arguments): \(result)")
        }
        let record = (try? String(decoding: repo.box.read(".git/sla/reminders"), as: UTF8.self)) ?? ""
        #expect(!record.contains("renewal-upcoming"), "\(record)")
        let later = try repo.box.sla("remind", "--today", "2027-06-01", "--format", "json")
        #expect(try Self.reminders(later).map { $0["kind"] as? String } == ["renewal-upcoming", "activated"])
    }

    @Test("--exec gets each reminder's JSON on stdin; a failing command leaves it pending and exits 1")
    func exec() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let out = repo.box.root.appendingPathComponent("delivered")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let state = repo.box.root.appendingPathComponent("state/reminders").path
        // The folder must exist (a mistyped --state is refused, not made).
        try FileManager.default.createDirectory(at: repo.box.root.appendingPathComponent("state"), withIntermediateDirectories: true)

        let failing = try repo.box.sla("remind", "--today", "2027-07-02", "--state", state, "--exec", "cat > /dev/null; exit 3")
        #expect(failing.status == 1)
        #expect(
            failing.stderr.contains("renewal-overdue for acme-sales-marketing v1 was not delivered") && failing.stderr.contains("exited 3"))
        #expect(!FileManager.default.fileExists(atPath: state))
        #expect(!failing.stdout.contains("No reminders due") && failing.stdout.contains("not delivered"), "\(failing.stdout)")

        let command =
            "cat > \"\(out.path)/$SLA_REMINDER_KIND.json\"; printf '%s' \"$SLA_RECIPIENTS\" > \"\(out.path)/$SLA_REMINDER_KIND.to\""
        let delivered = try repo.box.sla("remind", "--today", "2027-07-02", "--state", state, "--exec", command)
        #expect(delivered.status == 0, "\(delivered)")
        #expect(delivered.stdout.contains("Delivered renewal-overdue for acme-sales-marketing v1"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("renewal-overdue.json"))) as? [String: Any])
        #expect(json["kind"] as? String == "renewal-overdue")
        #expect(json["agreement"] as? String == SignedRepository.id)
        #expect(json["version"] as? Int == 1)
        #expect(json["date"] as? String == "2027-07-01")
        #expect((json["recipients"] as? [[String: String]])?.map { $0["principal"] } == ["lars@acme.dk", "mette@acme.dk", "soren@acme.dk"])
        #expect((json["subject"] as? String)?.contains("forsinket") == true)
        #expect(
            String(decoding: try Data(contentsOf: out.appendingPathComponent("renewal-overdue.to")), as: UTF8.self)
                == "lars@acme.dk mette@acme.dk soren@acme.dk")
        #expect(FileManager.default.fileExists(atPath: state))
        let again = try repo.box.sla("remind", "--today", "2027-07-03", "--state", state, "--exec", "exit 9")
        #expect(again.status == 0 && again.stdout.contains("No reminders due"), "\(again)")
    }

    @Test("signature-pending goes the day after the proposal to exactly the signatories who have not signed")
    func signaturePending() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let day = try repo.box.git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d", "--", Example.version(1))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let proposed = try #require(ISO8601DateFormatter.date(day))
        let sameDay = try Self.reminders(try repo.box.sla("remind", "--dry-run", "--format", "json", "--today", day))
        #expect(sameDay.isEmpty)
        let next = try Self.reminders(
            try repo.box.sla("remind", "--dry-run", "--format", "json", "--today", ISO8601DateFormatter.day(proposed, plus: 1)))
        #expect(next.count == 1)
        #expect(next.first?["kind"] as? String == "signature-pending")
        #expect(next.first?["date"] as? String == day)
        #expect((next.first?["recipients"] as? [[String: String]])?.map { $0["principal"] } == ["soren@acme.dk"])
        #expect((next.first?["text"] as? String)?.contains("Søren Jensen") == true)
    }

    @Test("a faulted agreement is skipped and named on stderr, after the others are done; exit 1")
    func faulted() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.removeSignatureWithGit("soren@acme.dk")
        let result = try repo.box.sla("remind", "--today", "2027-06-01")
        #expect(result.status == 1)
        #expect(result.stderr.contains("acme-sales-marketing skipped: it is faulted") && result.stderr.contains("soren@acme.dk.sig"))
    }

    @Test("a damaged delivery record is refused, naming its line; nothing is delivered")
    func damagedRecord() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let state = repo.box.root.appendingPathComponent("reminders")
        try Data("# header\nrenewal-upcoming\tacme-sales-marketing\tone\tx@y\t2027-06-01\t2027-06-01\n".utf8).write(to: state)
        let result = try repo.box.sla("remind", "--today", "2027-06-01", "--state", state.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(state.path):2:"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a delivery record that exists but cannot be read is refused, never taken as empty")
    func unreadableRecord() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let state = repo.box.root.appendingPathComponent("reminders")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let result = try repo.box.sla("remind", "--today", "2027-06-01", "--state", state.path)
        #expect(result.status == 1 && result.stderr.contains("cannot be read as a reminder record"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("linked work trees of one clone share one delivery record: each reminder goes out once")
    func linkedWorkTree() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let other = repo.box.root.appendingPathComponent("second-tree")
        try repo.box.git("worktree", "add", "-q", "--detach", other.path)
        #expect(try Self.reminders(try repo.box.sla("remind", "--today", "2027-06-01", "--format", "json")).count == 2)
        let again = try repo.box.sla("remind", "--today", "2027-06-01", "--format", "json", in: other)
        #expect(again.status == 0, "\(again)")
        #expect(try Self.reminders(again).isEmpty)
    }
}

extension ISO8601DateFormatter {
    /// `YYYY-MM-DD` as midnight UTC.
    static func date(_ day: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: day)
    }

    static func day(_ date: Date, plus days: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date.addingTimeInterval(Double(days) * 86_400))
    }
}
