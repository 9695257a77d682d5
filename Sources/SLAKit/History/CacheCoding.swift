import Foundation
import GitKit

/// The ledger cache's own compact binary form of the per-agreement states and events.
/// JSON through Foundation cost more than everything else `sla status` does over 200
/// agreements (measured: 35 % of its time); this costs a few microseconds an agreement.
///
/// Unsigned integers are LEB128 varints, strings a length and UTF-8, object ids 20 raw bytes,
/// optionals a 0/1 byte, lists and maps a count. A reader checks every length against the
/// bytes left and fails (nil) on anything malformed; the caller then fails closed.
struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        var v = UInt64(bitPattern: Int64(value))  // negative numbers never occur; they just take 10 bytes
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func id(_ value: ObjectID) { value.append(to: &bytes) }

    mutating func bytes(_ value: Data) {
        int(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout CacheWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    mutating func list<T>(_ values: [T], _ write: (inout CacheWriter, T) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }

    /// Keys in order, so the same state always gives the same bytes.
    mutating func map<K: Comparable, V>(_ values: [K: V], _ key: (inout CacheWriter, K) -> Void, _ value: (inout CacheWriter, V) -> Void) {
        int(values.count)
        for k in values.keys.sorted() {
            key(&self, k)
            value(&self, values[k]!)
        }
    }

    mutating func date(_ value: LocalDate) { int(value.dayNumber) }
}

/// Reads the bytes in place (`read`): nothing is copied but the values made, and `bytes()`
/// gives slices that share the source's storage (a mapped cache file stays mapped).
struct CacheReader {
    private let buffer: UnsafeRawBufferPointer
    private let source: Data
    private var offset = 0

    private init(_ buffer: UnsafeRawBufferPointer, source: Data) {
        self.buffer = buffer
        self.source = source
    }

    /// Runs `body` with a reader over `data`; the reader must not outlive it.
    static func read<T>(_ data: Data, _ body: (inout CacheReader) -> T?) -> T? {
        data.withUnsafeBytes { raw in
            var reader = CacheReader(raw, source: data)
            return body(&reader)
        }
    }

    var isAtEnd: Bool { offset == buffer.count }

    mutating func int() -> Int? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count, shift < 64 {
            let byte = buffer[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Int(truncatingIfNeeded: Int64(bitPattern: result)) }
            shift += 7
        }
        return nil
    }

    /// A count or length: never more than the bytes left (each element takes at least one).
    mutating func count() -> Int? {
        guard let n = int(), n >= 0, n <= buffer.count - offset else { return nil }
        return n
    }

    mutating func bool() -> Bool? {
        guard offset < buffer.count, buffer[offset] <= 1 else { return nil }
        offset += 1
        return buffer[offset - 1] == 1
    }

    mutating func string() -> String? {
        guard let n = count() else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + n)])
        offset += n
        // ASCII, nearly always: no validation needed (validating costs more than the rest).
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        return String(validating: slice, as: UTF8.self)
    }

    mutating func bytes() -> Data? {
        guard let n = count() else { return nil }
        offset += n
        let start = source.startIndex + offset - n
        return source[start..<(start + n)]
    }

    mutating func id() -> ObjectID? {
        guard buffer.count - offset >= 20 else { return nil }
        offset += 20
        return ObjectID(rawBytes: UnsafeRawBufferPointer(rebasing: buffer[(offset - 20)..<offset]))
    }

    /// `.some(nil)` for an absent value, nil when malformed.
    mutating func optional<T>(_ read: (inout CacheReader) -> T?) -> T?? {
        guard let present = bool() else { return nil }
        guard present else { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    mutating func list<T>(_ read: (inout CacheReader) -> T?) -> [T]? {
        guard let n = count() else { return nil }
        var values: [T] = []
        values.reserveCapacity(n)
        for _ in 0..<n {
            guard let value = read(&self) else { return nil }
            values.append(value)
        }
        return values
    }

    mutating func map<K: Hashable, V>(_ key: (inout CacheReader) -> K?, _ value: (inout CacheReader) -> V?) -> [K: V]? {
        guard let n = count() else { return nil }
        var values: [K: V] = [:]
        values.reserveCapacity(n)
        for _ in 0..<n {
            guard let k = key(&self), let v = value(&self), values.updateValue(v, forKey: k) == nil else { return nil }
        }
        return values
    }

    mutating func date() -> LocalDate? {
        guard let n = int(), (-719_468...2_932_896).contains(n) else { return nil }  // 0000-03-01 … 9999-12-31
        let date = LocalDate(dayNumber: n)
        return LocalDate(year: date.year, month: date.month, day: date.day)
    }
}

/// A value the ledger cache stores in its binary form.
protocol CacheCodable {
    func write(to writer: inout CacheWriter)
    static func read(from reader: inout CacheReader) -> Self?
}

extension CacheCodable {
    var cacheBytes: Data {
        var writer = CacheWriter()
        write(to: &writer)
        return Data(writer.bytes)
    }

    /// Nil unless `data` is exactly one value.
    init?(cacheBytes data: Data) {
        guard let value = CacheReader.read(data, { reader in Self.read(from: &reader).flatMap { reader.isAtEnd ? $0 : nil } })
        else { return nil }
        self = value
    }
}

extension AgreementFiles: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.optional(folder) { $0.id($1) }
        w.optional(draft) { $0.id($1) }
        w.optional(activations) { $0.id($1) }
        w.map(versions, { $0.int($1) }, { $0.id($1) })
        w.bytes(signatureMap.encoded)
        w.map(
            strays, { $0.string($1) },
            { w, stray in
                w.id(stray.id)
                w.string(stray.what)
            })
        w.optional(versionsTree) { $0.id($1) }
        w.optional(signaturesTree) { $0.id($1) }
        w.bytes(signatureTreeSlot.encoded)
    }

    static func read(from r: inout CacheReader) -> AgreementFiles? {
        var files = AgreementFiles()
        guard let folder = r.optional({ $0.id() }), let draft = r.optional({ $0.id() }), let activations = r.optional({ $0.id() }),
            let versions = r.map({ $0.int() }, { $0.id() }),
            let signatures = r.bytes(),
            let strays = r.map(
                { $0.string() },
                { r -> Stray? in
                    guard let id = r.id(), let what = r.string() else { return nil }
                    return Stray(id: id, what: what)
                }),
            let versionsTree = r.optional({ $0.id() }), let signaturesTree = r.optional({ $0.id() }),
            let signatureTrees = r.bytes()
        else { return nil }
        files.folder = folder
        files.draft = draft
        files.activations = activations
        files.versions = versions
        files.signatureMap = LazySlot(raw: signatures)
        files.strays = strays
        files.versionsTree = versionsTree
        files.signaturesTree = signaturesTree
        files.signatureTreeSlot = LazySlot(raw: signatureTrees)
        return files
    }
}

extension SignatureListing: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.map(self, { $0.int($1) }, { $0.map($1, { $0.string($1) }, { $0.id($1) }) })
    }

    static func read(from r: inout CacheReader) -> SignatureListing? {
        r.map({ $0.int() }, { $0.map({ $0.string() }, { $0.id() }) })
    }
}

extension Validity: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.date(effectiveFrom)
        w.int(renewalsPerYear)
        w.string(reviewer)
        w.list(remindDaysBefore) { $0.int($1) }
    }

    static func read(from r: inout CacheReader) -> Validity? {
        guard let from = r.date(), let renewals = r.int(), (1...12).contains(renewals), 12 % renewals == 0,
            let reviewer = r.string(), let remind = r.list({ $0.int() })
        else { return nil }
        return Validity(effectiveFrom: from, renewalsPerYear: renewals, reviewer: reviewer, remindDaysBefore: remind)
    }
}

extension EntryVerdict: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.int(entry.version)
        w.string(entry.sha256)
        w.date(entry.activatedAt)
        w.string(entry.activatedBy)
        w.int(entry.line)
        w.int(index)
        w.id(commit)
        w.optional(problem) { $0.string($1) }
        w.optional(validity) { $1.write(to: &$0) }
    }

    static func read(from r: inout CacheReader) -> EntryVerdict? {
        guard let version = r.int(), let sha256 = r.string(), let at = r.date(), let by = r.string(), let line = r.int(),
            let index = r.int(), let commit = r.id(), let problem = r.optional({ $0.string() }),
            let validity = r.optional({ Validity.read(from: &$0) })
        else { return nil }
        var verdict = EntryVerdict(
            entry: ActivationEntry(version: version, sha256: sha256, activatedAt: at, activatedBy: by, line: line),
            index: index, commit: commit, problem: problem)
        verdict.validity = validity
        return verdict
    }
}

extension Fault: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.string(agreement)
        w.string(rule.rawValue)
        w.string(path)
        w.optional(commit) { $0.id($1) }
        w.string(message)
    }

    static func read(from r: inout CacheReader) -> Fault? {
        guard let agreement = r.string(), let rule = r.string().flatMap(Rule.init(rawValue:)), let path = r.string(),
            let commit = r.optional({ $0.id() }), let message = r.string()
        else { return nil }
        return Fault(agreement: agreement, rule: rule, path: path, commit: commit, message: message)
    }
}

extension AgreementState: CacheCodable {
    func write(to w: inout CacheWriter) {
        files.write(to: &w)
        entries.write(to: &w)
        w.list(faults) { $1.write(to: &$0) }
        w.bytes(versionCommitSlot.encoded)
    }

    static func read(from r: inout CacheReader) -> AgreementState? {
        guard let files = AgreementFiles.read(from: &r), let entries = EntryList.read(from: &r),
            let faults = r.list({ Fault.read(from: &$0) }), let commits = r.bytes()
        else { return nil }
        var state = AgreementState(files: files, entries: entries, faults: faults)
        state.versionCommitSlot = LazySlot(raw: commits)
        return state
    }
}

extension FileEvent: CacheCodable {
    func write(to w: inout CacheWriter) {
        w.id(commit)
        w.string(path)
        w.string(kind.rawValue)
        w.optional(blob) { $0.id($1) }
    }

    static func read(from r: inout CacheReader) -> FileEvent? {
        guard let commit = r.id(), let path = r.string(), let kind = r.string().flatMap(Kind.init(rawValue:)),
            let blob = r.optional({ $0.id() })
        else { return nil }
        return FileEvent(commit: commit, path: path, kind: kind, blob: blob)
    }
}

extension Array: CacheCodable where Element == FileEvent {
    func write(to w: inout CacheWriter) { w.list(self) { $1.write(to: &$0) } }
    static func read(from r: inout CacheReader) -> [FileEvent]? { r.list { FileEvent.read(from: &$0) } }
}
