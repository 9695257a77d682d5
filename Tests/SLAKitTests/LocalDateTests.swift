import Testing

@testable import SLAKit

@Suite("Calendar days")
struct LocalDateTests {
    @Test(
        "strict ISO parsing",
        arguments: [
            ("2027-01-01", true), ("2028-02-29", true), ("2027-02-29", false), ("2027-13-01", false),
            ("2027-1-01", false), ("27-01-01", false), ("2027-01-01T00:00", false), ("0000-01-01", false), ("", false),
            ("２０２７-01-01", false), ("2027-0١-01", false), ("+027-01-01", false), ("2027-01-0 ", false), ("2027/01/01", false),
            ("9999-12-31", true), ("2027-02-30", false),
        ])
    func parsing(_ text: String, _ valid: Bool) {
        #expect((LocalDate(iso: text) != nil) == valid)
        if valid { #expect(LocalDate(iso: text)?.iso == text) }
    }

    @Test(
        "calendar months clamp to the month's last day",
        arguments: [
            ("2027-01-01", 6, "2027-07-01"), ("2027-08-31", 6, "2028-02-29"), ("2027-08-31", 1, "2027-09-30"),
            ("2027-12-15", 1, "2028-01-15"), ("2027-03-31", 12, "2028-03-31"), ("2028-02-29", 12, "2029-02-28"),
        ])
    func addingMonths(_ start: String, _ months: Int, _ expected: String) throws {
        #expect(try #require(LocalDate(iso: start)).adding(months: months).iso == expected)
    }

    @Test("day numbers round-trip and count days")
    func dayNumbers() throws {
        let epoch = try #require(LocalDate(iso: "1970-01-01"))
        #expect(epoch.dayNumber == 0)
        var date = try #require(LocalDate(iso: "1999-12-25"))
        for _ in 0..<1000 {
            let next = date.adding(days: 1)
            #expect(LocalDate(dayNumber: next.dayNumber) == next)
            #expect(date.days(until: next) == 1)
            #expect(date < next)
            date = next
        }
        #expect(try #require(LocalDate(iso: "2027-01-01")).days(until: try #require(LocalDate(iso: "2027-07-01"))) == 181)
    }

    @Test(
        "whole months",
        arguments: [
            ("2027-01-01", "2027-07-01", 6), ("2027-01-01", "2027-06-30", 5), ("2027-01-15", "2027-02-14", 0),
            ("2027-01-31", "2027-02-28", 1), ("2027-01-31", "2027-03-01", 1), ("2027-05-01", "2027-01-01", 0),
        ])
    func wholeMonths(_ start: String, _ end: String, _ expected: Int) throws {
        #expect(try #require(LocalDate(iso: start)).wholeMonths(until: try #require(LocalDate(iso: end))) == expected)
    }

    @Test(
        "a commit's time becomes a day without trapping, whatever 64-bit time git carries",
        arguments: [
            (0.0, "1970-01-01"), (86_399.0, "1970-01-01"), (-1.0, "1969-12-31"), (1_796_083_200.0, "2026-12-01"),
            (9.223_372_036_854_775_807e18, "9999-12-31"), (-9.223_372_036_854_775_808e18, "0001-01-01"),
        ])
    func unixSeconds(_ interval: Double, _ day: String) {
        #expect(LocalDate(unixSeconds: LocalDate.unixSeconds(interval)).iso == day)
    }
}
