import Foundation
import SLALimits

/// Reads the SSH wire format (RFC 4251): uint32 big-endian, string = uint32 length + bytes.
/// Never traps: every read is bounds-checked and throws `SSHKeyError(code, …)`.
struct SSHReader {
    private let bytes: [UInt8]
    private(set) var offset: Int = 0
    let code: SSHKeyError.Code
    let context: String

    init(_ bytes: [UInt8], code: SSHKeyError.Code, context: String) {
        self.bytes = bytes
        self.code = code
        self.context = context
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    func fail(_ what: String) -> SSHKeyError {
        SSHKeyError(code, "\(context): \(what)")
    }

    mutating func readBytes(_ n: Int, _ what: String) throws -> [UInt8] {
        guard n >= 0, n <= remaining else {
            throw fail("truncated \(what) (needs \(n) bytes, \(remaining) left)")
        }
        let out = Array(bytes[offset..<(offset + n)])
        offset += n
        return out
    }

    mutating func readUInt32(_ what: String) throws -> UInt32 {
        let b = try readBytes(4, what)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    mutating func readString(_ what: String) throws -> [UInt8] {
        guard remaining >= 4 else {
            throw fail("truncated \(what) (needs a 4-byte length, \(remaining) left)")
        }
        let length = try readUInt32("length of \(what)")
        guard Int(length) <= remaining else {
            throw fail("\(what) claims \(length) bytes but only \(remaining) are left")
        }
        return try readBytes(Int(length), what)
    }

    /// A string that must be valid UTF-8 text.
    mutating func readText(_ what: String) throws -> String {
        let raw = try readString(what)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw fail("\(what) is not valid UTF-8")
        }
        return s
    }

    func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw fail("\(remaining) unexpected trailing bytes after \(what)") }
    }
}

struct SSHWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw<S: Sequence>(_ b: S) where S.Element == UInt8 { bytes.append(contentsOf: b) }

    mutating func uint32(_ v: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 24))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func string<S: Collection>(_ b: S) where S.Element == UInt8 {
        uint32(UInt32(truncatingIfNeeded: b.count))
        bytes.append(contentsOf: b)
    }

    mutating func string(_ s: String) { string(Array(s.utf8)) }

    var data: Data { Data(bytes) }
}

/// Strict standard base64 (RFC 4648 §4): alphabet A–Z a–z 0–9 + /, mandatory `=` padding,
/// length a multiple of 4, no whitespace, unused bits zero (so every blob has one encoding).
enum StrictBase64 {
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    /// Returns nil and a reason on failure.
    static func decode(_ text: Substring.UTF8View) -> Result<[UInt8], Failure> {
        if let result = text.withContiguousStorageIfAvailable({ decode(bytes: UnsafeRawBufferPointer($0)) }) { return result }
        return Array(text).withUnsafeBytes { decode(bytes: $0) }
    }

    /// The same, over bytes: one pass, no allocation but the output.
    static func decode(bytes chars: UnsafeRawBufferPointer) -> Result<[UInt8], Failure> {
        if chars.isEmpty { return .failure(Failure("base64 data is empty")) }
        guard chars.count % 4 == 0 else {
            return .failure(Failure("base64 length \(chars.count) is not a multiple of 4 (truncated?)"))
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            var n = 0
            var pad = 0
            var third = 0
            var second = 0
            for j in 0..<4 {
                let c = chars[i + j]
                var value = 0
                if c == UInt8(ascii: "=") {
                    guard isLast, j >= 2 else {
                        return .failure(Failure("misplaced '=' in base64 data"))
                    }
                    pad += 1
                } else {
                    guard pad == 0 else { return .failure(Failure("misplaced '=' in base64 data")) }
                    let v = table[Int(c)]
                    guard v >= 0 else {
                        let shown = (c >= 0x21 && c < 0x7f) ? "'\(Character(UnicodeScalar(c)))'" : String(format: "0x%02x", c)
                        return .failure(Failure("invalid base64 character \(shown)"))
                    }
                    value = Int(v)
                }
                if j == 1 { second = value }
                if j == 2 { third = value }
                n = n << 6 | value
            }
            out.append(UInt8((n >> 16) & 0xff))
            if pad < 2 { out.append(UInt8((n >> 8) & 0xff)) }
            if pad < 1 { out.append(UInt8(n & 0xff)) }
            if (pad == 1 && third & 0x3 != 0) || (pad == 2 && second & 0xf != 0) {
                return .failure(Failure("non-canonical base64 padding"))
            }
            i += 4
        }
        return .success(out)
    }

    static func decode(_ text: String) -> Result<[UInt8], Failure> {
        decode(Substring(text).utf8)
    }

    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        Data(bytes).base64EncodedString()
    }

    struct Failure: Error {
        let reason: String
        init(_ r: String) { reason = r }
    }
}

/// PEM-like armor as written by OpenSSH (`-----BEGIN X-----`, base64 wrapped at 70 columns).
enum Armor {
    static let maxInputBytes = Limits.keyFileBytes
    static let maxLineLength = Limits.armorLineLength
    static let wrapColumn = 70

    static func begin(_ label: String) -> String { "-----BEGIN \(label)-----" }
    static func end(_ label: String) -> String { "-----END \(label)-----" }

    /// Exactly like OpenSSH's sshsig_armor / private key writer: BEGIN line, base64 in
    /// 70-column lines, END line, trailing newline.
    static func armor(_ bytes: [UInt8], label: String) -> String {
        let b64 = Array(StrictBase64.encode(bytes).utf8)
        var out = begin(label) + "\n"
        var i = 0
        while i < b64.count {
            let j = min(i + wrapColumn, b64.count)
            out += String(decoding: b64[i..<j], as: UTF8.self)
            out += "\n"
            i = j
        }
        out += end(label) + "\n"
        return out
    }

    /// Strict dearmoring: optional blank lines around, BEGIN line, non-empty base64 lines of at
    /// most `maxLineLength` characters, END line. CRLF line ends and trailing spaces are tolerated.
    static func dearmor(_ text: String, label: String, what: String, code: SSHKeyError.Code) throws -> [UInt8] {
        func fail(_ m: String) -> SSHKeyError { SSHKeyError(code, "\(what): \(m)") }
        guard text.utf8.count <= maxInputBytes else {
            throw fail("input is too large (\(text.utf8.count) bytes, at most \(Limits.describe(bytes: maxInputBytes)))")
        }
        var text = text
        return try text.withUTF8 { utf8 in
            // Lines split at LF (a CR before it, and trailing spaces and tabs, are dropped: LF never
            // joins a grapheme, so this is the split by characters, done on bytes).
            var lines: [Range<Int>] = []
            var start = 0
            for index in 0...utf8.count where index == utf8.count || utf8[index] == UInt8(ascii: "\n") {
                var end = index
                while end > start,
                    utf8[end - 1] == UInt8(ascii: " ") || utf8[end - 1] == UInt8(ascii: "\t") || utf8[end - 1] == UInt8(ascii: "\r")
                {
                    end -= 1
                }
                lines.append(start..<end)
                start = index + 1
            }
            func equals(_ line: Range<Int>, _ expected: String) -> Bool {
                line.count == expected.utf8.count && zip(utf8[line], expected.utf8).allSatisfy { $0 == $1 }
            }
            while let first = lines.first, first.isEmpty { lines.removeFirst() }
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            guard let first = lines.first, equals(first, begin(label)) else {
                throw fail("missing '\(begin(label))' line")
            }
            guard lines.count >= 2, equals(lines[lines.count - 1], end(label)) else {
                if lines.contains(where: { equals($0, end(label)) }) {
                    throw fail("unexpected text after '\(end(label))'")
                }
                throw fail("missing '\(end(label))' line (truncated?)")
            }
            let body = lines[1..<(lines.count - 1)]
            guard !body.isEmpty else { throw fail("no data between the BEGIN and END lines") }
            var joined: [UInt8] = []
            joined.reserveCapacity(utf8.count)
            for (n, line) in body.enumerated() {
                guard !line.isEmpty else { throw fail("unexpected empty line \(n + 2)") }
                guard line.count <= maxLineLength else {
                    throw fail("line \(n + 2) is too long (\(line.count) characters, at most \(maxLineLength))")
                }
                joined.append(contentsOf: utf8[line])
            }
            switch joined.withUnsafeBytes({ StrictBase64.decode(bytes: $0) }) {
            case .success(let bytes): return bytes
            case .failure(let f): throw fail(f.reason)
            }
        }
    }
}

extension Data {
    var byteArray: [UInt8] { [UInt8](self) }
}

extension Sequence where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
