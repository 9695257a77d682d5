import CLibGit2
import Foundation

/// A full SHA-1 object name, stored as 40 lowercase hex digits.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable, Codable {
    public let hex: String

    /// nil unless `hex` is exactly 40 hexadecimal digits (either case).
    public init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.hex = hex.lowercased()
    }

    init(_ oid: UnsafePointer<git_oid>) {
        hex = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 41) { buffer in
            String(cString: git_oid_tostr(buffer.baseAddress, 41, oid))
        }
    }

    init(_ oid: git_oid) {
        var copy = oid
        self.init(&copy)
    }

    /// The C form, for passing to libgit2.
    var oid: git_oid {
        var out = git_oid()
        // Validated on construction, so parsing cannot fail.
        _ = hex.withCString { git_oid_fromstrn(&out, $0, 40) }
        return out
    }

    public var description: String { hex }
    /// The 7-digit abbreviation git shows by default.
    public var short: String { String(hex.prefix(7)) }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

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

private extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
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
