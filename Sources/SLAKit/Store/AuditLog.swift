import Foundation
import GitKit

/// One entry of `sla log`: a change to an agreement's files, with the commit that made it.
public struct AuditEvent: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case created
        case draftEdited = "draft-edited"
        case proposed, signed
        case signatureReplaced = "signature-replaced"
        case activated
        case draftRemoved = "draft-removed"
        case versionChanged = "version-changed"
        case versionRemoved = "version-removed"
        case signatureRemoved = "signature-removed"
        case activationsChanged = "activations-changed"
        case stray
        /// A breach of a History rule, listed with the commit that made it.
        case fault
    }

    public let commit: String
    public let date: String  // RFC 3339, the committer's time in UTC
    public let author: String
    public let email: String
    public let kind: Kind
    public let version: Int?
    public let path: String
    public let summary: String  // the commit's first line
    /// For a proposal: what it changed against the version before it (the diff's summary line).
    public var changes: String?
    /// For an activation entry: whether it counts, and why not.
    public var counts: Bool?
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case commit, date, time, author, email, kind, version, path, summary, changes, counts, problem
    }

    /// In JSON, `date` is the day (`YYYY-MM-DD`, as every date of sla's JSON) and `time` the
    /// committer's time (RFC 3339, UTC); absent facts are left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(commit, forKey: .commit)
        try c.encode(String(date.prefix(10)), forKey: .date)
        try c.encode(date, forKey: .time)
        try c.encode(author, forKey: .author)
        try c.encode(email, forKey: .email)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encode(path, forKey: .path)
        try c.encode(summary, forKey: .summary)
        try c.encodeIfPresent(changes, forKey: .changes)
        try c.encodeIfPresent(counts, forKey: .counts)
        try c.encodeIfPresent(problem, forKey: .problem)
    }
}

extension SLARepository {
    /// Every change to an agreement's files in the checked history, newest first; a commit that
    /// a merge brings in is listed once, and a merge only for what no parent has. Activation
    /// entries come from the ledger, marked when they do not count.
    public func auditLog(_ id: String, ref: String? = nil, in built: Ledger? = nil) throws -> [AuditEvent] {
        let ledger = try built ?? self.ledger(ref: ref)
        guard AgreementDecoder.isValidID(id) else { throw SLAError.invalidID(id) }
        guard let agreement = try ledger.agreement(id) else {
            throw SLAError("there is no agreement '\(id)' in the history of \(ref ?? "HEAD")", kind: .notFound)
        }
        var commits: [ObjectID: CommitInfo] = [:]
        func info(_ id: ObjectID) throws -> CommitInfo {
            if let known = commits[id] { return known }
            let found = try wrap { try git.commit(id) }
            commits[id] = found
            return found
        }
        let folder = agreement.paths.folder
        var events: [AuditEvent] = []
        func add(_ commit: ObjectID, _ kind: AuditEvent.Kind, _ version: Int?, _ path: String) throws -> Int {
            let c = try info(commit)
            events.append(
                AuditEvent(
                    commit: commit.hex, date: RFC3339.string(c.committer.time), author: c.author.name,
                    email: c.author.email, kind: kind, version: version, path: path, summary: c.summary))
            return events.count - 1
        }
        let logFaults = Set(agreement.faults.filter { $0.rule == .activationLog }.compactMap(\.commit))
        let proposed = Set(
            agreement.fileEvents.filter { event in
                if case .version = AgreementFiles.Role(path: event.path), event.kind == .added { return true }
                return false
            }.map(\.commit))
        for event in agreement.fileEvents {
            let path = "\(folder)/\(event.path)"
            switch (AgreementFiles.Role(path: event.path), event.kind) {
            case (.draft, .added): _ = try add(event.commit, .created, nil, path)
            case (.draft, .modified): _ = try add(event.commit, .draftEdited, nil, path)
            case (.draft, .deleted):
                // A proposal consumes the draft; its removal is part of the proposal, not news.
                if !proposed.contains(event.commit) { _ = try add(event.commit, .draftRemoved, nil, path) }
            case (.activations, _):
                let entries = agreement.entries.filter { $0.commit == event.commit }
                for entry in entries {
                    let index = try add(event.commit, .activated, entry.entry.version, path)
                    events[index].counts = entry.counts
                    events[index].problem = entry.problem
                }
                // A change whose entries the log as checked no longer holds (a later commit
                // edited or dropped them: a fault of its own) is still listed.
                if event.kind == .deleted || logFaults.contains(event.commit) || entries.isEmpty {
                    _ = try add(event.commit, .activationsChanged, nil, path)
                }
            case (.version(let n), .added):
                let index = try add(event.commit, .proposed, n, path)
                if let new = try? agreement.version(n), let before = agreement.versionNumbers.last(where: { $0 < n }),
                    let old = try? agreement.version(before)
                {
                    events[index].changes = AgreementDiff(from: old.agreement, to: new.agreement).summary(language: new.agreement.language)
                }
            case (.version(let n), .modified): _ = try add(event.commit, .versionChanged, n, path)
            case (.version(let n), .deleted): _ = try add(event.commit, .versionRemoved, n, path)
            case (.signature(let n, _), .added): _ = try add(event.commit, .signed, n, path)
            case (.signature(let n, _), .modified): _ = try add(event.commit, .signatureReplaced, n, path)
            case (.signature(let n, _), .deleted): _ = try add(event.commit, .signatureRemoved, n, path)
            case (.stray, _): _ = try add(event.commit, .stray, nil, path)
            }
        }
        // Every fault, right after the changes of the commit that made it (a merge that only
        // dropped one side's files has none of its own); a tag's, with the checked commit.
        var faults = Dictionary(grouping: agreement.faults) { $0.commit ?? ledger.commit }
        var trail: [AuditEvent] = []
        func addFaults(of commit: ObjectID?) throws {
            guard let commit, let list = faults.removeValue(forKey: commit) else { return }
            for fault in list {
                let c = try info(commit)
                var event = AuditEvent(
                    commit: commit.hex, date: RFC3339.string(c.committer.time), author: c.author.name,
                    email: c.author.email, kind: .fault, version: nil, path: fault.path, summary: c.summary)
                event.problem = fault.message
                trail.append(event)
            }
        }
        for (index, event) in events.enumerated() {
            trail.append(event)
            if index + 1 == events.count || events[index + 1].commit != event.commit {
                try addFaults(of: ObjectID(hex: event.commit))
            }
        }
        for commit in faults.keys.compactMap({ $0 }).sorted() { try addFaults(of: commit) }
        return trail.reversed()
    }
}

public enum RFC3339 {
    /// `2026-12-01T09:30:00Z`: whole seconds, UTC. Computed from the calendar directly (a
    /// formatter per call costs more than the rest of `sla log`).
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01T00:00:00Z" }
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }
}
