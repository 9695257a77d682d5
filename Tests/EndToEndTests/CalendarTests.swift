import Foundation
import Testing

@Suite("sla calendar")
struct CalendarTests {
    /// Python's `icalendar` (installed by .ci/run) reads the file and prints what it found as JSON.
    static let reader = """
        import json, sys, icalendar
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        out = []
        for e in cal.walk('VEVENT'):
            out.append({
                'uid': str(e['UID']), 'start': e['DTSTART'].dt.isoformat(), 'end': e['DTEND'].dt.isoformat(),
                'all_day': e['DTSTART'].params.get('VALUE') == 'DATE', 'summary': str(e['SUMMARY']),
                'attendees': [str(a) for a in e.get('ATTENDEE', [])], 'organizer': str(e.get('ORGANIZER')),
                'alarms': sorted(-a['TRIGGER'].dt.days for a in e.walk('VALARM')), 'stamp': e['DTSTAMP'].dt.isoformat()})
        print(json.dumps(out))
        """

    static func parse(_ box: Sandbox, _ file: URL) throws -> [[String: Any]] {
        let script = box.root.appendingPathComponent("read-ics.py")
        try Data(reader.utf8).write(to: script)
        let result = try box.run("/usr/bin/env", ["python3", script.path, file.path])
        try #require(result.status == 0, "python3 with icalendar could not read it (pip install icalendar): \(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test("--out writes through a symbolic link to the file it names, and never over a device")
    func outThroughLink() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let target = repo.box.root.appendingPathComponent("published.ics")
        let link = try repo.box.symlink("link.ics", to: target)
        try Data("old\n".utf8).write(to: target)
        let written = try repo.box.sla("calendar", "--today", "2026-12-15", "--out", link.path)
        #expect(written.status == 0, "\(written)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(String(decoding: try Data(contentsOf: target), as: UTF8.self).hasPrefix("BEGIN:VCALENDAR"))
        let device = try repo.box.sla("calendar", "--today", "2026-12-15", "--out", "/dev/null")
        #expect(device.status == 1 && device.stderr.contains("not a regular file"), "\(device)")
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("a scheduled version and its renewal meeting, read back by Python's icalendar")
    func scheduledAndRenewal() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let file = repo.box.root.appendingPathComponent("sla.ics")
        let written = try repo.box.sla("calendar", "--today", "2026-12-15", "--out", file.path)
        #expect(written.status == 0, "\(written)")
        #expect(written.stdout.contains("Wrote 2 events"))
        let events = try Self.parse(repo.box, file)
        #expect(events.map { $0["uid"] as? String } == ["acme-sales-marketing-v1-effective@sla", "acme-sales-marketing-v1-renewal@sla"])
        #expect(events.map { $0["start"] as? String } == ["2027-01-01", "2027-07-01"])
        #expect(events.map { $0["end"] as? String } == ["2027-01-02", "2027-07-02"])
        #expect(events.allSatisfy { $0["all_day"] as? Bool == true })
        #expect(events.allSatisfy { $0["alarms"] as? [Int] == [1, 7, 30] })
        #expect(events.allSatisfy { $0["organizer"] as? String == "mailto:lars@acme.dk" })
        #expect(
            events.allSatisfy { $0["attendees"] as? [String] == ["mailto:lars@acme.dk", "mailto:mette@acme.dk", "mailto:soren@acme.dk"] })
        #expect((events[1]["summary"] as? String)?.hasPrefix("Fornyelse af") == true)

        // Stable: the same history gives the same bytes, and once v1 is in force only the meeting remains.
        let again = try repo.box.sla("calendar", "--today", "2026-12-15")
        #expect(again.stdout == String(decoding: try Data(contentsOf: file), as: UTF8.self))
        let later = try repo.box.sla("calendar", "--today", "2027-02-01")
        #expect(later.stdout.contains("UID:acme-sales-marketing-v1-renewal@sla") && !later.stdout.contains("effective@sla"))
    }

    @Test("a faulted agreement is left out and named; exit 1")
    func faulted() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.removeSignatureWithGit("mette@acme.dk")
        let result = try repo.box.sla("calendar", "--today", "2027-02-01")
        #expect(result.status == 1)
        #expect(result.stderr.contains("acme-sales-marketing skipped: it is faulted"))
        #expect(!result.stdout.contains("BEGIN:VEVENT") && result.stdout.contains("END:VCALENDAR"))
    }
}
