import Foundation
import Testing

@testable import SLAKit

/// Which reminders fall due on which day, to whom (DESIGN.md, "Reminders"), simulated day by
/// day with a delivery record that grows as a scheduler's would.
@Suite("Reminders")
struct ReminderTests {
    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static func example() throws -> Agreement {
        try #require(decode(try ProjectFiles.exampleText).0)
    }

    /// The example agreement's facts on `today`: v1 activated on 2026-12-01 and in force from
    /// 2027-01-01 (renewal due 2027-07-01, lead times 30, 7, 1); optionally v2 proposed on
    /// `proposed`, signed by nobody, or activated on `secondActivated` from `secondFrom`.
    static func facts(
        _ today: LocalDate, agreement: Agreement, proposed: LocalDate? = nil,
        secondActivated: LocalDate? = nil, secondFrom: LocalDate? = nil, fault: String? = nil
    ) -> ReminderFacts {
        var v2 = agreement
        if let secondFrom { v2.validity.effectiveFrom = secondFrom }
        var activated: [Schedule.Input.Activated] = [.init(version: 1, validity: agreement.validity)]
        if secondActivated != nil { activated.append(.init(version: 2, validity: v2.validity)) }
        let people = agreement.parties.flatMap { $0.signatories.map { Person(name: $0.name, principal: $0.principal) } }
        let pending = proposed.map { _ in Schedule.Input.Pending(version: 2, approved: false, missing: people) }
        let status = Schedule.status(
            id: agreement.id,
            .init(
                fault: fault, activated: activated, latestVersion: pending == nil ? activated.count : 2,
                pending: pending), today: today)
        var facts = ReminderFacts(status: status)
        facts.inForce = status.inForceVersion.map { $0 == 1 ? agreement : v2 }
        if let proposed { facts.pending = .init(version: 2, agreement: v2, proposedOn: proposed) }
        facts.activation =
            secondActivated.map {
                .init(
                    version: 2, agreement: v2, activatedAt: $0, activatedBy: "lars@acme.dk", previous: 1,
                    changes: "1 ændring: 7. Gyldighed (1)")
            }
            ?? .init(
                version: 1, agreement: agreement, activatedAt: date("2026-12-01"), activatedBy: "lars@acme.dk", previous: nil, changes: nil)
        return facts
    }

    /// Runs `Reminders.due` on every day of `days` (or only the days `runOn` allows), keeping
    /// the record; returns what was delivered on which day.
    static func simulate(
        _ days: ClosedRange<String>, runOn: (LocalDate) -> Bool = { _ in true },
        delivered start: Set<Delivery> = [], facts: (LocalDate) -> ReminderFacts
    ) -> [(day: String, reminder: Reminder)] {
        var delivered = start
        var out: [(String, Reminder)] = []
        var day = date(days.lowerBound)
        while day <= date(days.upperBound) {
            if runOn(day) {
                for reminder in Reminders.due(facts(day), today: day, delivered: delivered) {
                    out.append((day.iso, reminder))
                    delivered.formUnion(reminder.deliveries)
                }
            }
            day = day.adding(days: 1)
        }
        return out
    }

    static let signers = ["mette@acme.dk", "soren@acme.dk"]
    static let owner = "lars@acme.dk"
    static let informed = ["salg@acme.dk", "marketing@acme.dk"]

    @Test("activated: the day after, once, to the owner, every signatory and everyone informed")
    func activated() throws {
        let a = try Self.example()
        let sent = Self.simulate("2026-11-25"..."2027-01-15") { Self.facts($0, agreement: a) }
        #expect(sent.map(\.day) == ["2026-12-02"])
        #expect(sent.first?.reminder.kind == .activated)
        #expect(sent.first?.reminder.recipients.map(\.principal) == [Self.owner] + Self.signers + Self.informed)
        #expect(sent.first?.reminder.date.iso == "2026-12-01")
        #expect(sent.first?.reminder.text.contains("træder i kraft 2027-01-01") == true)
    }

    @Test("renewal-upcoming at each lead time, then renewal-overdue the day after the due date and every 7 days")
    func renewal() throws {
        let a = try Self.example()
        let sent = Self.simulate("2026-12-03"..."2027-07-31") { Self.facts($0, agreement: a) }.filter { $0.reminder.kind != .activated }
        #expect(
            sent.map(\.day) == [
                "2027-06-01", "2027-06-24", "2027-06-30", "2027-07-02", "2027-07-09", "2027-07-16", "2027-07-23", "2027-07-30",
            ])
        #expect(sent.prefix(3).allSatisfy { $0.reminder.kind == .renewalUpcoming && $0.reminder.date.iso == "2027-07-01" })
        #expect(sent.dropFirst(3).allSatisfy { $0.reminder.kind == .renewalOverdue && $0.reminder.date.iso == "2027-07-01" })
        #expect(sent.allSatisfy { $0.reminder.recipients.map(\.principal) == [Self.owner] + Self.signers })
        #expect(sent[0].reminder.text.contains("om 30 dage") && sent[2].reminder.text.contains("i morgen"))
        #expect(sent[3].reminder.text.contains("for 1 dag siden"))
    }

    @Test("a run after three missed days catches up once; a second run the same day delivers nothing")
    func catchUp() throws {
        let a = try Self.example()
        let skipped: Set<String> = ["2027-06-24", "2027-06-25", "2027-06-26"]
        let sent = Self.simulate("2027-06-01"..."2027-06-30", runOn: { !skipped.contains($0.iso) }) { Self.facts($0, agreement: a) }
            .filter { $0.reminder.kind != .activated }
        #expect(sent.map(\.day) == ["2027-06-01", "2027-06-27", "2027-06-30"])
        #expect(sent.map(\.reminder.dueOn.iso) == ["2027-06-01", "2027-06-24", "2027-06-30"])
        #expect(sent[1].reminder.text.contains("om 4 dage"), "the text counts from the day it is delivered")

        // Missing the 30- and the 7-day reminders entirely still gives one reminder, not two.
        let late = Self.simulate("2027-06-29"..."2027-06-29") { Self.facts($0, agreement: a) }.filter { $0.reminder.kind != .activated }
        #expect(late.count == 1 && late.first?.reminder.dueOn.iso == "2027-06-24")
        // The same day again: the record holds it.
        let day = Self.date("2027-06-29")
        let first = Reminders.due(Self.facts(day, agreement: a), today: day, delivered: [])
        #expect(Reminders.due(Self.facts(day, agreement: a), today: day, delivered: Set(first.flatMap(\.deliveries))).isEmpty)
    }

    @Test("a recipient already reached is left out; the others still get it")
    func partialRecord() throws {
        let a = try Self.example()
        let day = Self.date("2027-06-01")
        let reached = Delivery(kind: .renewalUpcoming, agreement: a.id, version: 1, principal: "mette@acme.dk", dueOn: day)
        let due = Reminders.due(Self.facts(day, agreement: a), today: day, delivered: [reached])
        #expect(due.filter { $0.kind == .renewalUpcoming }.map { $0.recipients.map(\.principal) } == [[Self.owner, "soren@acme.dk"]])
    }

    @Test("signature-pending: the day after the proposal, then every 7 days, only to those who have not signed")
    func signaturePending() throws {
        let a = try Self.example()
        let proposed = Self.date("2027-02-10")
        let sent = Self.simulate("2027-02-10"..."2027-03-05") { Self.facts($0, agreement: a, proposed: proposed) }
            .filter { $0.reminder.kind == .signaturePending }
        #expect(sent.map(\.day) == ["2027-02-11", "2027-02-18", "2027-02-25", "2027-03-04"])
        #expect(sent.allSatisfy { $0.reminder.recipients.map(\.principal) == Self.signers && $0.reminder.version == 2 })
        #expect(sent.first?.reminder.date == proposed)
        #expect(sent.first?.reminder.text.contains("sla sign acme-sales-marketing v2") == true)
    }

    @Test("once the renewal is activated (even for later), renewal reminders stop; the activation is announced")
    func renewalMade() throws {
        let a = try Self.example()
        let sent = Self.simulate("2027-06-20"..."2027-07-20") {
            Self.facts(
                $0, agreement: a, secondActivated: $0 >= Self.date("2027-06-20") ? Self.date("2027-06-20") : nil,
                secondFrom: Self.date("2027-07-15"))
        }
        #expect(sent.map(\.day) == ["2027-06-21"])
        #expect(sent.first?.reminder.kind == .activated && sent.first?.reminder.version == 2)
        #expect(sent.first?.reminder.text.contains("Ændret i forhold til v1") == true)
    }

    @Test("versions activated on one day are each announced the day after; a day missed catches up the latest only")
    func sameDayActivations() throws {
        let a = try Self.example()
        func facts(_ day: LocalDate) -> ReminderFacts {
            var facts = Self.facts(day, agreement: a, secondActivated: Self.date("2026-12-01"), secondFrom: Self.date("2027-07-01"))
            var first = ReminderFacts.Activation(
                version: 1, agreement: a, activatedAt: Self.date("2026-12-01"), activatedBy: Self.owner, previous: nil, changes: nil)
            first.replacedBy = (2, Self.date("2027-07-01"))
            facts.earlierActivations = [first]
            return facts
        }
        let onTime = Self.simulate("2026-12-01"..."2026-12-10", facts: facts).filter { $0.reminder.kind == .activated }
        #expect(onTime.map { "\($0.day) v\($0.reminder.version)" } == ["2026-12-02 v1", "2026-12-02 v2"])
        #expect(onTime.first?.reminder.text.contains("den første version af aftalen, der aktiveres") == true)
        #expect(onTime.first?.reminder.text.contains("v2 er også aktiveret og afløser den fra 2027-07-01") == true)
        #expect(onTime.last?.reminder.text.contains("Ændret i forhold til v1") == true)
        let late = Self.simulate("2026-12-01"..."2026-12-10", runOn: { $0 >= Self.date("2026-12-04") }, facts: facts)
        #expect(late.filter { $0.reminder.kind == .activated }.map { "\($0.day) v\($0.reminder.version)" } == ["2026-12-04 v2"])
    }

    @Test("a faulted agreement gets no reminders")
    func faulted() throws {
        let a = try Self.example()
        let sent = Self.simulate("2026-12-01"..."2027-07-31") { Self.facts($0, agreement: a, fault: "x (commit 1234567): changed") }
        #expect(sent.isEmpty)
    }

    @Test("English agreements get English texts")
    func english() throws {
        var a = try Self.example()
        a.language = .en
        let day = Self.date("2027-07-02")
        let due = Reminders.due(Self.facts(day, agreement: a), today: day, delivered: [])
        let overdue = try #require(due.first { $0.kind == .renewalOverdue })
        #expect(overdue.subject.hasPrefix("Renewal of") && overdue.text.contains("1 day ago") && overdue.language == .en)
    }
}
