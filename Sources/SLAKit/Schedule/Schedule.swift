import Foundation

/// Validity and renewal (DESIGN.md, "Validity and renewal"): which version is in force,
/// which is scheduled, when the renewal is due, and the one state of each agreement. The
/// one home of these rules; `status`, `renew`, `remind`, `calendar` and `serve` ask it.
/// Every rule takes `today`; nothing here reads a clock.
public enum Schedule {
    /// The renewal of a version is due `12 / renewals_per_year` calendar months after its
    /// `effective_from`, the day clamped to the month's end (2027-08-31, half-yearly:
    /// 2028-02-29).
    public static func renewalDue(_ validity: Validity) -> LocalDate {
        writableRenewalDue(validity) ?? validity.effectiveFrom
    }

    /// The renewal due date, nil when it would fall after 9999-12-31 and could not be written
    /// (the agreement format refuses such a validity, so a valid version always has one).
    public static func writableRenewalDue(_ validity: Validity) -> LocalDate? {
        validity.effectiveFrom.addingIfWritable(months: validity.renewalIntervalMonths)
    }

    /// A new agreement takes effect on the first day of the month after `today`, unless its
    /// owner writes another date.
    public static func defaultStart(today: LocalDate) -> LocalDate {
        LocalDate(year: today.year, month: today.month, day: 1)!.adding(months: 1)
    }

    /// What the schedule of one agreement depends on, read from the ledger.
    public struct Input: Sendable {
        /// Why the agreement is faulted (its first fault), or nil.
        public var fault: String?
        /// The versions of the entries that count, in the order of the log, with their validity.
        public var activated: [Activated]
        /// The latest committed version, nil when there is none.
        public var latestVersion: Int?
        /// An open draft exists (committed, or in the work tree).
        public var hasDraft: Bool
        /// The latest version, when it is newer than every activated one: whether it is
        /// approved and who still has to sign it.
        public var pending: Pending?

        public struct Activated: Sendable, Equatable {
            public let version: Int
            public let validity: Validity
            public init(version: Int, validity: Validity) {
                self.version = version
                self.validity = validity
            }
        }

        public struct Pending: Sendable, Equatable {
            public let version: Int
            public let approved: Bool
            /// The signatories whose signatures it still needs, in the agreement's order.
            public let missing: [Person]
            public init(version: Int, approved: Bool, missing: [Person]) {
                self.version = version
                self.approved = approved
                self.missing = missing
            }
        }

        public init(
            fault: String? = nil, activated: [Activated] = [], latestVersion: Int? = nil,
            hasDraft: Bool = false, pending: Pending? = nil
        ) {
            self.fault = fault
            self.activated = activated
            self.latestVersion = latestVersion
            self.hasDraft = hasDraft
            self.pending = pending
        }
    }

    /// The state of one agreement at `today`: the first of DESIGN.md's states that applies.
    public static func status(id: String, _ input: Input, today: LocalDate) -> AgreementStatus {
        if let fault = input.fault {
            return AgreementStatus(id: id, state: .faulted, today: today, fault: fault)
        }
        // In force: the latest activated version whose effective_from has come; scheduled:
        // the activated ones after it whose date is still to come and that will come into
        // force — not one that a later activation with an earlier or equal date supersedes.
        let activated = input.activated
        let inForceIndex = activated.lastIndex { $0.validity.effectiveFrom <= today }
        let inForce = inForceIndex.map { activated[$0] }
        let scheduled = activated.indices[(inForceIndex.map { $0 + 1 } ?? 0)...].filter { i in
            let date = activated[i].validity.effectiveFrom
            return date > today && activated[(i + 1)...].allSatisfy { $0.validity.effectiveFrom > date }
        }.map { ScheduledVersion(version: activated[$0].version, effectiveFrom: activated[$0].validity.effectiveFrom) }
        // A newer activation, scheduled or not, means the renewal is made.
        let renewalMade = inForceIndex.map { $0 < input.activated.count - 1 } ?? false
        let due = inForce.map { renewalDue($0.validity) }
        let daysLeft = due.map { today.days(until: $0) }
        let pending = input.pending.flatMap { p in
            input.activated.allSatisfy({ $0.version < p.version }) ? p : nil
        }

        let state: AgreementStatus.State
        if let daysLeft, !renewalMade, daysLeft < 0 {
            state = .overdue
        } else if let pending, !pending.approved {
            state = .awaitingSignatures
        } else if let daysLeft, let inForce, !renewalMade, daysLeft <= (inForce.validity.remindDaysBefore.max() ?? 0) {
            state = .renewalDue
        } else if inForce != nil {
            state = .active
        } else if !scheduled.isEmpty {
            state = .scheduled
        } else if input.activated.isEmpty && (input.hasDraft || input.latestVersion != nil) {
            state = .draft
        } else {
            state = .none
        }
        return AgreementStatus(
            id: id, state: state, today: today, inForceVersion: inForce?.version,
            effectiveFrom: inForce?.validity.effectiveFrom, renewalDue: due, daysLeft: daysLeft,
            renewalMade: renewalMade, scheduled: scheduled, pendingVersion: pending?.version,
            missing: pending?.missing ?? [], fault: nil)
    }
}

/// A version activated to take effect after `today`.
public struct ScheduledVersion: Sendable, Equatable {
    public let version: Int
    public let effectiveFrom: LocalDate
}

/// One agreement's row of `sla status`, and its JSON (DESIGN.md: an object with at least `id,
/// state, in_force_version, effective_from, renewal_due, days_left, pending_version,
/// missing_signatures`).
public struct AgreementStatus: Sendable, Equatable, Encodable {
    /// In DESIGN.md's order: the first that applies is the state.
    public enum State: String, Sendable, CaseIterable, Encodable {
        case faulted
        case overdue
        case awaitingSignatures = "awaiting-signatures"
        case renewalDue = "renewal-due"
        case active
        case scheduled
        case draft
        case none
    }

    public let id: String
    public let state: State
    public let today: LocalDate
    public var inForceVersion: Int? = nil
    public var effectiveFrom: LocalDate? = nil
    public var renewalDue: LocalDate? = nil
    /// The renewal due date minus today, in days (negative when overdue).
    public var daysLeft: Int? = nil
    /// A version newer than the one in force has been activated (scheduled or not).
    public var renewalMade: Bool = false
    public var scheduled: [ScheduledVersion] = []
    /// The latest version when it is newer than every activated one.
    public var pendingVersion: Int? = nil
    /// Who the pending version still needs a signature from.
    public var missing: [Person] = []
    public var fault: String? = nil

    public var missingSignatures: [String] { missing.map(\.principal) }

    /// `--check`: faulted, overdue, or nothing in force.
    public var failsCheck: Bool { state == .faulted || state == .overdue || inForceVersion == nil }

    enum CodingKeys: String, CodingKey {
        case id, state, today, fault
        case inForceVersion = "in_force_version"
        case effectiveFrom = "effective_from"
        case renewalDue = "renewal_due"
        case daysLeft = "days_left"
        case renewalMade = "renewal_made"
        case scheduledVersion = "scheduled_version"
        case scheduledFrom = "scheduled_from"
        case pendingVersion = "pending_version"
        case missingSignatures = "missing_signatures"
        case missingSigners = "missing_signers"
    }

    private struct Named: Encodable {
        let name: String
        let principal: String
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(state, forKey: .state)
        try c.encode(today.iso, forKey: .today)
        try c.encode(inForceVersion, forKey: .inForceVersion)
        try c.encode(effectiveFrom?.iso, forKey: .effectiveFrom)
        try c.encode(renewalDue?.iso, forKey: .renewalDue)
        try c.encode(daysLeft, forKey: .daysLeft)
        try c.encode(renewalMade, forKey: .renewalMade)
        try c.encode(scheduled.first?.version, forKey: .scheduledVersion)
        try c.encode(scheduled.first?.effectiveFrom.iso, forKey: .scheduledFrom)
        try c.encode(pendingVersion, forKey: .pendingVersion)
        try c.encode(missingSignatures, forKey: .missingSignatures)
        try c.encode(missing.map { Named(name: $0.name, principal: $0.principal) }, forKey: .missingSigners)
        try c.encode(fault, forKey: .fault)
    }
}
