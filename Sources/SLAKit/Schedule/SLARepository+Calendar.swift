import Foundation
import GitKit

/// `sla calendar`: the renewal meetings and the dates scheduled versions take effect.
extension SLARepository {
    public struct CalendarRun: Sendable {
        public var events: [CalendarEvent] = []
        /// Skipped because faulted (DESIGN.md: name the fault, do the rest, exit 1).
        public var faulted: [AgreementStatus] = []
    }

    /// Per agreement: the renewal due date of the latest activated version (in force or
    /// scheduled; a renewal already made is not a meeting any more), and the `effective_from`
    /// of every scheduled version. Sorted by date, then UID.
    public func calendar(today: LocalDate, in built: Ledger? = nil) throws -> CalendarRun {
        let ledger = try built ?? self.ledger()
        var run = CalendarRun()
        for (agreement, hasDraft) in try everyAgreement(in: ledger) {
            let status = try agreement.status(today: today, hasDraft: hasDraft)
            if status.state == .faulted {
                run.faulted.append(status)
                continue
            }
            guard let last = agreement.counted.last else { continue }
            for version in status.scheduled {
                guard let entry = agreement.counted.last(where: { $0.entry.version == version.version }) else { continue }
                run.events.append(try event(.effective, try agreement.version(version.version), stamp: try commitTime(entry.commit)))
            }
            let latest = try agreement.version(last.entry.version)
            if status.inForceVersion == latest.number || status.scheduled.contains(where: { $0.version == latest.number }) {
                run.events.append(try event(.renewal, latest, stamp: try commitTime(last.commit)))
            }
        }
        run.events.sort { ($0.date, $0.uid) < ($1.date, $1.uid) }
        return run
    }

    private enum EventKind: String { case renewal, effective }

    private func event(_ kind: EventKind, _ version: VersionRecord, stamp: Date) throws -> CalendarEvent {
        let a = version.agreement
        let n = version.number
        let da = a.language == .da
        let signatories = a.parties.flatMap { $0.signatories.map { Person(name: $0.name, principal: $0.principal) } }
        let summary: String
        let description: String
        let date: LocalDate
        switch kind {
        case .renewal:
            date = Schedule.renewalDue(a.validity)
            summary = da ? "Fornyelse af \(a.title) (\(a.id) v\(n))" : "Renewal of \(a.title) (\(a.id) v\(n))"
            description =
                da
                ? "Møde om fornyelse af \(a.title), version \(n), i kraft fra \(a.validity.effectiveFrom.iso). Ansvarlig: \(a.validity.reviewer). Gennemgå aftalen; derefter `sla renew \(a.id)` (uden ændringer) eller `sla revise \(a.id)`, `sla propose \(a.id)`, alle underskriver, `sla activate \(a.id)`."
                : "Renewal meeting for \(a.title), version \(n), in force from \(a.validity.effectiveFrom.iso). Responsible: \(a.validity.reviewer). Go through the agreement; then `sla renew \(a.id)` (no changes) or `sla revise \(a.id)`, `sla propose \(a.id)`, everyone signs, `sla activate \(a.id)`."
        case .effective:
            date = a.validity.effectiveFrom
            summary = da ? "\(a.title) v\(n) træder i kraft (\(a.id))" : "\(a.title) v\(n) takes effect (\(a.id))"
            description =
                da
                ? "Version \(n) af \(a.title) er aktiveret og træder i kraft denne dag. Læs den: `sla show \(a.id) v\(n)`."
                : "Version \(n) of \(a.title) is activated and takes effect on this day. Read it: `sla show \(a.id) v\(n)`."
        }
        return CalendarEvent(
            uid: "\(a.id)-v\(n)-\(kind.rawValue)@sla", date: date, summary: summary, description: description,
            organizer: a.owner, attendees: [a.owner] + signatories, alarmDaysBefore: a.validity.remindDaysBefore,
            stamp: stamp)
    }

    private func commitTime(_ id: ObjectID) throws -> Date {
        try wrap { try git.commit(id) }.committer.time
    }
}
