import Foundation
import GitKit

/// The ledger state at one commit, kept under `.git/sla/` so the next command checks only the
/// commits made since. Keyed by commit id and `Ledger.rulesVersion`; written atomically
/// (temporary file, then rename); a missing, damaged or foreign cache is ignored and rebuilt.
/// Deleting it changes nothing but time, and `verify` never reads it.
///
/// The file: a JSON header line, then per agreement its id, state and events in the binary
/// form of `CacheCoding` (each length-prefixed). Each agreement is decoded only when a command
/// asks for it. The header carries a checksum (`checksum`) of the bytes after it, so a
/// damaged file is never half-read; it guards against damage, not against someone who can
/// write to `.git/` (who could rewrite the history itself).
struct LedgerCache {
    struct Snapshot {
        let commit: ObjectID
        let state: LedgerState
        let events: LazyMap<[FileEvent]>
    }

    private struct Header: Codable {
        let format: String
        let rules: Int
        let commit: ObjectID
        let agreementsTree: ObjectID?
        let checksum: String
    }

    static let format = "sla-ledger-cache/7"
    /// Where it lives, as messages name it.
    static let path = ".git/sla/ledger.cache"
    let file: URL

    init(directory gitDirectory: String) {
        file = URL(fileURLWithPath: gitDirectory).appendingPathComponent("sla/ledger.cache")
    }

    func load() -> Snapshot? {
        guard let data = try? Data(contentsOf: file, options: .alwaysMapped), let newline = data.firstIndex(of: 0x0A),
            let header = try? JSONDecoder().decode(Header.self, from: data[..<newline]),
            header.format == Self.format, header.rules == Ledger.rulesVersion
        else { return nil }
        let body = data[data.index(after: newline)...]
        guard Self.checksum(body) == header.checksum else { return nil }
        guard let (states, events) = Self.records(body) else { return nil }
        var state = LedgerState()
        state.agreementsTree = header.agreementsTree
        state.agreements = LazyMap(raw: states)
        return Snapshot(commit: header.commit, state: state, events: LazyMap(raw: events))
    }

    /// Records of `ID`, `STATE` and `EVENTS`, each a varint length and its bytes; nil when the
    /// body is not exactly such records. The records are slices of `body`, not copies.
    private static func records(_ body: Data) -> (states: [String: Data], events: [String: Data])? {
        var states: [String: Data] = [:]
        var events: [String: Data] = [:]
        let base = body.startIndex
        let ranges: [Range<Int>]? = body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Range<Int>]? in
            var ranges: [Range<Int>] = []
            var offset = 0
            while offset < raw.count {
                var length = 0
                var shift = 0
                while true {
                    guard offset < raw.count, shift < 56 else { return nil }
                    let byte = raw[offset]
                    offset += 1
                    length |= Int(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { break }
                    shift += 7
                }
                guard length <= raw.count - offset else { return nil }
                ranges.append(offset..<(offset + length))
                offset += length
            }
            return ranges
        }
        guard let ranges, ranges.count % 3 == 0 else { return nil }
        for index in stride(from: 0, to: ranges.count, by: 3) {
            let id = String(decoding: body[(base + ranges[index].lowerBound)..<(base + ranges[index].upperBound)], as: UTF8.self)
            guard AgreementDecoder.isValidID(id), states[id] == nil else { return nil }
            states[id] = body[(base + ranges[index + 1].lowerBound)..<(base + ranges[index + 1].upperBound)]
            events[id] = body[(base + ranges[index + 2].lowerBound)..<(base + ranges[index + 2].upperBound)]
        }
        return (states, events)
    }

    /// Best effort: a repository we may not write to (a server's, a read-only mount) just
    /// stays uncached.
    func store(_ snapshot: Snapshot) {
        var body = CacheWriter()
        do {
            for id in Set(snapshot.state.agreements.keys).union(snapshot.events.keys).sorted() {
                body.string(id)
                body.bytes(snapshot.state.agreements.encoded(id) ?? AgreementState().cacheBytes)
                body.bytes(snapshot.events.encoded(id) ?? [FileEvent]().cacheBytes)
            }
            let header = Header(
                format: Self.format, rules: Ledger.rulesVersion, commit: snapshot.commit,
                agreementsTree: snapshot.state.agreementsTree, checksum: Self.checksum(body.bytes))
            var data = try JSONEncoder().encode(header)
            data.append(0x0A)
            data.append(contentsOf: body.bytes)
            try write(data)
        } catch {
            return
        }
    }

    /// A 64-bit checksum as hex, eight bytes at a time (FNV-1a's constants over words, then the
    /// tail byte by byte): it finds damage, it is no defence against someone who can write
    /// `.git/`, and it costs about a millisecond for the megabytes a deep history makes.
    static func checksum<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for index in 0..<words {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                hash ^= hash >> 29
            }
            for byte in raw[(words * 8)...] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return String(hash, radix: 16)
    }

    private func write(_ data: Data) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Unique per writer: the web service may write from several requests at once.
        let temporary = folder.appendingPathComponent("ledger.cache.\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
