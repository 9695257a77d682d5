import Foundation
import GitKit

/// A breach of a History rule, or an activation entry that does not count: what DESIGN.md
/// calls a fault. An agreement with one is faulted, and everything that would rely on it fails
/// closed. This is the one list of what is a fault; the commit check and the tag check make them.
public struct Fault: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public enum Rule: String, Sendable, Codable {
        /// Rule 1: a version or signature file changed or deleted.
        case frozenFile = "frozen-file"
        /// Rule 2: a new version that does not validate, a signature not valid for its name.
        case invalidFile = "invalid-file"
        /// Rule 2: something in the agreement's folder that does not belong there.
        case layout
        /// Rule 3: activations.yaml rewritten, or bytes that are not entries.
        case activationLog = "activation-log"
        /// Rule 4: an entry that does not count.
        case activationEntry = "activation-entry"
        /// Rule 5: a version tag that names other bytes than the checked commit has.
        case tag
    }

    public let agreement: String
    public let rule: Rule
    /// Repository path (or `refs/tags/…`).
    public let path: String
    /// The commit that made the fault; nil for a tag, which is judged against the checked commit.
    public let commit: ObjectID?
    public let message: String

    public init(agreement: String, rule: Rule, path: String, commit: ObjectID?, message: String) {
        self.agreement = agreement
        self.rule = rule
        self.path = path
        self.commit = commit
        self.message = message
    }

    /// In JSON, `commit` is null for a tag's fault (judged against the checked commit), never absent.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agreement, forKey: .agreement)
        try c.encode(rule, forKey: .rule)
        try c.encode(path, forKey: .path)
        try c.encode(commit, forKey: .commit)
        try c.encode(message, forKey: .message)
    }

    public var description: String {
        (commit.map { "\(path) (commit \($0.short))" } ?? path) + ": " + message
    }

    /// The same breach seen again at a later commit (a merge meeting it on both sides) is one fault.
    var identity: String { "\(rule.rawValue)|\(path)|\(message)" }
}

extension Array where Element == Fault {
    /// Appends the faults not already present (by what they say, keeping the earliest commit).
    mutating func merge(_ others: [Fault]) {
        guard !others.isEmpty else { return }
        var seen = Set(map(\.identity))
        for fault in others where seen.insert(fault.identity).inserted { append(fault) }
    }
}
