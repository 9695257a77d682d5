import Foundation
import GitKit

/// The ledger state at one commit, kept under `.git/sla/` so the next command checks only the
/// commits made since. Keyed by commit id and `Ledger.rulesVersion`; written atomically
/// (temporary file, then rename); a missing, damaged or foreign cache is ignored and rebuilt.
/// Deleting it changes nothing but time, and `verify` never reads it.
///
/// The file: a header line, then one line per agreement, `ID<TAB>STATE-JSON<TAB>EVENTS-JSON`
/// (JSON never holds a raw tab or line break). Each agreement is decoded only when a command
/// asks for it. The header carries a checksum (FNV-1a, 64 bits) of the lines after it, so a
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

    static let format = "sla-ledger-cache/2"
    let file: URL

    init(directory gitDirectory: String) {
        file = URL(fileURLWithPath: gitDirectory).appendingPathComponent("sla/ledger.cache")
    }

    func load() -> Snapshot? {
        guard let data = try? Data(contentsOf: file), let newline = data.firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: data[..<newline]),
              header.format == Self.format, header.rules == Ledger.rulesVersion else { return nil }
        let body = data[data.index(after: newline)...]
        guard Self.checksum(body) == header.checksum else { return nil }
        guard let (states, events) = Self.lines(body) else { return nil }
        var state = LedgerState()
        state.agreementsTree = header.agreementsTree
        state.agreements = LazyMap(raw: states)
        return Snapshot(commit: header.commit, state: state, events: LazyMap(raw: events))
    }

    /// `ID<TAB>STATE<TAB>EVENTS` lines, found with memchr: the body is megabytes, and a
    /// byte-by-byte split costs more than the rest of a command.
    private static func lines(_ body: Data) -> (states: [String: Data], events: [String: Data])? {
        var states: [String: Data] = [:], events: [String: Data] = [:]
        let ok: Bool = body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            guard let base = raw.baseAddress else { return true }
            var start = 0
            let count = raw.count
            func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
                guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
                return base.distance(to: UnsafeRawPointer(hit))
            }
            while start < count {
                let end = find(0x0A, from: start, to: count) ?? count
                guard let tab1 = find(0x09, from: start, to: end), let tab2 = find(0x09, from: tab1 + 1, to: end) else { return false }
                let id = String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<tab1]), as: UTF8.self)
                guard AgreementDecoder.isValidID(id) else { return false }
                states[id] = Data(raw[(tab1 + 1)..<tab2])
                events[id] = Data(raw[(tab2 + 1)..<end])
                start = end + 1
            }
            return true
        }
        return ok ? (states, events) : nil
    }

    /// Best effort: a repository we may not write to (a server's, a read-only mount) just
    /// stays uncached.
    func store(_ snapshot: Snapshot) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body: [UInt8] = []
        do {
            let ids = Set(snapshot.state.agreements.keys).union(snapshot.events.keys).sorted()
            var parts: [(String, Data, Data)] = []
            var size = 0
            for id in ids {
                let state = try snapshot.state.agreements.encoded(id, encoder) ?? encoder.encode(AgreementState())
                let events = try snapshot.events.encoded(id, encoder) ?? encoder.encode([FileEvent]())
                parts.append((id, state, events))
                size += id.utf8.count + state.count + events.count + 3
            }
            body.reserveCapacity(size)
            for (id, state, events) in parts {
                body.append(contentsOf: id.utf8)
                body.append(0x09)
                body.append(contentsOf: state)
                body.append(0x09)
                body.append(contentsOf: events)
                body.append(0x0A)
            }
            let header = Header(format: Self.format, rules: Ledger.rulesVersion, commit: snapshot.commit,
                                agreementsTree: snapshot.state.agreementsTree, checksum: Self.checksum(body))
            var data = try encoder.encode(header)
            data.append(0x0A)
            data.append(contentsOf: body)
            try write(data)
        } catch {
            return
        }
    }

    /// FNV-1a, 64 bits, as hex: cheap enough for megabytes on every command.
    static func checksum<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            for byte in raw {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return String(hash, radix: 16)
    }

    private func write(_ data: Data) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent("ledger.cache.\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
