import Foundation
import GitKit

/// One entry of `sla log`: a change to an agreement's files, with the commit that made it.
public struct AuditEvent: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case created, draftEdited = "draft-edited", proposed, signed, signatureReplaced = "signature-replaced"
        case activated, draftRemoved = "draft-removed", versionChanged = "version-changed"
        case signatureRemoved = "signature-removed", activationsChanged = "activations-changed"
    }

    public let commit: String
    public let date: String            // RFC 3339, the committer's time in UTC
    public let author: String
    public let email: String
    public let kind: Kind
    public let version: Int?
    public let path: String
    public let summary: String         // the commit's first line
    /// For a proposal: what it changed against the version before it (the diff's summary line).
    public var changes: String?

    enum CodingKeys: String, CodingKey {
        case commit, date, author, email, kind, version, path, summary, changes
    }
}

extension SLARepository {
    /// Every change under `agreements/ID/`, newest first (first-parent diffs, like `git log -p --first-parent`).
    public func auditLog(_ id: String) throws -> [AuditEvent] {
        try requireAgreement(id)
        guard let head = try head() else { return [] }
        let paths = AgreementPaths(id)
        let ledger = try self.ledger(id, at: head)
        var events: [AuditEvent] = []
        try wrap {
            try git.walk(from: head) { commit in
                let changes = try git.changes(from: commit.parents.first, to: commit.id, under: paths.folder)
                let classified = changes.sorted(by: { $0.path < $1.path }).compactMap { change in
                    classify(change, paths).map { (change, $0.0, $0.1) }
                }
                // A proposal consumes the draft; its removal is part of the proposal, not news.
                let proposes = classified.contains { $0.1 == .proposed }
                for (change, kind, classifiedVersion) in classified where !(proposes && kind == .draftRemoved) {
                    var version = classifiedVersion
                    if kind == .activated, let new = change.newID {
                        // The entry this commit appended names the version.
                        let records = ActivationsFile.parse(try git.blob(new), path: change.path).records
                        let before = try change.oldID.map { ActivationsFile.parse(try git.blob($0), path: change.path).records.count } ?? 0
                        version = records.count > before ? records.last?.version : nil
                    }
                    var event = AuditEvent(
                        commit: commit.id.hex, date: RFC3339.string(commit.committer.time),
                        author: commit.author.name, email: commit.author.email,
                        kind: kind, version: version, path: change.path, summary: commit.summary)
                    if kind == .proposed, let n = version, let new = try? ledger.version(n),
                       let before = ledger.versionNumbers.last(where: { $0 < n }), let old = try? ledger.version(before) {
                        event.changes = AgreementDiff(from: old.agreement, to: new.agreement).summary(language: new.agreement.language)
                    }
                    events.append(event)
                }
                return true
            }
        }
        return events
    }

    private func classify(_ change: TreeChange, _ paths: AgreementPaths) -> (AuditEvent.Kind, Int?)? {
        let rest = change.path.dropFirst(paths.folder.count + 1).split(separator: "/").map(String.init)
        switch rest.count {
        case 1 where rest[0] == "draft.yaml":
            switch change.kind {
            case .added: return (.created, nil)
            case .modified: return (.draftEdited, nil)
            case .deleted: return (.draftRemoved, nil)
            }
        case 1 where rest[0] == "activations.yaml":
            return (change.kind == .deleted ? .activationsChanged : .activated, nil)
        case 2 where rest[0] == "versions":
            let n = rest[1].hasSuffix(".yaml") ? VersionSelector.versionNumber(String(rest[1].dropLast(5))) : nil
            return (change.kind == .added ? .proposed : .versionChanged, n)
        case 3 where rest[0] == "signatures":
            let n = VersionSelector.versionNumber(rest[1])
            switch change.kind {
            case .added: return (.signed, n)
            case .modified: return (.signatureReplaced, n)
            case .deleted: return (.signatureRemoved, n)
            }
        default:
            return nil
        }
    }
}

public enum RFC3339 {
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
