import CLibGit2
import Foundation

/// A full SHA-1 object name: 20 bytes, kept as three integers so that comparing and hashing
/// ids (the ledger does little else) costs no string work; `hex` spells it out.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable, Codable {
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// nil unless `hex` is exactly 40 hexadecimal digits (either case).
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let hi = Self.nibble(digits[2 * index]), let lo = Self.nibble(digits[2 * index + 1]) else { return nil }
            bytes[index] = hi << 4 | lo
        }
        self.init(bytes: bytes)
    }

    /// Git's all-zero id, which stands for "no object" (a ref created or deleted).
    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    /// The 20 raw bytes, in order (nil for any other count).
    public init?(rawBytes: ArraySlice<UInt8>) {
        guard rawBytes.count == 20 else { return nil }
        let start = rawBytes.startIndex
        func load<T: FixedWidthInteger>(_ from: Int, _ count: Int, as: T.Type) -> T {
            var value = T(0)
            for index in from..<(from + count) { value = value << 8 | T(rawBytes[start + index]) }
            return value
        }
        high = load(0, 8, as: UInt64.self)
        middle = load(8, 8, as: UInt64.self)
        low = load(16, 4, as: UInt32.self)
    }

    /// The 20 raw bytes, in order (nil for any other count), read in place.
    public init?(rawBytes: UnsafeRawBufferPointer) {
        guard rawBytes.count == 20 else { return nil }
        high = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        middle = UInt64(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = UInt32(bigEndian: rawBytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// Appends the 20 raw bytes.
    public func append(to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
    }

    private init(bytes: [UInt8]) {
        func load<T: FixedWidthInteger>(_ range: Range<Int>, as: T.Type) -> T {
            range.reduce(T(0)) { $0 << 8 | T(bytes[$1]) }
        }
        high = load(0..<8, as: UInt64.self)
        middle = load(8..<16, as: UInt64.self)
        low = load(16..<20, as: UInt32.self)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }

    init(_ oid: UnsafePointer<git_oid>) {
        self.init(bytes: withUnsafeBytes(of: oid.pointee.id) { Array($0) })
    }

    init(_ oid: git_oid) {
        var copy = oid
        self.init(&copy)
    }

    private var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(20)
        append(to: &result)
        return result
    }

    /// The C form, for passing to libgit2.
    var oid: git_oid {
        var out = git_oid()
        let bytes = self.bytes
        withUnsafeMutableBytes(of: &out.id) { raw in
            for index in 0..<20 { raw[index] = bytes[index] }
        }
        return out
    }

    /// 40 lower-case hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(40)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }
    /// The 7-digit abbreviation git shows by default.
    public var short: String { String(hex.prefix(7)) }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// Encoded as its 40 hex digits.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an object id: \(text.prefix(60))")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Who did something and when, as recorded in commits and tags.
public struct GitSignature: Sendable, Equatable {
    public var name: String
    public var email: String
    /// Only whole seconds are stored in git; sub-second parts are dropped.
    public var time: Date
    /// UTC offset in minutes (e.g. 120 for +0200).
    public var offsetMinutes: Int

    public init(name: String, email: String, time: Date, offsetMinutes: Int) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    init(_ sig: UnsafePointer<git_signature>) {
        name = String(cString: sig.pointee.name)
        email = String(cString: sig.pointee.email)
        time = Date(timeIntervalSince1970: TimeInterval(sig.pointee.when.time))
        offsetMinutes = Int(sig.pointee.when.offset)
    }

    /// A temporary libgit2 signature, valid for the duration of `body`.
    func withGitSignature<T>(_ body: (UnsafePointer<git_signature>) throws -> T) throws -> T {
        var sig: UnsafeMutablePointer<git_signature>?
        let seconds = git_time_t(time.timeIntervalSince1970.rounded(.down))
        try explaining("Invalid name or email in signature \(name) <\(email)>") {
            try check("git_signature_new") { git_signature_new(&sig, name, email, seconds, Int32(offsetMinutes)) }
        }
        defer { git_signature_free(sig) }
        return try body(sig!)
    }
}

/// A commit's metadata, copied out of libgit2.
public struct CommitInfo: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let author: GitSignature
    public let committer: GitSignature
    /// The full raw message, including a trailing newline if the commit has one.
    public let message: String

    /// The first line of the message.
    public var summary: String {
        String(message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}

/// What `Repository.commit(changes:...)` does to one path.
public enum FileWrite: Sendable {
    case write(Data)
    case delete

    public var isDelete: Bool {
        if case .delete = self { return true }
        return false
    }
}

extension ObjectID {
    /// The id git gives a blob of these bytes (`git hash-object`), without storing it.
    public static func blobID(of data: Data) -> ObjectID {
        var oid = git_oid()
        ensureLibgit2()
        _ = data.withUnsafeBytes { bytes in git_odb_hash(&oid, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }
}

/// One path of a commit's index and work-tree step: its blob before (nil: absent) and after
/// (nil: deleted).
public struct IndexUpdate: Sendable, Equatable, Codable {
    public let path: String
    public let old: ObjectID?
    public let new: ObjectID?
    public let executable: Bool

    public init(path: String, old: ObjectID?, new: ObjectID?, executable: Bool) {
        self.path = path
        self.old = old
        self.new = new
        self.executable = executable
    }
}

/// What `Repository.commit(changes:journal:)` is about to do once the commit object exists:
/// move `branch` from `parent` to `commit`, then apply `updates` to the index and work tree.
public struct CommitPlan: Sendable, Equatable, Codable {
    public let commit: ObjectID
    public let parent: ObjectID?
    public let branch: String
    public let updates: [IndexUpdate]

    public init(commit: ObjectID, parent: ObjectID?, branch: String, updates: [IndexUpdate]) {
        self.commit = commit
        self.parent = parent
        self.branch = branch
        self.updates = updates
    }
}

/// One blob path that differs between two trees.
public struct TreeChange: Sendable, Equatable {
    public enum Kind: Sendable {
        case added, deleted, modified
    }

    public let path: String
    public let kind: Kind
    /// nil for `.added`.
    public let oldID: ObjectID?
    /// nil for `.deleted`.
    public let newID: ObjectID?

    public init(path: String, kind: Kind, oldID: ObjectID?, newID: ObjectID?) {
        self.path = path
        self.kind = kind
        self.oldID = oldID
        self.newID = newID
    }
}

/// A tag reference and, for annotated tags, its tag object.
public struct TagInfo: Sendable {
    /// Without the "refs/tags/" prefix, e.g. "sla/acme/v1".
    public let name: String
    /// What the ref points at: the tag object for annotated tags, else the target itself.
    public let object: ObjectID
    /// The fully peeled target (a commit for ordinary tags).
    public let target: ObjectID
    public let isAnnotated: Bool
    /// The annotated tag's message; nil for lightweight tags.
    public let message: String?
    /// The annotated tag's tagger, when recorded; nil for lightweight tags.
    public let tagger: GitSignature?
}
