import Foundation
import GitKit

/// `sla remind`: the reminders due today, delivered once each.
extension SLARepository {
    /// Where the delivery record lives unless `--state PATH` names another file.
    public var defaultReminderLog: URL {
        // The common directory: every linked work tree of a clone shares one delivery record.
        URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("sla/reminders")
    }

    public struct RemindRun: Sendable {
        /// Delivered (or, in a dry run, due).
        public var delivered: [Reminder] = []
        /// Due, but the delivery failed: still pending, tried again on the next run.
        public var failed: [(reminder: Reminder, reason: String)] = []
        /// Skipped because faulted (DESIGN.md: name the fault, do the rest, exit 1).
        public var faulted: [AgreementStatus] = []
    }

    /// Plans the reminders due at `today` against the record in `log` (default:
    /// `defaultReminderLog`); unless `dryRun`, hands each to `deliver` (nil: delivered; else
    /// why not) and records the delivered ones at once.
    public func remind(
        today: LocalDate, log file: URL? = nil, dryRun: Bool,
        deliver: (Reminder) -> String?
    ) throws -> RemindRun {
        // Through symbolic links: one record has one lock, and replacing it keeps the link.
        let file = FilePaths.followingLinks(file ?? defaultReminderLog)
        // One run at a time per record: a second run (cron and a hand-started one, a catch-up
        // of systemd's) waits, then reads what the first delivered. Read only after the lock.
        let lock =
            dryRun
            ? nil
            : try ProcessLock.acquire(file.appendingPathExtension("lock")) {
                "another sla remind is delivering with the record \(file.path) (it holds \(file.path).lock); nothing was delivered by this run"
            }
        defer { lock?.release() }
        var log = try ReminderLog(file: file)
        let ledger = try self.ledger()
        var run = RemindRun()
        for (agreement, hasDraft) in try everyAgreement(in: ledger) {
            let facts = try reminderFacts(agreement, hasDraft: hasDraft, today: today)
            if facts.status.state == .faulted {
                run.faulted.append(facts.status)
                continue
            }
            for reminder in Reminders.due(facts, today: today, delivered: log.delivered) {
                if dryRun {
                    run.delivered.append(reminder)
                } else if let problem = deliver(reminder) {
                    run.failed.append((reminder, problem))
                } else {
                    try log.record(reminder, today: today)
                    run.delivered.append(reminder)
                }
            }
        }
        return run
    }

    /// What the reminders of one agreement depend on.
    func reminderFacts(_ agreement: AgreementLedger, hasDraft: Bool, today: LocalDate) throws -> ReminderFacts {
        let status = try agreement.status(today: today, hasDraft: hasDraft)
        guard status.state != .faulted else { return ReminderFacts(status: status) }
        var facts = ReminderFacts(status: status)
        facts.inForce = try status.inForceVersion.map { try agreement.version($0).agreement }
        if let n = status.pendingVersion, !status.missing.isEmpty {
            let added = agreement.fileEvents.last { $0.path == "versions/v\(n).yaml" && $0.kind == .added }
            if let added {
                facts.pending = .init(version: n, agreement: try agreement.version(n).agreement, proposedOn: try commitDay(added.commit))
            }
        }
        // Every activation that counts, oldest first; `Reminders` decides which are due.
        let counted = agreement.counted
        let records = try counted.map { try agreement.version($0.entry.version) }
        for (index, item) in counted.enumerated() {
            let record = records[index]
            let previous = index > 0 ? records[index - 1] : nil
            var activation = ReminderFacts.Activation(
                version: record.number, agreement: record.agreement, activatedAt: item.entry.activatedAt,
                activatedBy: item.entry.activatedBy, previous: previous?.number,
                changes: previous.map {
                    AgreementDiff(from: $0.agreement, to: record.agreement).summary(language: record.agreement.language)
                })
            if index + 1 < counted.count {
                let next = records[index + 1]
                activation.replacedBy = (next.number, next.agreement.validity.effectiveFrom)
                facts.earlierActivations.append(activation)
            } else {
                facts.activation = activation
            }
        }
        return facts
    }

    /// The calendar day of a commit as its committer's clock showed it (their UTC offset).
    func commitDay(_ id: ObjectID) throws -> LocalDate {
        let committer = try wrap { try git.commit(id) }.committer
        // The offset is bounded (git keeps +-HHMM; libgit2 an Int32 of minutes).
        return LocalDate(unixSeconds: LocalDate.unixSeconds(committer.time.timeIntervalSince1970) + committer.offsetMinutes * 60)
    }
}
