import Foundation
import Testing

@testable import SSHSigKit

@Suite("OpenSSH keys")
struct KeyTests {
    @Test("a generated key pair parses; fingerprint and public line match ssh-keygen")
    func generatedKeyPair() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir)
        let pubLine = try dir.read("key.pub")

        let pub = try Ed25519PublicKey(openSSHLine: pubLine)
        #expect(pub.rawRepresentation.count == 32)
        // Public line round-trips (ssh-keygen writes "ssh-ed25519 BASE64 comment").
        let fields = pubLine.split(separator: " ")
        #expect(pub.openSSHLine == "\(fields[0]) \(fields[1])")
        #expect(try Ed25519PublicKey(openSSHLine: pub.openSSHLine) == pub)
        #expect(try Ed25519PublicKey(wireBlob: pub.wireBlob) == pub)
        #expect(pub.wireBlob.base64EncodedString() == String(fields[1]))

        // Fingerprint: `ssh-keygen -l -f key.pub` prints "256 SHA256:… test (ED25519)".
        let listed = try run("ssh-keygen", ["-l", "-f", keyPath + ".pub"]).stdout
        let fp = listed.split(separator: " ")[1]
        #expect(pub.fingerprint == String(fp))
        #expect(pub.fingerprint.hasPrefix("SHA256:"))

        // Short hex fingerprint: the first 8 bytes of the same SHA-256, in lowercase hex.
        var b64 = String(fp.dropFirst("SHA256:".count))
        while b64.count % 4 != 0 { b64 += "=" }
        let digest = try #require(Data(base64Encoded: b64))
        #expect(pub.shortFingerprintHex == digest.prefix(8).map { String(format: "%02x", $0) }.joined())
        #expect(pub.shortFingerprintHex.count == 16)

        // Private key.
        let priv = try Ed25519PrivateKey(openSSHPrivateKey: try dir.read("key"))
        #expect(priv.publicKey == pub)
        #expect(priv.seed.count == 32)
        #expect(priv.comment == "test")
        #expect(try Ed25519PrivateKey(seed: priv.seed).publicKey == pub)
        #expect(!priv.description.contains(priv.seed.base64EncodedString()))

        // KeyFile.
        guard case .privateEd25519(let loaded) = try KeyFile.load(path: keyPath) else {
            Issue.record("expected an unencrypted private key")
            return
        }
        #expect(loaded.publicKey == pub)
        guard case .publicOnly(let loadedPub) = try KeyFile.load(path: keyPath + ".pub") else {
            Issue.record("expected a public key")
            return
        }
        #expect(loadedPub == pub)
    }

    @Test("KeyFile.load falls back to PATH.pub when PATH is missing")
    func missingPrivateUsesPub() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir)
        let pub = try Ed25519PublicKey(openSSHLine: try dir.read("key.pub"))
        try FileManager.default.removeItem(atPath: keyPath)
        guard case .publicOnly(let loaded) = try KeyFile.load(path: keyPath) else {
            Issue.record("expected .publicOnly")
            return
        }
        #expect(loaded == pub)
    }

    @Test("missing key file gives a clear error")
    func missingFile() throws {
        let dir = try TempDir()
        let e = try #require(throws: SSHKeyError.self) { try KeyFile.load(path: dir.file("nope")) }
        #expect(e.code == .fileNotFound)
        #expect(e.message == "no such key file: \(dir.file("nope"))")
    }

    @Test("passphrase-protected key: public key readable, private key refused")
    func passphraseProtected() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir, passphrase: "secret")
        let pub = try Ed25519PublicKey(openSSHLine: try dir.read("key.pub"))
        guard case .encryptedPrivate(let loaded) = try KeyFile.load(path: keyPath) else {
            Issue.record("expected .encryptedPrivate")
            return
        }
        #expect(loaded == pub)
        #expect(throws: SSHKeyError.passphraseProtected) {
            try Ed25519PrivateKey(openSSHPrivateKey: try dir.read("key"))
        }
        #expect(SSHKeyError.passphraseProtected.description == "the private key is protected by a passphrase")
    }

    @Test(
        "RSA and ECDSA keys are refused with 'only Ed25519'",
        arguments: [
            ("rsa", ["-b", "1024"], "ssh-rsa"),
            ("ecdsa", ["-b", "256"], "ecdsa-sha2-nistp256"),
            ("ecdsa", ["-b", "384"], "ecdsa-sha2-nistp384"),
        ])
    func otherKeyTypes(type: String, extra: [String], sshName: String) throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir, type: type, extra: extra)
        let expected = "only Ed25519 keys are supported (this is an \(sshName) key)"
        for path in [keyPath, keyPath + ".pub"] {
            let e = try #require(throws: SSHKeyError.self) { try KeyFile.load(path: path) }
            #expect(e.code == .unsupportedKeyType)
            #expect(e.message == expected)
        }
        let e1 = try #require(throws: SSHKeyError.self) {
            try Ed25519PublicKey(openSSHLine: try dir.read("key.pub"))
        }
        #expect(e1.message == expected)
        let e2 = try #require(throws: SSHKeyError.self) {
            try Ed25519PrivateKey(openSSHPrivateKey: try dir.read("key"))
        }
        #expect(e2.message == expected)

        // Encrypted: the key type is reported before the passphrase.
        let encPath = try generateKey(in: dir, name: "enc", type: type, passphrase: "secret", extra: extra)
        let e3 = try #require(throws: SSHKeyError.self) { try KeyFile.load(path: encPath) }
        #expect(e3.message == expected)
    }

    @Test("old PEM RSA private keys are refused with 'only Ed25519'")
    func pemRSA() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir, type: "rsa", extra: ["-b", "1024", "-m", "PEM"])
        #expect(try dir.read("key").hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let e = try #require(throws: SSHKeyError.self) { try KeyFile.load(path: keyPath) }
        #expect(e.message == "only Ed25519 keys are supported (this is an ssh-rsa key)")
    }

    @Test("FIDO security-key public key lines are refused")
    func securityKeys() throws {
        var w = SSHWriter()
        w.string("sk-ssh-ed25519@openssh.com")
        w.string([UInt8](repeating: 7, count: 32))
        w.string("ssh:")
        let line = "sk-ssh-ed25519@openssh.com \(w.data.base64EncodedString()) me@laptop"
        let e = try #require(throws: SSHKeyError.self) { try Ed25519PublicKey(openSSHLine: line) }
        #expect(e.code == .securityKeyNotSupported)
        #expect(e.message == "FIDO security-key (sk-ssh-ed25519@openssh.com) keys are not supported yet")

        let dir = try TempDir()
        let path = try dir.write("sk.pub", line + "\n")
        let e2 = try #require(throws: SSHKeyError.self) { try KeyFile.load(path: path) }
        #expect(e2.code == .securityKeyNotSupported)

        // The same blob inside an SSHSIG is refused too.
        var s = SSHWriter()
        s.raw(Array("SSHSIG".utf8))
        s.uint32(1)
        s.string(w.bytes)
        s.string("sla-approval")
        s.string([UInt8]())
        s.string("sha512")
        s.string([UInt8](repeating: 0, count: 10))
        let e3 = try #require(throws: SSHKeyError.self) { try SSHSignature(blob: s.data) }
        #expect(e3.code == .securityKeyNotSupported)
    }

    @Test("malformed public key lines are refused")
    func malformedLines() throws {
        let raw = [UInt8](repeating: 0xAB, count: 32)
        func line(_ build: (inout SSHWriter) -> Void, type: String = "ssh-ed25519") -> String {
            var w = SSHWriter()
            build(&w)
            return "\(type) \(w.data.base64EncodedString()) c"
        }
        let good = line {
            $0.string("ssh-ed25519")
            $0.string(raw)
        }
        #expect(try Ed25519PublicKey(openSSHLine: good).rawRepresentation == Data(raw))
        #expect(try Ed25519PublicKey(openSSHLine: "  \(good)\n").rawRepresentation == Data(raw))

        let bad: [(String, String)] = [
            ("", "empty"),
            ("ssh-ed25519", "missing the base64 key"),
            ("ssh-ed25519 AAAA!!!!", "invalid base64 character"),
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", "not a multiple of 4"),
            ("ssh-ed25519 AA=A", "misplaced '='"),
            ("ssh-foo AAAA", "unknown key type 'ssh-foo'"),
            (
                line {
                    $0.string("ssh-rsa")
                    $0.string(raw)
                }, "but the encoded key is 'ssh-rsa'"
            ),
            (
                line {
                    $0.string("ssh-ed25519")
                    $0.string(Array(raw.prefix(31)))
                }, "31 bytes, not 32"
            ),
            (
                line {
                    $0.string("ssh-ed25519")
                    $0.string(raw)
                    $0.raw([0])
                }, "trailing bytes"
            ),
            (
                line {
                    $0.string("ssh-ed25519")
                    $0.uint32(0xFFFF_FFFF)
                }, "claims 4294967295 bytes"
            ),
            (good + "\n" + good, "single line"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        ]
        for (text, reason) in bad {
            let e = try #require(throws: SSHKeyError.self, "\(text)") { try Ed25519PublicKey(openSSHLine: text) }
            #expect(e.code == .malformedPublicKey, "\(text)")
            #expect(e.message.contains(reason), "\(e.message) should mention \(reason)")
            #expect(e.message.hasPrefix("not an OpenSSH public key line"), "\(e.message)")
        }
        #expect(throws: SSHKeyError.self) { try Ed25519PublicKey(rawRepresentation: Data(count: 31)) }
    }

    @Test("corrupt private keys are refused")
    func corruptPrivateKey() throws {
        let dir = try TempDir()
        _ = try generateKey(in: dir)
        let pem = try dir.read("key")
        let bytes = try Armor.dearmor(pem, label: "OPENSSH PRIVATE KEY", what: "t", code: .malformedPrivateKey)
        #expect(Armor.armor(bytes, label: "OPENSSH PRIVATE KEY") == pem, "armor matches ssh-keygen's layout")

        // Locate the private section: after magic, 3 strings, nkeys, public key string, its length.
        var r = SSHReader(bytes, code: .malformedPrivateKey, context: "t")
        _ = try r.readBytes(15, "magic")
        for _ in 0..<3 { _ = try r.readString("s") }
        _ = try r.readUInt32("n")
        _ = try r.readString("pub")
        let sectionStart = r.offset + 4
        var corrupt = bytes
        corrupt[sectionStart] ^= 1  // first checkint
        let e = try #require(throws: SSHKeyError.self) {
            try Ed25519PrivateKey(openSSHPrivateKey: Armor.armor(corrupt, label: "OPENSSH PRIVATE KEY"))
        }
        #expect(e.message.contains("check values differ"))

        // Every single-byte change is either refused or still yields the same, consistent key.
        let pub = try Ed25519PublicKey(openSSHLine: try dir.read("key.pub"))
        for i in 0..<bytes.count {
            var m = bytes
            m[i] ^= 0x5A
            if let k = try? Ed25519PrivateKey(openSSHPrivateKey: Armor.armor(m, label: "OPENSSH PRIVATE KEY")) {
                #expect(k.publicKey == pub, "byte \(i) changed the key silently")
            }
        }
    }
}
