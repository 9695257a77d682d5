import Crypto
import Foundation

/// An OpenSSH `SSHSIG` signature (Ed25519 only), as made by `ssh-keygen -Y sign`.
///
/// Blob: "SSHSIG" uint32(1) string(public key) string(namespace) string("")
///       string(hash algorithm) string(string("ssh-ed25519") string(64-byte signature)).
public struct SSHSignature: Sendable, Equatable {
    public enum HashAlgorithm: String, Sendable, Equatable, CaseIterable {
        case sha256, sha512
    }

    static let magic = Array("SSHSIG".utf8)
    static let version: UInt32 = 1
    static let label = "SSH SIGNATURE"

    public let publicKey: Ed25519PublicKey
    public let namespace: String
    public let hashAlgorithm: HashAlgorithm
    /// The raw 64-byte Ed25519 signature.
    public let signature: Data

    public init(publicKey: Ed25519PublicKey, namespace: String, hashAlgorithm: HashAlgorithm, signature: Data) throws {
        guard signature.count == 64 else {
            throw SSHKeyError(.malformedSignature, "an Ed25519 signature is 64 bytes, not \(signature.count)")
        }
        guard !namespace.isEmpty else {
            throw SSHKeyError(.malformedSignature, "the namespace must not be empty")
        }
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = Data(signature)
    }

    /// Strictly parses the armored form (`-----BEGIN SSH SIGNATURE-----` …). Never traps.
    public init(armored: String) throws {
        let bytes = try Armor.dearmor(armored, label: Self.label, what: "invalid SSH signature", code: .malformedSignature)
        try self.init(blobBytes: bytes)
    }

    /// Strictly parses the binary SSHSIG blob.
    public init(blob: Data) throws {
        try self.init(blobBytes: blob.byteArray)
    }

    init(blobBytes bytes: [UInt8]) throws {
        var r = SSHReader(bytes, code: .malformedSignature, context: "invalid SSH signature")
        guard bytes.count >= Self.magic.count, try r.readBytes(Self.magic.count, "magic") == Self.magic else {
            throw r.fail("wrong magic (not an SSHSIG blob)")
        }
        let version = try r.readUInt32("version")
        guard version == Self.version else { throw r.fail("unsupported SSHSIG version \(version)") }
        let keyBlob = try r.readString("public key")
        let key = try Ed25519PublicKey(
            wireBytes: keyBlob, context: "invalid SSH signature: public key",
            code: .malformedSignature)
        let namespace = try r.readText("namespace")
        guard !namespace.isEmpty else { throw r.fail("empty namespace") }
        let reserved = try r.readString("reserved field")
        guard reserved.isEmpty else { throw r.fail("reserved field is not empty") }
        let hashName = try r.readText("hash algorithm")
        guard let hash = HashAlgorithm(rawValue: hashName) else {
            throw SSHKeyError(
                .unsupportedHashAlgorithm,
                "invalid SSH signature: unsupported hash algorithm '\(hashName.prefix(64))' (sha256 or sha512)")
        }
        let sigBlob = try r.readString("signature")
        try r.expectEnd("the signature")
        var s = SSHReader(sigBlob, code: .malformedSignature, context: "invalid SSH signature")
        let sigTypeBytes = try s.readString("signature type")
        let sigType = String(decoding: sigTypeBytes.prefix(64), as: UTF8.self)
        guard sigTypeBytes == Array(Ed25519PublicKey.keyType.utf8) else {
            throw s.fail("signature type '\(sigType)' does not match the ssh-ed25519 key")
        }
        let raw = try s.readString("Ed25519 signature")
        guard raw.count == 64 else { throw s.fail("Ed25519 signature is \(raw.count) bytes, not 64") }
        try s.expectEnd("the Ed25519 signature")
        self.publicKey = key
        self.namespace = namespace
        self.hashAlgorithm = hash
        self.signature = Data(raw)
    }

    /// The binary SSHSIG blob.
    public var blob: Data {
        var w = SSHWriter()
        w.raw(Self.magic)
        w.uint32(Self.version)
        w.string(publicKey.wireBlob.byteArray)
        w.string(namespace)
        w.string([UInt8]())
        w.string(hashAlgorithm.rawValue)
        var sig = SSHWriter()
        sig.string(Ed25519PublicKey.keyType)
        sig.string(signature.byteArray)
        w.string(sig.bytes)
        return w.data
    }

    /// Exactly as `ssh-keygen -Y sign` writes it (70-column base64, newline after the END line).
    public var armored: String {
        Armor.armor(blob.byteArray, label: Self.label)
    }

    /// The bytes that are actually Ed25519-signed:
    /// "SSHSIG" string(namespace) string("") string(hash algorithm) string(H(message)).
    public static func signedData(message: Data, namespace: String, hashAlgorithm: HashAlgorithm = .sha512) -> Data {
        let digest: [UInt8]
        switch hashAlgorithm {
        case .sha256: digest = Array(SHA256.hash(data: message))
        case .sha512: digest = Array(SHA512.hash(data: message))
        }
        var w = SSHWriter()
        w.raw(magic)
        w.string(namespace)
        w.string([UInt8]())
        w.string(hashAlgorithm.rawValue)
        w.string(digest)
        return w.data
    }

    /// Signs `message` in process (hash sha512, like ssh-keygen). Ed25519 is deterministic, so
    /// this equals `ssh-keygen -Y sign` byte for byte (with swift-crypto's BoringSSL backend).
    public static func sign(_ message: Data, namespace: String, with key: Ed25519PrivateKey) throws -> SSHSignature {
        guard !namespace.isEmpty else {
            throw SSHKeyError(.malformedSignature, "the namespace must not be empty")
        }
        let data = signedData(message: message, namespace: namespace, hashAlgorithm: .sha512)
        let sig = try key.signature(for: data)
        return try SSHSignature(publicKey: key.publicKey, namespace: namespace, hashAlgorithm: .sha512, signature: sig)
    }

    /// Verifies in process: the namespace must equal `namespace`, and the signature must be valid
    /// for `message` under `publicKey`. Says nothing about whether `publicKey` is trusted:
    /// compare it with the expected signer (or use `verify(_:namespace:signer:)`).
    public func verify(_ message: Data, namespace expected: String) throws {
        guard namespace == expected else {
            throw SSHKeyError(.wrongNamespace, "signed for namespace '\(namespace)', expected '\(expected)'")
        }
        let data = Self.signedData(message: message, namespace: namespace, hashAlgorithm: hashAlgorithm)
        guard publicKey.isValidSignature(signature, for: data) else {
            throw SSHKeyError(
                .invalidSignature,
                "bad signature: it does not match the message for key \(publicKey.fingerprint)")
        }
    }

    /// `verify(_:namespace:)` plus a check that the signature was made by `signer`.
    public func verify(_ message: Data, namespace expected: String, signer: Ed25519PublicKey) throws {
        guard publicKey == signer else {
            throw SSHKeyError(
                .unexpectedSigner,
                "signed by key \(publicKey.fingerprint), expected \(signer.fingerprint)")
        }
        try verify(message, namespace: expected)
    }
}
