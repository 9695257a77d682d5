import Foundation
import Testing

@testable import SSHSigKit

/// Parsers must throw, never trap, on hostile input.
@Suite("robustness")
struct RobustnessTests {
    static let key = try! Ed25519PrivateKey(seed: Data((0..<32).map { UInt8($0) }))
    static let good = try! SSHSignature.sign(Data("msg".utf8), namespace: "sla-approval", with: key)

    @Test("truncated armor at every length throws")
    func truncatedArmor() throws {
        let text = Array(Self.good.armored.utf8)
        var accepted = 0
        for n in 0..<(text.count - 1) {
            let prefix = String(decoding: text[0..<n], as: UTF8.self)
            if (try? SSHSignature(armored: prefix)) != nil { accepted += 1 }
        }
        #expect(accepted == 0)
        // Only the missing trailing newline is tolerated.
        #expect(try SSHSignature(armored: String(Self.good.armored.dropLast())) == Self.good)
        let e = try? #require(throws: SSHKeyError.self) {
            try SSHSignature(armored: String(Self.good.armored.prefix(60)))
        }
        #expect(e?.message.contains("missing '-----END SSH SIGNATURE-----'") == true)
    }

    @Test("armor problems have specific messages")
    func armorMessages() throws {
        let lines = Self.good.armored.split(separator: "\n").map(String.init)
        let body = lines[1..<(lines.count - 1)].joined()
        let cases: [(String, String)] = [
            ("", "missing '-----BEGIN SSH SIGNATURE-----'"),
            ("hello", "missing '-----BEGIN SSH SIGNATURE-----'"),
            ("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n", "no data"),
            ("-----BEGIN SSH SIGNATURE-----\n\(body)\n-----END SSH SIGNATURE-----\n", "too long"),
            ("-----BEGIN SSH SIGNATURE-----\n\(lines[1])\n\n\(lines[2])\n-----END SSH SIGNATURE-----\n", "empty line"),
            (Self.good.armored + "junk\n", "unexpected text after"),
            (Self.good.armored.replacingOccurrences(of: "U1NIU0lH", with: "U1N*U0lH"), "invalid base64 character '*'"),
            (Self.good.armored.replacingOccurrences(of: "U1NIU0lH", with: "U1NIU0l"), "not a multiple of 4"),
            (Armor.armor(Array("SSHSIX".utf8) + [0, 0, 0, 1], label: "SSH SIGNATURE"), "wrong magic"),
            (Armor.armor(Array("SSH".utf8), label: "SSH SIGNATURE"), "wrong magic"),
            (Armor.armor(Array("SSHSIG".utf8) + [0, 0], label: "SSH SIGNATURE"), "truncated version"),
            (String(repeating: "A", count: 2 << 20), "too large"),
        ]
        for (text, reason) in cases {
            let e = try #require(throws: SSHKeyError.self) { try SSHSignature(armored: text) }
            #expect(e.code == .malformedSignature)
            #expect(e.message.contains(reason), "'\(e.message)' should mention \(reason)")
        }
        // CRLF line endings and surrounding blank lines are fine.
        let crlf = "\n\n" + Self.good.armored.replacingOccurrences(of: "\n", with: "\r\n") + "\n"
        #expect(try SSHSignature(armored: crlf) == Self.good)
    }

    /// Offsets of the version and every length field in the 182-byte blob of `good`.
    static let lengthOffsets: Set<Int> = [6, 10, 14, 29, 65, 81, 85, 95, 99, 114]

    @Test("every single-byte change and every huge length in the blob is handled")
    func mutatedBlobs() {
        let blob = Self.good.blob.byteArray
        #expect(blob.count == 182)
        for i in 0..<blob.count {
            for v: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF, blob[i] ^ 0x20] {
                var m = blob
                m[i] = v
                if let sig = try? SSHSignature(blob: Data(m)) {
                    // Anything that still parses must not verify unless it is the original.
                    let ok = (try? sig.verify(Data("msg".utf8), namespace: "sla-approval")) != nil
                    #expect(!ok || sig == Self.good, "byte \(i) = \(v) verified")
                }
            }
            // Huge length fields at every offset: either refused, or (inside key/signature bytes)
            // parsed into something that does not verify.
            if i + 4 <= blob.count {
                for len: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x80, 0, 0, 0], [0x7F, 0xFF, 0xFF, 0xFF], [0, 1, 0, 0]] {
                    var m = blob
                    m.replaceSubrange(i..<(i + 4), with: len)
                    if let sig = try? SSHSignature(blob: Data(m)) {
                        #expect(!Self.lengthOffsets.contains(i), "huge length at \(i) accepted")
                        #expect((try? sig.verify(Data("msg".utf8), namespace: "sla-approval")) == nil || m == blob, "offset \(i) \(len)")
                    }
                }
            }
        }
        for n in 0..<blob.count {
            #expect((try? SSHSignature(blob: Data(blob[0..<n]))) == nil)
        }
    }

    @Test("random bytes and random base64 throw")
    func randomInput() {
        for n in [0, 1, 5, 6, 10, 64, 182, 500, 5000] {
            for _ in 0..<20 {
                let bytes = randomData(n)
                #expect((try? SSHSignature(blob: bytes)) == nil)
                let armored = Armor.armor(bytes.byteArray, label: "SSH SIGNATURE")
                #expect((try? SSHSignature(armored: armored)) == nil)
                #expect((try? SSHSignature(armored: String(decoding: bytes, as: UTF8.self))) == nil)
                #expect((try? Ed25519PublicKey(openSSHLine: "ssh-ed25519 " + bytes.base64EncodedString())) == nil)
                #expect((try? Ed25519PublicKey(openSSHLine: String(decoding: bytes, as: UTF8.self))) == nil)
                #expect((try? Ed25519PrivateKey(openSSHPrivateKey: Armor.armor(bytes.byteArray, label: "OPENSSH PRIVATE KEY"))) == nil)
                #expect((try? KeyFile.parse(String(decoding: bytes, as: UTF8.self))) == nil)
            }
        }
        // Random base64 text with a valid prefix ("SSHSIG", version 1) so parsing goes deeper.
        for _ in 0..<200 {
            var b = Array("SSHSIG".utf8) + [0, 0, 0, 1]
            b += randomData(Int.random(in: 0...300)).byteArray
            #expect((try? SSHSignature(blob: Data(b))) == nil)
        }
    }

    @Test("strict base64 decoder agrees with Foundation on valid input and rejects the rest")
    func base64() {
        for n in 1..<40 {
            let d = randomData(n)
            let s = d.base64EncodedString()
            if case .success(let out) = StrictBase64.decode(s) {
                #expect(Data(out) == d)
            } else {
                Issue.record("failed to decode \(s)")
            }
        }
        for bad in ["", "A", "AB", "ABC", "AB=C", "A===", "====", "AB==CD==", "QR==", "QUJ=", "QUJD\n", "QU JD", "QUJD√"] {
            if case .success = StrictBase64.decode(bad) { Issue.record("accepted \(bad)") }
        }
    }

    @Test("armor is read as bytes: lookalike characters, line ends and white space")
    func armorAsBytes() throws {
        let armored = Self.good.armored
        // CRLF line ends and trailing spaces or tabs are tolerated, as before.
        #expect(try SSHSignature(armored: armored.replacingOccurrences(of: "\n", with: "\r\n")) == Self.good)
        #expect(try SSHSignature(armored: armored.replacingOccurrences(of: "\n", with: " \t\n")) == Self.good)
        // A character that Unicode equates with an ASCII one (KELVIN SIGN for K, compared as a
        // Swift String it equals "K") is not the armor line.
        let lookalike = armored.replacingOccurrences(of: "SSH SIGNATURE-----\n", with: "SSH SIGNATURE\u{212A}----\n")
        #expect(throws: SSHKeyError.self) { try SSHSignature(armored: lookalike) }
        let kelvin = "-----BEGIN OPENSSH PRIVATE \u{212A}EY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        let error = try #require(throws: SSHKeyError.self) { try Ed25519PrivateKey(openSSHPrivateKey: kelvin) }
        #expect(error.message.contains("missing '-----BEGIN OPENSSH PRIVATE KEY-----'"))
        // A lone CR inside a line is no line break.
        let lines = armored.split(separator: "\n").map(String.init)
        let split = ([lines[0], lines[1] + "\r" + lines[2]] + lines[3...]).joined(separator: "\n") + "\n"
        #expect(throws: SSHKeyError.self) { try SSHSignature(armored: split) }
    }

    @Test("base64 decoding agrees with Foundation on every length and refuses what it must")
    func base64AgainstFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Data(bytes).base64EncodedString()
            switch StrictBase64.decode(text) {
            case .success(let decoded): #expect(decoded == bytes, "length \(length)")
            case .failure(let failure): #expect(length == 0, "length \(length): \(failure.reason)")
            }
        }
        let refused = ["QQ", "QQ=", "Q===", "QR==", "QUI=QUJD", "QUJD!", "QU=D", "QUJ\u{00E6}"]
        for text in refused {
            guard case .failure = StrictBase64.decode(text) else {
                Issue.record("accepted \(text)")
                continue
            }
        }
    }

    @Test("public key lines: ASCII and other white space are trimmed alike")
    func publicKeyWhiteSpace() throws {
        let line = Self.key.publicKey.openSSHLine
        for variant in [" \(line) comment\t", "\t\(line)\n", "\u{00A0}\(line)\u{2003}", "\(line)  two  words"] {
            #expect(try Ed25519PublicKey(openSSHLine: variant) == Self.key.publicKey, "\(variant.debugDescription)")
        }
        for broken in ["", "  \t ", "\(line)\nssh-ed25519 AAAA", "\(line)\rx", "\(line)\u{2028}x"] {
            #expect(throws: SSHKeyError.self, "\(broken.debugDescription)") { try Ed25519PublicKey(openSSHLine: broken) }
        }
    }
}
