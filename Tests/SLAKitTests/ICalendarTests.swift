import Foundation
import Testing

@testable import SLAKit

@Suite("iCalendar (RFC 5545)")
struct ICalendarTests {
    static let events = [
        CalendarEvent(
            uid: "acme-v1-renewal@sla", date: LocalDate(iso: "2028-02-29")!,
            summary: "Fornyelse af Aftale mellem Marketing og Salg; Acme, ApS (acme v1)",
            description: "Møde om fornyelse.\nAnsvarlig: Lars \"LN\" Nielsen\\Salg, Marketing; alle.",
            organizer: Person(name: "Lars Nielsen", principal: "lars@acme.dk"),
            attendees: [
                Person(name: "Lars Nielsen", principal: "lars@acme.dk"), Person(name: "Søren, Salg", principal: "soren@acme.dk"),
                Person(name: "Ikke e-mail", principal: "team-x"), Person(name: "Mette \"M\" Hansen", principal: "mette@acme.dk"),
            ],
            alarmDaysBefore: [7, 30, 1], stamp: Date(timeIntervalSince1970: 1_796_083_200))
    ]

    @Test("the document matches the golden file byte for byte")
    func golden() throws {
        // Compared as bytes: the CRLFs are part of the format.
        try DiffTests.compare(ICalendar.document(Self.events, name: "SLA"), golden: "calendar.ics")
    }

    @Test("every line ends in CRLF and is at most 75 octets; folding never splits a UTF-8 character")
    func folding() {
        let long = String(repeating: "æøå ", count: 40)
        let text = ICalendar.document(
            [
                CalendarEvent(
                    uid: "x@sla", date: LocalDate(iso: "2027-07-01")!, summary: long, description: long,
                    organizer: Person(name: long, principal: "a@b.dk"), attendees: [], alarmDaysBefore: [],
                    stamp: Date(timeIntervalSince1970: 0))
            ],
            name: "SLA")
        let bytes = Array(text.utf8)
        #expect(!bytes.isEmpty && text.hasSuffix("\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        // Unfolding gives back the logical lines, with the text intact.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + long))
        #expect(String(data: Data(bytes), encoding: .utf8) != nil)
    }

    @Test(
        "TEXT escaping and parameter quoting",
        arguments: [
            ("a,b;c\\d\ne", "a\\,b\\;c\\\\d\\ne"), ("plain", "plain"), ("tab\there\r", "tabhere"),
        ])
    func escaping(_ raw: String, _ escaped: String) {
        #expect(ICalendar.text(raw) == escaped)
    }

    @Test("parameters are quoted when they must be, never with a double quote inside")
    func parameters() {
        #expect(ICalendar.parameter("Søren, Salg") == "\"Søren, Salg\"")
        #expect(ICalendar.parameter("Mette \"M\" Hansen") == "Mette 'M' Hansen")
        #expect(ICalendar.parameter("Lars") == "Lars")
    }
}
