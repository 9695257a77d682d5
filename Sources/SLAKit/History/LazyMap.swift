import Foundation

/// A value that can stand in for one the cache could not decode: it must fail closed.
protocol CacheDecodable: CacheCodable, Equatable, Sendable {
    static var undecodable: Self { get }
}

/// A value that may still be the bytes the ledger cache holds, decoded on first use. A slot
/// never changes what it means, so copies may share it and value semantics hold.
final class LazySlot<Value: CacheDecodable>: @unchecked Sendable {
    private let lock = NSLock()
    private var decoded: Value?
    let raw: Data?

    init(_ value: Value) {
        decoded = value
        raw = nil
    }

    init(raw: Data) { self.raw = raw }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let decoded { return decoded }
        // Bytes that passed the cache's checksum but do not decode: the stand-in fails closed.
        let value = Value(cacheBytes: raw ?? Data()) ?? Value.undecodable
        decoded = value
        return value
    }

    /// The bytes, as read from the cache or encoded now.
    var encoded: Data { raw ?? value.cacheBytes }

    /// Equal without decoding where the same slot or the same bytes answer.
    static func same(_ a: LazySlot, _ b: LazySlot) -> Bool {
        if a === b { return true }
        if let x = a.raw, let y = b.raw, x == y { return true }
        return a.value == b.value
    }
}

extension LazySlot: Equatable {
    static func == (a: LazySlot, b: LazySlot) -> Bool { same(a, b) }
}

/// A dictionary by agreement id whose values may still be the bytes the cache holds, decoded
/// on first use: a command that reads one agreement decodes one.
struct LazyMap<Value: CacheDecodable>: Sendable, Equatable {
    private var slots: [String: LazySlot<Value>] = [:]

    init() {}

    init(raw: [String: Data]) {
        slots = raw.mapValues(LazySlot.init(raw:))
    }

    subscript(key: String) -> Value? {
        get { slots[key]?.value }
        set { slots[key] = newValue.map(LazySlot.init) }
    }

    subscript(key: String, default fallback: @autoclosure () -> Value) -> Value {
        get { slots[key]?.value ?? fallback() }
        set { slots[key] = LazySlot(newValue) }
    }

    var keys: [String] { Array(slots.keys) }

    /// Every value (decoding all).
    var values: [(key: String, value: Value)] { slots.map { ($0.key, $0.value.value) } }

    func encoded(_ key: String) -> Data? { slots[key]?.encoded }

    static func == (a: LazyMap, b: LazyMap) -> Bool {
        guard a.slots.count == b.slots.count else { return false }
        for (key, slot) in a.slots {
            guard let other = b.slots[key], slot == other else { return false }
        }
        return true
    }
}

extension AgreementState: CacheDecodable {
    /// Fails closed: an agreement whose cached state cannot be read is faulted until a command
    /// rebuilds the cache (`sla verify` never reads it).
    static var undecodable: AgreementState {
        var state = AgreementState()
        state.faults = [
            Fault(
                agreement: "", rule: .activationLog, path: LedgerCache.path, commit: nil,
                message: "the ledger cache could not be read; delete \(LedgerCache.path) and run the command again")
        ]
        return state
    }
}

extension Array: CacheDecodable where Element == FileEvent {
    static var undecodable: [FileEvent] { [] }
}
