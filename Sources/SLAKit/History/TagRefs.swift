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
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanos = Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec)
            changedNanos = Int64(info.st_ctim.tv_nsec)
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
                  let cn = r.int() else { return nil }
            stamp.device = UInt64(truncatingIfNeeded: d)
            stamp.inode = UInt64(truncatingIfNeeded: i)
            (stamp.size, stamp.modified, stamp.modifiedNanos, stamp.changed, stamp.changedNanos) =
                (Int64(s), Int64(m), Int64(mn), Int64(c), Int64(cn))
            return stamp
        }
    }

    typealias Tags = [String: [(name: String, object: ObjectID)]]

    /// Every `sla/ID/…` tag by ID.
    static func all(in git: Repository, remember: Bool) throws -> Tags {
        let root = URL(fileURLWithPath: git.commonDirectory)
        let folder = root.appendingPathComponent("refs/tags/sla").path
        let record = URL(fileURLWithPath: git.gitDirectory).appendingPathComponent("sla/tags.refs")
        let packed = Stamp(root.appendingPathComponent("packed-refs").path)
        let loose = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(AgreementDecoder.isValidID)

        guard remember, let known = load(record, packed: packed) else {
            return try readAll(git, remember: remember, record: record, folder: folder, packed: packed)
        }
        // Packed refs unchanged: an id is read again only when its folder changed (or is new).
        var tags = known.packedOnly
        var stamps: [String: Stamp] = [:]
        var reread = false
        for id in loose {
            guard let stamp = Stamp("\(folder)/\(id)") else { continue }
            if let cached = known.folders[id], cached.stamp == stamp, stamp.isBefore(known.written) {
                tags[id] = cached.tags
            } else {
                tags[id] = try read(git, id: id)
                reread = true
            }
            stamps[id] = stamp
        }
        // A folder that is gone: its packed tags (if any) are already in `packedOnly` … unless
        // they were recorded under the folder; read those ids again.
        for id in known.folders.keys where stamps[id] == nil {
            tags[id] = try read(git, id: id)
            if tags[id]!.isEmpty { tags[id] = nil }
            reread = true
        }
        if reread { store(record, tags: tags, stamps: stamps, packed: packed) }
        return tags
    }

    private static func read(_ git: Repository, id: String) throws -> [(name: String, object: ObjectID)] {
        try git.tagObjects(prefix: "sla/\(id)/")
    }

    private static func readAll(_ git: Repository, remember: Bool, record: URL, folder: String, packed: Stamp?) throws -> Tags {
        var tags: Tags = [:]
        for tag in try git.tagObjects(prefix: "sla/") {
            let parts = tag.name.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, AgreementDecoder.isValidID(String(parts[1])) { tags[String(parts[1]), default: []].append(tag) }
        }
        if remember {
            var stamps: [String: Stamp] = [:]
            for id in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []) where AgreementDecoder.isValidID(id) {
                stamps[id] = Stamp("\(folder)/\(id)")
            }
            store(record, tags: tags, stamps: stamps, packed: packed)
        }
        return tags
    }

    private struct Known {
        var written: Stamp
        var folders: [String: (stamp: Stamp, tags: [(name: String, object: ObjectID)])] = [:]
        /// Ids whose tags are all packed (no loose folder).
        var packedOnly: Tags = [:]
    }

    private static let format = "sla-tag-refs/1"

    private static func load(_ record: URL, packed: Stamp?) -> Known? {
        guard let written = Stamp(record.path), let data = try? Data(contentsOf: record) else { return nil }
        var r = CacheReader(data)
        guard r.string() == format, let hasPacked = r.bool() else { return nil }
        let storedPacked = hasPacked ? Stamp.read(from: &r) : nil
        guard hasPacked == (storedPacked != nil), storedPacked == packed else { return nil }
        if let packed, !packed.isBefore(written) { return nil }
        var known = Known(written: written)
        guard let count = r.count() else { return nil }
        for _ in 0..<count {
            guard let id = r.string(), let hasFolder = r.bool() else { return nil }
            let stamp = hasFolder ? Stamp.read(from: &r) : nil
            guard !hasFolder || stamp != nil, let list = r.list({ r -> (name: String, object: ObjectID)? in
                guard let name = r.string(), let object = r.id() else { return nil }
                return (name, object)
            }) else { return nil }
            if let stamp { known.folders[id] = (stamp, list) } else { known.packedOnly[id] = list }
        }
        return r.isAtEnd ? known : nil
    }

    /// Best effort, atomic.
    private static func store(_ record: URL, tags: Tags, stamps: [String: Stamp], packed: Stamp?) {
        var w = CacheWriter()
        w.string(format)
        w.bool(packed != nil)
        packed?.write(to: &w)
        let ids = Set(tags.keys).union(stamps.keys).sorted()
        w.int(ids.count)
        for id in ids {
            w.string(id)
            w.bool(stamps[id] != nil)
            stamps[id]?.write(to: &w)
            w.list(tags[id] ?? []) { w, tag in
                w.string(tag.name)
                w.id(tag.object)
            }
        }
        try? FileManager.default.createDirectory(at: record.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(w.bytes).write(to: record, options: .atomic)
    }
}
