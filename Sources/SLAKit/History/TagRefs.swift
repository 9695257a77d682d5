import Foundation
import GitKit

/// The version tags of every agreement, read in one pass, and remembered under
/// `.git/sla/tags.refs` with the state of the folders they were read from, so the next command
/// reads again only the agreements whose tags changed. Thousands of loose tag refs cost one
/// `stat` per agreement instead of three system calls per tag.
///
/// Git changes a loose ref by writing a lock file and renaming it (and deletes by unlinking),
/// so any change to the tags of `refs/tags/sla/ID/` changes that folder's modification time;
/// `packed-refs` is compared by its own. A folder changed too close to when the record was
/// written (at or after the record's own time) is read again, as git treats racily clean
/// index entries. Like the ledger cache, this trusts whoever can write to `.git/`; `verify`
/// never uses it.
final class TagRefs {
    private struct Stamp: Equatable {
        var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = 0
        var modified: Int64 = 0, modifiedNanos: Int64 = 0, changed: Int64 = 0, changedNanos: Int64 = 0

        /// nil when there is nothing at `path`.
        init?(_ path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
                let (mtime, ctime) = (info.st_mtimespec, info.st_ctimespec)
            #else
                let (mtime, ctime) = (info.st_mtim, info.st_ctim)
            #endif
            modified = Int64(mtime.tv_sec)
            modifiedNanos = Int64(mtime.tv_nsec)
            changed = Int64(ctime.tv_sec)
            changedNanos = Int64(ctime.tv_nsec)
        }

        init() {}

        /// Whether this stamp is strictly older than `other`'s modification (or change) time.
        func isBefore(_ other: Stamp) -> Bool {
            func nanos(_ seconds: Int64, _ fraction: Int64) -> Int64 { seconds &* 1_000_000_000 &+ fraction }
            return max(nanos(modified, modifiedNanos), nanos(changed, changedNanos)) < nanos(other.modified, other.modifiedNanos)
        }

        func write(to w: inout CacheWriter) {
            for value in [device, inode] { w.int(Int(truncatingIfNeeded: value)) }
            for value in [size, modified, modifiedNanos, changed, changedNanos] { w.int(Int(value)) }
        }

        static func read(from r: inout CacheReader) -> Stamp? {
            var stamp = Stamp()
            guard let d = r.int(), let i = r.int(), let s = r.int(), let m = r.int(), let mn = r.int(), let c = r.int(),
                let cn = r.int()
            else { return nil }
            stamp.device = UInt64(truncatingIfNeeded: d)
            stamp.inode = UInt64(truncatingIfNeeded: i)
            (stamp.size, stamp.modified, stamp.modifiedNanos, stamp.changed, stamp.changedNanos) =
                (Int64(s), Int64(m), Int64(mn), Int64(c), Int64(cn))
            return stamp
        }
    }

    typealias Tag = (name: String, object: ObjectID)

    /// One agreement's tags: as read now, or the record's bytes until first asked for.
    private final class Entry {
        var stamp: Stamp?
        private var raw: Data?
        private var decoded: [Tag]?
        /// The checked commit at which rule 5 found no fault with these very tags.
        var cleanAt: ObjectID?

        init(stamp: Stamp?, tags: [Tag]) {
            self.stamp = stamp
            decoded = tags
        }

        init(stamp: Stamp?, raw: Data, cleanAt: ObjectID?) {
            self.stamp = stamp
            self.raw = raw
            self.cleanAt = cleanAt
        }

        var tags: [Tag] {
            if let decoded { return decoded }
            let list =
                CacheReader.read(raw ?? Data()) { r in
                    r.list { r -> Tag? in
                        guard let name = r.string(), let object = r.id() else { return nil }
                        return (name, object)
                    }
                } ?? []
            decoded = list
            return list
        }

        var bytes: Data {
            if let raw, decoded == nil { return raw }
            var w = CacheWriter()
            w.list(tags) { w, tag in
                w.string(tag.name)
                w.id(tag.object)
            }
            return Data(w.bytes)
        }
    }

    private var entries: [String: Entry] = [:]
    private let record: URL?
    private let packed: Stamp?
    private var changed = false

    /// The ids that have version tags.
    var ids: [String] { Array(entries.keys) }

    func tags(_ id: String) -> [Tag] { entries[id]?.tags ?? [] }

    /// Whether rule 5 already found these tags of `id` clean at `commit` (nothing read again).
    func isClean(_ id: String, at commit: ObjectID) -> Bool { entries[id]?.cleanAt == commit }

    func markClean(_ id: String, at commit: ObjectID) {
        guard let entry = entries[id], entry.cleanAt != commit else { return }
        entry.cleanAt = commit
        changed = true
    }

    /// A short digest of where the version tags stand: the stamps of `packed-refs` and of each
    /// agreement's tag folder (git renames a lock file into place or unlinks, so any tag change
    /// changes one of them). The web service puts it in its ETags: a tag moved without a
    /// commit can fault an agreement (rule 5).
    static func stateDigest(in git: Repository) -> String {
        let (packed, folders) = stamps(in: git)
        var w = CacheWriter()
        (packed ?? Stamp()).write(to: &w)
        for (id, stamp) in folders.sorted(by: { $0.key < $1.key }) {
            w.string(id)
            stamp.write(to: &w)
        }
        return String(Data(w.bytes).sha256Hex.prefix(16))
    }

    /// The stamps of `packed-refs` and of each agreement's folder under `refs/tags/sla`.
    private static func stamps(in git: Repository) -> (packed: Stamp?, folders: [String: Stamp]) {
        let root = URL(fileURLWithPath: git.commonDirectory)
        let folder = root.appendingPathComponent("refs/tags/sla").path
        var folders: [String: Stamp] = [:]
        for id in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []) where AgreementDecoder.isValidID(id) {
            folders[id] = Stamp("\(folder)/\(id)")
        }
        return (Stamp(root.appendingPathComponent("packed-refs").path), folders)
    }

    /// Every `sla/ID/…` tag by ID.
    /// - Parameter remember: use and keep `.git/sla/tags.refs` (false for `verify`).
    init(in git: Repository, remember: Bool) throws {
        record = remember ? URL(fileURLWithPath: git.gitDirectory).appendingPathComponent("sla/tags.refs") : nil
        let stamps: [String: Stamp]
        (packed, stamps) = Self.stamps(in: git)
        if let record, let known = Self.load(record, packed: packed) {
            // Packed refs unchanged: an id is read again only when its folder changed (or is new).
            for (id, entry) in known.entries {
                if let stamp = entry.stamp {
                    // Still the same folder, changed before the record was written: trusted.
                    if stamps[id] == stamp, stamp.isBefore(known.written) { entries[id] = entry }
                } else if stamps[id] == nil {
                    entries[id] = entry  // all of its tags are packed
                }
            }
            for id in Set(stamps.keys).union(known.entries.keys) where entries[id] == nil {
                let tags = try git.tagObjects(prefix: "sla/\(id)/")
                if !tags.isEmpty || stamps[id] != nil { entries[id] = Entry(stamp: stamps[id], tags: tags) }
                changed = true
            }
            return
        }
        var found: [String: [Tag]] = [:]
        for tag in try git.tagObjects(prefix: "sla/") {
            let parts = tag.name.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, AgreementDecoder.isValidID(String(parts[1])) { found[String(parts[1]), default: []].append(tag) }
        }
        for id in Set(found.keys).union(stamps.keys) { entries[id] = Entry(stamp: stamps[id], tags: found[id] ?? []) }
        changed = true
    }

    private struct Known {
        var written: Stamp
        var entries: [String: Entry] = [:]
    }

    private static let format = "sla-tag-refs/2"

    private static func load(_ record: URL, packed: Stamp?) -> Known? {
        guard let written = Stamp(record.path), let data = try? Data(contentsOf: record) else { return nil }
        return CacheReader.read(data) { r in read(&r, packed: packed, written: written) }
    }

    private static func read(_ r: inout CacheReader, packed: Stamp?, written: Stamp) -> Known? {
        guard r.string() == format, let hasPacked = r.bool() else { return nil }
        let storedPacked = hasPacked ? Stamp.read(from: &r) : nil
        guard hasPacked == (storedPacked != nil), storedPacked == packed else { return nil }
        if let packed, !packed.isBefore(written) { return nil }
        var known = Known(written: written)
        guard let count = r.count() else { return nil }
        for _ in 0..<count {
            guard let id = r.string(), let hasFolder = r.bool() else { return nil }
            let stamp = hasFolder ? Stamp.read(from: &r) : nil
            guard !hasFolder || stamp != nil, let clean = r.optional({ $0.id() }), let raw = r.bytes() else { return nil }
            known.entries[id] = Entry(stamp: stamp, raw: raw, cleanAt: clean)
        }
        return r.isAtEnd ? known : nil
    }

    /// Writes the record when something was read again or judged anew (best effort, atomic).
    func store() {
        guard changed, let record else { return }
        changed = false
        var w = CacheWriter()
        w.string(Self.format)
        w.bool(packed != nil)
        packed?.write(to: &w)
        w.int(entries.count)
        for id in entries.keys.sorted() {
            let entry = entries[id]!
            w.string(id)
            w.bool(entry.stamp != nil)
            entry.stamp?.write(to: &w)
            w.optional(entry.cleanAt) { $0.id($1) }
            w.bytes(entry.bytes)
        }
        try? FileManager.default.createDirectory(at: record.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(w.bytes).write(to: record, options: .atomic)
    }
}
