import Foundation
import GitKit

/// The verdict on one entry of `activations.yaml`, made once, in the commit where it is new
/// (History rule 4), and never changed afterwards.
public struct EntryVerdict: Sendable, Equatable, Codable {
    public let entry: ActivationEntry
    /// Its place in the log, counting from 1.
    public let index: Int
    /// The commit in which it was new.
    public let commit: ObjectID
    /// Why it does not count, or nil when it counts.
    public let problem: String?
    /// The version's validity, for an entry that counts (versions never change, so this is
    /// known once, where the entry is judged, and the schedule needs no YAML afterwards).
    public var validity: Validity?
    public var effectiveFrom: LocalDate? { validity?.effectiveFrom }

    public var counts: Bool { problem == nil }
}

/// One agreement at one commit: its files, its entries with their verdicts, and every fault
/// made in the history up to that commit (faults never go away).
public struct AgreementState: Sendable, Equatable {
    public var files = AgreementFiles()
    public var entries: [EntryVerdict] = []
    public var faults: [Fault] = []
    /// The commit in which each version's bytes first appeared (one of them, where two
    /// branches added the same bytes): where its tag `sla/ID/vN` should point.
    public var versionCommits: [Int: ObjectID] = [:]

    /// A: the version of the last entry that counts.
    public var lastCounted: EntryVerdict? { entries.last(where: \.counts) }
}

/// Every agreement at one commit.
public struct LedgerState: Sendable, Equatable {
    /// The tree of `agreements/`, nil when there is none.
    public var agreementsTree: ObjectID?
    /// Every agreement that ever existed in the history up to this commit.
    var agreements = LazyMap<AgreementState>()

    public init() {}
}

/// A file of an agreement that a commit added, changed or deleted (against every parent).
public struct FileEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case added, modified, deleted }
    public let commit: ObjectID
    /// Relative to the agreement's folder, e.g. `versions/v2.yaml`.
    public let path: String
    public let kind: Kind
    public let blob: ObjectID?
}
