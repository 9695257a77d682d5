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
    public var entries = EntryList()
    public var faults: [Fault] = []
    /// The commit in which each version's bytes first appeared (one of them, where two
    /// branches added the same bytes): where its tag `sla/ID/vN` should point.
    public var versionCommits: [Int: ObjectID] {
        get { versionCommitSlot.value.ids }
        set { versionCommitSlot = LazySlot(IDsByVersion(newValue)) }
    }
    /// Decoded from the ledger cache only when a tag must be checked.
    var versionCommitSlot = LazySlot(IDsByVersion([:]))

    /// A: the version of the last entry that counts.
    public var lastCounted: EntryVerdict? { entries.last(where: \.counts) }
}

/// The verdicts on an agreement's activation entries, in log order. Read from the ledger cache,
/// all but the last few stay bytes until one of them is asked for: `status` over agreements
/// with long histories reads only the entries at the end of each log.
public struct EntryList: RandomAccessCollection, MutableCollection, Sendable, Equatable {
    /// How many entries at the end the cache keeps ready to read.
    static let eager = 4
    /// Entries `0..<headCount`, possibly still the cache's bytes.
    private var head: LazySlot<EntryBlock>?
    private var headCount = 0
    private var tail: [EntryVerdict]

    public init(_ entries: [EntryVerdict] = []) { tail = entries }

    public var startIndex: Int { 0 }
    public var endIndex: Int { headCount + tail.count }

    public subscript(position: Int) -> EntryVerdict {
        get {
            if position >= headCount { return tail[position - headCount] }
            let block = head?.value.entries ?? []
            // Bytes that passed the checksum but do not decode: entries that do not count.
            guard block.count == headCount else { return .unreadable(index: position + 1) }
            return block[position]
        }
        set {
            materialize()
            tail[position] = newValue
        }
    }

    public mutating func append(_ verdict: EntryVerdict) { tail.append(verdict) }

    private mutating func materialize() {
        guard headCount > 0 else { return }
        tail = Array(self)
        head = nil
        headCount = 0
    }

    public static func == (a: EntryList, b: EntryList) -> Bool {
        guard a.count == b.count else { return false }
        if a.headCount == b.headCount, let x = a.head, let y = b.head, x == y { return a.tail == b.tail }
        return a.elementsEqual(b)
    }

    /// In the cache: the number of entries before the last `eager`, their bytes, then the last
    /// ones (the bytes as read are written back unchanged where the split is the same).
    func write(to w: inout CacheWriter) {
        let split = count - Swift.min(count, Self.eager)
        w.int(split)
        if let head, headCount == split {
            w.bytes(head.encoded)
        } else {
            w.bytes(EntryBlock(entries: Array(self[..<split])).cacheBytes)
        }
        w.list(Array(self[split...])) { $1.write(to: &$0) }
    }

    static func read(from r: inout CacheReader) -> EntryList? {
        guard let split = r.int(), split >= 0, let raw = r.bytes(), let tail = r.list({ EntryVerdict.read(from: &$0) }) else {
            return nil
        }
        var list = EntryList(tail)
        if split > 0 {
            list.head = LazySlot(raw: raw)
            list.headCount = split
        }
        return list
    }
}

/// Object ids by version number, as one value of the cache.
struct IDsByVersion: CacheDecodable {
    var ids: [Int: ObjectID]

    init(_ ids: [Int: ObjectID]) { self.ids = ids }

    // Bytes that passed the checksum but do not decode: none known (each is then read from git).
    static var undecodable: IDsByVersion { IDsByVersion([:]) }

    func write(to w: inout CacheWriter) { w.map(ids, { $0.int($1) }, { $0.id($1) }) }

    static func read(from r: inout CacheReader) -> IDsByVersion? { r.map({ $0.int() }, { $0.id() }).map(IDsByVersion.init) }
}

/// Entries kept as one block of the cache.
struct EntryBlock: CacheDecodable {
    var entries: [EntryVerdict]

    static var undecodable: EntryBlock { EntryBlock(entries: []) }

    func write(to w: inout CacheWriter) { w.list(entries) { $1.write(to: &$0) } }

    static func read(from r: inout CacheReader) -> EntryBlock? {
        r.list { EntryVerdict.read(from: &$0) }.map(EntryBlock.init)
    }
}

extension EntryVerdict {
    /// What stands for an entry the ledger cache holds but cannot give back: it does not count.
    static func unreadable(index: Int) -> EntryVerdict {
        EntryVerdict(
            entry: ActivationEntry(version: 0, sha256: "", activatedAt: LocalDate(dayNumber: 0), activatedBy: "", line: 0),
            index: index, commit: ObjectID(rawBytes: ArraySlice(repeating: 0, count: 20))!,
            problem: "the ledger cache could not be read; delete \(LedgerCache.path) and run the command again")
    }
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
