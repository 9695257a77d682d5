import Crypto
import Foundation

/// An Ed25519 private key held as its 32-byte seed (Sendable; the Crypto key is created on use).
public struct Ed25519PrivateKey: Sendable, CustomStringConvertible {
    /// The 32-byte seed (RFC 8032 private key).
    public let seed: Data
    public let publicKey: Ed25519PublicKey
    /// The comment stored in an OpenSSH private key file ("" otherwise).
    public let comment: String

    public init(seed: Data) throws {
        guard seed.count == 32 else {
            throw SSHKeyError(.malformedPrivateKey, "an Ed25519 seed is 32 bytes, not \(seed.count)")
        }
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        self.seed = Data(seed)
        self.publicKey = try Ed25519PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        self.comment = ""
    }

    private init(seed: Data, publicKey: Ed25519PublicKey, comment: String) {
        self.seed = seed
        self.publicKey = publicKey
        self.comment = comment
    }

    /// Parses an unencrypted `-----BEGIN OPENSSH PRIVATE KEY-----` (openssh-key-v1) file.
    /// Throws `SSHKeyError.passphraseProtected` for encrypted keys, a clear error for other key types.
    public init(openSSHPrivateKey pem: String) throws {
        let parsed = try OpenSSHPrivateKeyFile(pem: pem)
        guard let key = try parsed.decryptedKey() else { throw SSHKeyError.passphraseProtected }
        self = key
    }

    /// Raw Ed25519 signature (64 bytes) of `data`.
    public func signature(for data: Data) throws -> Data {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        return try key.signature(for: data)
    }

    public var description: String { "Ed25519PrivateKey(\(publicKey.fingerprint))" }

    fileprivate static func make(seed: Data, publicKey: Ed25519PublicKey, comment: String) -> Ed25519PrivateKey {
        Ed25519PrivateKey(seed: seed, publicKey: publicKey, comment: comment)
    }
}

/// The openssh-key-v1 container:
/// "openssh-key-v1\0" string(cipher) string(kdf) string(kdfoptions) uint32(N=1)
/// string(public key blob) string(private section).
struct OpenSSHPrivateKeyFile {
    static let label = "OPENSSH PRIVATE KEY"
    static let magic = Array("openssh-key-v1".utf8) + [0]

    let cipher: String
    let kdf: String
    let publicKey: Ed25519PublicKey
    private let privateSection: [UInt8]

    var isEncrypted: Bool { cipher != "none" }

    init(pem: String) throws {
        let context = "invalid OpenSSH private key"
        let bytes = try Armor.dearmor(pem, label: Self.label, what: context, code: .malformedPrivateKey)
        var r = SSHReader(bytes, code: .malformedPrivateKey, context: context)
        guard try r.readBytes(Self.magic.count, "magic") == Self.magic else {
            throw r.fail("wrong magic (not openssh-key-v1)")
        }
        cipher = try r.readText("cipher name")
        kdf = try r.readText("KDF name")
        _ = try r.readString("KDF options")
        let n = try r.readUInt32("number of keys")
        guard n == 1 else { throw r.fail("holds \(n) keys; exactly one is supported") }
        let pubBlob = try r.readString("public key")
        // Type errors first: an encrypted RSA key should say "only Ed25519", not "passphrase".
        publicKey = try Ed25519PublicKey(wireBytes: pubBlob, context: context, code: .malformedPrivateKey)
        privateSection = try r.readString("private key section")
        try r.expectEnd("the private key section")
        if cipher == "none" {
            guard kdf == "none" else { throw r.fail("cipher 'none' with KDF '\(kdf)'") }
        }
    }

    /// nil when the key is encrypted.
    func decryptedKey() throws -> Ed25519PrivateKey? {
        guard !isEncrypted else { return nil }
        var r = SSHReader(privateSection, code: .malformedPrivateKey, context: "invalid OpenSSH private key")
        guard privateSection.count % 8 == 0 else {
            throw r.fail("private section length \(privateSection.count) is not a multiple of 8")
        }
        let check1 = try r.readUInt32("check value")
        let check2 = try r.readUInt32("check value")
        guard check1 == check2 else { throw r.fail("check values differ (corrupt key)") }
        let type = try r.readString("key type")
        guard type == Array(Ed25519PublicKey.keyType.utf8) else {
            throw r.fail("private key type '\(String(decoding: type.prefix(64), as: UTF8.self))' does not match the public key")
        }
        let pub = try r.readString("Ed25519 public key")
        guard pub.count == 32, Data(pub) == publicKey.rawRepresentation else {
            throw r.fail("private part's public key does not match the public key")
        }
        let priv = try r.readString("Ed25519 private key")
        guard priv.count == 64 else { throw r.fail("Ed25519 private key is \(priv.count) bytes, not 64") }
        guard Array(priv[32..<64]) == pub else {
            throw r.fail("Ed25519 private key does not embed its public key")
        }
        let comment = String(decoding: try r.readString("comment"), as: UTF8.self)
        var expected: UInt8 = 1
        while !r.isAtEnd {
            let b = try r.readBytes(1, "padding")[0]
            guard b == expected else { throw r.fail("bad padding") }
            expected &+= 1
        }
        guard expected <= 8 else { throw r.fail("too much padding") }
        let seed = Data(priv[0..<32])
        let derived = try Ed25519PrivateKey(seed: seed)
        guard derived.publicKey == publicKey else {
            throw r.fail("the seed does not produce the stored public key (corrupt key)")
        }
        return Ed25519PrivateKey.make(seed: seed, publicKey: publicKey, comment: comment)
    }
}
