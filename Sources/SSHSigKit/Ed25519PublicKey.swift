import Crypto
import Foundation

/// An Ed25519 public key as raw bytes (Sendable; Crypto keys are created only on use).
public struct Ed25519PublicKey: Hashable, Sendable, CustomStringConvertible {
    public static let keyType = "ssh-ed25519"

    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: Data

    public init(rawRepresentation: Data) throws {
        guard rawRepresentation.count == 32 else {
            throw SSHKeyError(
                .malformedPublicKey,
                "an Ed25519 public key is 32 bytes, not \(rawRepresentation.count)")
        }
        self.rawRepresentation = Data(rawRepresentation)
    }

    /// Parses the SSH wire blob `string("ssh-ed25519") + string(32 bytes)`.
    public init(wireBlob: Data) throws {
        try self.init(wireBytes: wireBlob.byteArray, context: "invalid public key blob")
    }

    init(wireBytes: [UInt8], context: String, code: SSHKeyError.Code = .malformedPublicKey) throws {
        var r = SSHReader(wireBytes, code: code, context: context)
        let typeBytes = try r.readString("key type")
        guard let type = String(validating: typeBytes, as: UTF8.self) else {
            throw r.fail("key type is not text")
        }
        guard type == Self.keyType else {
            if SSHKeyError.knownKeyTypes.contains(type) { throw SSHKeyError.unsupportedType(type) }
            throw r.fail("unknown key type '\(type.prefix(64))'")
        }
        let raw = try r.readString("Ed25519 public key")
        guard raw.count == 32 else { throw r.fail("Ed25519 public key is \(raw.count) bytes, not 32") }
        try r.expectEnd("the Ed25519 public key")
        self.rawRepresentation = Data(raw)
    }

    /// Parses an OpenSSH public key line: `ssh-ed25519 AAAA… [comment]`.
    /// Other key types, security keys and certificates are rejected with clear errors.
    public init(openSSHLine: String) throws {
        func fail(_ m: String) -> SSHKeyError { SSHKeyError(.malformedPublicKey, "not an OpenSSH public key line: \(m)") }
        guard openSSHLine.utf8.count <= 16 * 1024 else { throw fail("too long") }
        let fields = try Self.fields(of: openSSHLine, fail)
        let type = String(fields[0])
        if type.hasPrefix("-----BEGIN") {
            throw fail("this looks like a private key, not a public key line")
        }
        guard type == Self.keyType else {
            if SSHKeyError.knownKeyTypes.contains(type) { throw SSHKeyError.unsupportedType(type) }
            throw fail("unknown key type '\(type.prefix(64))'")
        }
        guard fields.count >= 2 else { throw fail("missing the base64 key after '\(type)'") }
        let blob: [UInt8]
        switch StrictBase64.decode(fields[1].utf8) {
        case .success(let b): blob = b
        case .failure(let f): throw fail(f.reason)
        }
        var r = SSHReader(blob, code: .malformedPublicKey, context: "not an OpenSSH public key line")
        let inner = try r.readString("key type")
        guard inner == Array(type.utf8) else {
            let shown = String(decoding: inner.prefix(64), as: UTF8.self)
            throw fail("the line says '\(type)' but the encoded key is '\(shown)'")
        }
        try self.init(wireBytes: blob, context: "not an OpenSSH public key line")
    }

    /// The line's fields (type, base64, comment), trimmed of white space around.
    private static func fields(of line: String, _ fail: (String) -> SSHKeyError) throws -> [Substring] {
        // An ASCII line (every key line sla writes) is split on bytes: there a character is a
        // byte, and the CR LF pair, the one exception, is refused as a line break either way.
        if line.utf8.allSatisfy({ $0 < 0x80 }) {
            let isSpace = { (b: UInt8) in b == 0x20 || (0x09...0x0D).contains(b) }
            let bytes = line.utf8
            guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
                throw fail("empty")
            }
            let trimmed = bytes[first...last]
            guard !trimmed.contains(where: { (0x0A...0x0D).contains($0) }) else { throw fail("expected a single line") }
            return trimmed.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == 0x20 || $0 == 0x09 })
                .map { Substring($0) }
        }
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw fail("empty") }
        guard !trimmed.contains(where: { $0.isNewline }) else { throw fail("expected a single line") }
        return trimmed.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// `string("ssh-ed25519") + string(raw)`.
    public var wireBlob: Data {
        var w = SSHWriter()
        w.string(Self.keyType)
        w.string(rawRepresentation.byteArray)
        return w.data
    }

    /// `ssh-ed25519 BASE64`, without comment.
    public var openSSHLine: String {
        "\(Self.keyType) \(wireBlob.base64EncodedString())"
    }

    /// `SHA256:…` exactly as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        var b64 = Data(SHA256.hash(data: wireBlob)).base64EncodedString()
        while b64.hasSuffix("=") { b64.removeLast() }
        return "SHA256:" + b64
    }

    /// The first 16 lowercase hex digits of SHA256(wireBlob).
    public var shortFingerprintHex: String {
        String(Array(SHA256.hash(data: wireBlob)).prefix(8).hex)
    }

    public var description: String { openSSHLine }

    /// Whether `signature` is a valid Ed25519 signature of `data` under this key.
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        guard signature.count == 64,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
        else { return false }
        return key.isValidSignature(signature, for: data)
    }
}
