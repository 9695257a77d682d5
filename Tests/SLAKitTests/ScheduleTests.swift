import Foundation
import Testing

@testable import SLAKit

/// The schedule's rules as a table: DESIGN.md, "Validity and renewal".
@Suite("The schedule")
struct ScheduleTests {
    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static func validity(_ from: String, _ renewals: Int = 2, remind: [Int] = [30, 7, 1]) -> Validity {
        Validity(effectiveFrom: date(from), renewalsPerYear: renewals, reviewer: "Lars", remindDaysBefore: remind)
    }

    @Test(
        "the renewal is due 12 / renewals_per_year calendar months later, clamped to the month's end",
        arguments: [
            ("2027-01-01", 1, "2028-01-01"), ("2027-01-01", 2, "2027-07-01"), ("2027-01-01", 3, "2027-05-01"),
            ("2027-01-01", 4, "2027-04-01"), ("2027-01-01", 6, "2027-03-01"), ("2027-01-01", 12, "2027-02-01"),
            ("2027-08-31", 2, "2028-02-29"), ("2027-08-31", 4, "2027-11-30"), ("2027-08-31", 12, "2027-09-30"),
            ("2028-02-29", 1, "2029-02-28"), ("2027-12-31", 6, "2028-02-29"), ("2026-12-31", 6, "2027-02-28"),
            ("2027-10-31", 3, "2028-02-29"), ("2099-08-31", 2, "2100-02-28"), ("2399-08-31", 2, "2400-02-29"),
            ("2027-05-31", 12, "2027-06-30"), ("2027-03-31", 4, "2027-06-30"),
        ])
    func renewalDue(_ from: String, _ renewals: Int, _ due: String) {
        #expect(Schedule.renewalDue(Self.validity(from, renewals)).iso == due)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let input: Schedule.Input
        let today: String
        let state: AgreementStatus.State
        var inForce: Int? = nil
        var due: String? = nil
        var daysLeft: Int? = nil
        var scheduled: [Int] = []
        var pending: Int? = nil
        var testDescription: String { name }
    }

    static let mette = Person(name: "Mette Hansen", principal: "mette@acme.dk")

    static let rows: [Row] = [
        Row(name: "nothing at all", input: .init(), today: "2027-01-01", state: .none),
        Row(name: "only a draft", input: .init(hasDraft: true), today: "2027-01-01", state: .draft),
        Row(
            name: "a version approved but never activated",
            input: .init(latestVersion: 1, pending: .init(version: 1, approved: true, missing: [])),
            today: "2027-01-01", state: .draft, pending: 1),
        Row(
            name: "a version waiting for a signature",
            input: .init(latestVersion: 1, pending: .init(version: 1, approved: false, missing: [mette])),
            today: "2027-01-01", state: .awaitingSignatures, pending: 1),
        Row(
            name: "activated for later: scheduled, no dates",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2026-12-31", state: .scheduled, scheduled: [1]),
        Row(
            name: "in force from its first day",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-01-01", state: .active, inForce: 1, due: "2027-07-01", daysLeft: 181),
        Row(
            name: "renewal due at the largest lead time",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-06-01", state: .renewalDue, inForce: 1, due: "2027-07-01", daysLeft: 30),
        Row(
            name: "one day more than the largest lead time is still active",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-05-31", state: .active, inForce: 1, due: "2027-07-01", daysLeft: 31),
        Row(
            name: "due today: renewal-due with 0 days left",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-07-01", state: .renewalDue, inForce: 1, due: "2027-07-01", daysLeft: 0),
        Row(
            name: "a day after the due date: overdue",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-07-02", state: .overdue, inForce: 1, due: "2027-07-01", daysLeft: -1),
        Row(
            name: "no lead times: renewal-due only on the day",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01", remind: []))], latestVersion: 1),
            today: "2027-06-30", state: .active, inForce: 1, due: "2027-07-01", daysLeft: 1),
        Row(
            name: "yearly, across a leap day",
            input: .init(activated: [.init(version: 1, validity: validity("2028-02-29", 1))], latestVersion: 1),
            today: "2029-02-28", state: .renewalDue, inForce: 1, due: "2029-02-28", daysLeft: 0),
        Row(
            name: "monthly from the 31st",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-31", 12, remind: [3]))], latestVersion: 1),
            today: "2027-03-01", state: .overdue, inForce: 1, due: "2027-02-28", daysLeft: -1),
        Row(
            name: "quarterly, 6 lead days",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01", 4, remind: [6]))], latestVersion: 1),
            today: "2027-03-26", state: .renewalDue, inForce: 1, due: "2027-04-01", daysLeft: 6),
        Row(
            name: "every four months",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01", 3))], latestVersion: 1),
            today: "2027-02-01", state: .active, inForce: 1, due: "2027-05-01", daysLeft: 89),
        Row(
            name: "every two months, overdue by weeks",
            input: .init(activated: [.init(version: 1, validity: validity("2027-01-01", 6))], latestVersion: 1),
            today: "2027-03-20", state: .overdue, inForce: 1, due: "2027-03-01", daysLeft: -19),
        Row(
            name: "a renewal activated for later: the renewal is made, not overdue",
            input: .init(
                activated: [
                    .init(version: 1, validity: validity("2027-01-01")),
                    .init(version: 2, validity: validity("2027-08-01")),
                ], latestVersion: 2),
            today: "2027-07-15", state: .active, inForce: 1, due: "2027-07-01", daysLeft: -14, scheduled: [2]),
        Row(
            name: "the renewal takes effect: its own dates",
            input: .init(
                activated: [
                    .init(version: 1, validity: validity("2027-01-01")),
                    .init(version: 2, validity: validity("2027-08-01")),
                ], latestVersion: 2),
            today: "2027-08-01", state: .active, inForce: 2, due: "2028-02-01", daysLeft: 184),
        Row(
            name: "overdue comes before awaiting-signatures",
            input: .init(
                activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 2,
                pending: .init(version: 2, approved: false, missing: [mette])),
            today: "2027-07-10", state: .overdue, inForce: 1, due: "2027-07-01", daysLeft: -9, pending: 2),
        Row(
            name: "awaiting-signatures comes before renewal-due",
            input: .init(
                activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 2,
                pending: .init(version: 2, approved: false, missing: [mette])),
            today: "2027-06-20", state: .awaitingSignatures, inForce: 1, due: "2027-07-01", daysLeft: 11, pending: 2),
        Row(
            name: "a later version activated with an earlier date supersedes the scheduled one",
            input: .init(
                activated: [
                    .init(version: 1, validity: validity("2027-01-01")),
                    .init(version: 2, validity: validity("2027-09-01")),
                    .init(version: 3, validity: validity("2027-03-01")),
                ], latestVersion: 3),
            today: "2027-04-01", state: .active, inForce: 3, due: "2027-09-01", daysLeft: 153),
        Row(
            name: "nothing in force yet: a version superseded before its date is not scheduled",
            input: .init(
                activated: [
                    .init(version: 1, validity: validity("2027-07-01")),
                    .init(version: 2, validity: validity("2027-03-01")),
                ], latestVersion: 2),
            today: "2027-02-01", state: .scheduled, scheduled: [2]),
        Row(
            name: "two scheduled versions",
            input: .init(
                activated: [
                    .init(version: 1, validity: validity("2027-01-01")),
                    .init(version: 2, validity: validity("2027-02-01")),
                ], latestVersion: 2),
            today: "2026-12-15", state: .scheduled, scheduled: [1, 2]),
        Row(
            name: "faulted comes first, with no dates at all",
            input: .init(
                fault: "agreements/x/versions/v1.yaml (commit abc1234): changed",
                activated: [.init(version: 1, validity: validity("2027-01-01"))], latestVersion: 1),
            today: "2027-07-10", state: .faulted),
    ]

    @Test("one state per agreement, the first that applies", arguments: rows)
    func states(_ row: Row) {
        let status = Schedule.status(id: "x", row.input, today: Self.date(row.today))
        #expect(status.state == row.state)
        #expect(status.inForceVersion == row.inForce)
        #expect(status.renewalDue?.iso == row.due)
        #expect(status.daysLeft == row.daysLeft)
        #expect(status.scheduled.map(\.version) == row.scheduled)
        #expect(status.pendingVersion == row.pending)
        if row.state == .faulted {
            #expect(status.fault != nil && status.effectiveFrom == nil && status.missing.isEmpty)
        }
    }

    @Test("--check fails on faulted, overdue and nothing in force, and only then")
    func check() {
        for row in Self.rows {
            let status = Schedule.status(id: "x", row.input, today: Self.date(row.today))
            let expected = row.state == .faulted || row.state == .overdue || row.inForce == nil
            #expect(status.failsCheck == expected, "\(row.name)")
        }
    }

    @Test("status JSON: DESIGN.md's keys, integers and ISO dates, nulls where nothing is in force")
    func json() throws {
        let input = Schedule.Input(
            activated: [.init(version: 1, validity: Self.validity("2027-01-01"))], latestVersion: 2,
            pending: .init(version: 2, approved: false, missing: [Self.mette]))
        let data = try JSONEncoder().encode([Schedule.status(id: "x", input, today: Self.date("2027-06-20"))])
        let object = try #require((try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first)
        #expect(object["id"] as? String == "x")
        #expect(object["state"] as? String == "awaiting-signatures")
        #expect(object["in_force_version"] as? Int == 1)
        #expect(object["effective_from"] as? String == "2027-01-01")
        #expect(object["renewal_due"] as? String == "2027-07-01")
        #expect(object["days_left"] as? Int == 11)
        #expect(object["pending_version"] as? Int == 2)
        #expect(object["missing_signatures"] as? [String] == ["mette@acme.dk"])

        let none = try JSONEncoder().encode(Schedule.status(id: "y", .init(hasDraft: true), today: Self.date("2027-06-20")))
        let empty = try #require(try JSONSerialization.jsonObject(with: none) as? [String: Any])
        for key in ["in_force_version", "effective_from", "renewal_due", "days_left", "pending_version"] {
            #expect(empty[key] is NSNull, "\(key)")
        }
        #expect(empty["missing_signatures"] as? [String] == [])
    }
}
