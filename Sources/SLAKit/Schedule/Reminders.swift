import Foundation

/// One reminder to deliver (DESIGN.md, "Reminders"), and its JSON:
/// `{kind, agreement, version, date, recipients: [{name, principal}], subject, text}`.
public struct Reminder: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case renewalUpcoming = "renewal-upcoming"
        case renewalOverdue = "renewal-overdue"
        case signaturePending = "signature-pending"
        case activated
    }

    public let kind: Kind
    public let agreement: String
    public let version: Int
    /// The day it is about: the renewal due date, the proposal date, or the activation date.
    public let date: LocalDate
    /// The day it fell due: a lead time before the renewal, or a day of a 7-day repetition.
    public let dueOn: LocalDate
    /// Those it has not yet been delivered to.
    public let recipients: [Person]
    public let language: Language
    public let subject: String
    public let text: String

    private struct Recipient: Encodable {
        let name: String
        let principal: String
    }

    enum CodingKeys: String, CodingKey {
        case kind, agreement, version, date, recipients, language, subject, text
        case dueOn = "due_on"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(agreement, forKey: .agreement)
        try c.encode(version, forKey: .version)
        try c.encode(date.iso, forKey: .date)
        try c.encode(dueOn.iso, forKey: .dueOn)
        try c.encode(recipients.map { Recipient(name: $0.name, principal: $0.principal) }, forKey: .recipients)
        try c.encode(language, forKey: .language)
        try c.encode(subject, forKey: .subject)
        try c.encode(text, forKey: .text)
    }

    /// The delivery records this reminder makes, one per recipient.
    public var deliveries: [Delivery] {
        recipients.map { Delivery(kind: kind, agreement: agreement, version: version, principal: $0.principal, dueOn: dueOn) }
    }
}

/// What the delivery record keeps: kind, agreement, version, recipient and the day it fell due.
public struct Delivery: Sendable, Hashable {
    public let kind: Reminder.Kind
    public let agreement: String
    public let version: Int
    public let principal: String
    public let dueOn: LocalDate
}

/// What the reminders of one agreement depend on, read from the ledger at `today`.
public struct ReminderFacts: Sendable {
    public let status: AgreementStatus
    /// The version in force, when there is one.
    public var inForce: Agreement?
    /// The pending version (newer than every activated one, not approved) and when it was proposed.
    public var pending: Pending?
    /// The latest activation that counts.
    public var activation: Activation?
    /// The activations that count before the latest, oldest first (several activated on one
    /// day are each announced the day after; `Reminders` decides).
    public var earlierActivations: [Activation] = []

    public struct Pending: Sendable {
        public let version: Int
        public let agreement: Agreement
        /// The date of the commit that added `versions/vN.yaml`, as its committer's clock had it.
        public let proposedOn: LocalDate
    }

    public struct Activation: Sendable {
        public let version: Int
        public let agreement: Agreement
        public let activatedAt: LocalDate
        public let activatedBy: String
        /// The version it replaces, and what changed (the diff's one-line summary).
        public let previous: Int?
        public let changes: String?
        /// The next activation that counts, when there is one: its version and `effective_from`.
        public var replacedBy: (version: Int, from: LocalDate)? = nil
    }

    public init(status: AgreementStatus, inForce: Agreement? = nil, pending: Pending? = nil, activation: Activation? = nil) {
        self.status = status
        self.inForce = inForce
        self.pending = pending
        self.activation = activation
    }
}

/// Which reminders fall due (DESIGN.md, "Reminders"): the one home of that rule.
public enum Reminders {
    /// The reminders due at `today` that `delivered` does not hold yet, each with only the
    /// recipients it has not reached. Each kind is a series of days; only the latest day of a
    /// series that has come counts, so days missed are caught up once, by one reminder, and
    /// only while what the series is about still holds.
    public static func due(_ facts: ReminderFacts, today: LocalDate, delivered: Set<Delivery>) -> [Reminder] {
        let status = facts.status
        guard status.state != .faulted else { return [] }
        var found: [Reminder] = []
        func add(
            _ kind: Reminder.Kind, version: Int, about: LocalDate, dueOn: LocalDate?, to people: [Person],
            in agreement: Agreement, activation: ReminderFacts.Activation? = nil
        ) {
            guard let dueOn, dueOn <= today else { return }
            let open = unique(people).filter {
                !delivered.contains(Delivery(kind: kind, agreement: status.id, version: version, principal: $0.principal, dueOn: dueOn))
            }
            guard !open.isEmpty else { return }
            let words = ReminderText(
                kind: kind, agreement: agreement, version: version, about: about, today: today, facts: facts, activation: activation)
            found.append(
                Reminder(
                    kind: kind, agreement: status.id, version: version, date: about, dueOn: dueOn,
                    recipients: open, language: agreement.language, subject: words.subject, text: words.text))
        }

        // Renewal: while no newer version has been activated, to the owner and every signatory.
        if let inForce = facts.inForce, let version = status.inForceVersion, let due = status.renewalDue,
            let daysLeft = status.daysLeft, !status.renewalMade
        {
            let people = [inForce.owner] + inForce.parties.flatMap { $0.signatories.map { Person(name: $0.name, principal: $0.principal) } }
            if daysLeft >= 0 {
                let days = inForce.validity.remindDaysBefore.map { due.adding(days: -$0) }.filter { $0 <= today }
                add(.renewalUpcoming, version: version, about: due, dueOn: days.max(), to: people, in: inForce)
            } else {
                add(
                    .renewalOverdue, version: version, about: due, dueOn: weekly(from: due.adding(days: 1), today: today),
                    to: people, in: inForce)
            }
        }
        // A proposed version: each signatory whose signature it still needs.
        if let pending = facts.pending, !status.missing.isEmpty {
            add(
                .signaturePending, version: pending.version, about: pending.proposedOn,
                dueOn: weekly(from: pending.proposedOn.adding(days: 1), today: today), to: status.missing, in: pending.agreement)
        }
        // An activation, the day after: everyone affected, the informed included. Caught up
        // later only while it is the latest one.
        for activation in facts.earlierActivations + (facts.activation.map { [$0] } ?? []) {
            let a = activation.agreement
            let people =
                [a.owner] + a.parties.flatMap { $0.signatories.map { Person(name: $0.name, principal: $0.principal) } } + a.informed
            let dueOn = activation.activatedAt.adding(days: 1)
            guard activation.version == facts.activation?.version || dueOn == today else { continue }
            add(
                .activated, version: activation.version, about: activation.activatedAt, dueOn: dueOn, to: people, in: a,
                activation: activation)
        }
        return found
    }

    /// The latest of `first`, `first + 7`, `first + 14`, … that is not after `today`.
    static func weekly(from first: LocalDate, today: LocalDate) -> LocalDate? {
        guard first <= today else { return nil }
        return first.adding(days: first.days(until: today) / 7 * 7)
    }

    /// Each principal once, the first name given for it.
    static func unique(_ people: [Person]) -> [Person] {
        var seen: Set<String> = []
        return people.filter { seen.insert($0.principal).inserted }
    }
}
