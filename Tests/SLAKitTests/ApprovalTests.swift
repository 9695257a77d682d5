import Foundation
import SSHSigKit
import Testing

@testable import SLAKit

/// The approval rules, in process: keys from fixed seeds, agreements from the example.
@Suite("Approval rules")
struct ApprovalTests {
    static func key(_ n: UInt8) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: Data(repeating: n, count: 32))
    }

    /// The example with Mette's and Søren's keys replaced by seeds 1 and 2, edited further by `edit`.
    static func version(_ number: Int, keys: [UInt8] = [1, 2], edit: (String) -> String = { $0 }) throws -> VersionRecord {
        var text = try ProjectFiles.exampleText
        let lines = text.split(separator: "\n").filter { $0.contains("key: ssh-ed25519") }.map { String($0.split(separator: "key: ")[1]) }
        for (old, seed) in zip(lines, keys) {
            text = text.replacingOnce(old, with: try key(seed).publicKey.openSSHLine)
        }
        text = edit(text)
        let data = Data(text.utf8)
        let (agreement, diagnostics) = decode(text)
        return VersionRecord(number: number, bytes: data, agreement: try #require(agreement, "\(diagnostics)"))
    }

    static func signature(
        _ version: VersionRecord, previous: String? = nil, party: String, signer: String,
        key: Ed25519PrivateKey, agreement: String = ProjectFiles.exampleID, fingerprint: Bool = false
    ) throws -> (String, Data) {
        let message = SignatureFile.message(
            agreement: agreement, version: version.number, sha256: version.sha256,
            previous: previous, party: party, signer: signer, signedAt: "2026-12-01T09:00:00Z")
        let signature = try SSHSignature.sign(message, namespace: "sla-approval", with: key)
        let name = fingerprint ? "\(signer).\(key.publicKey.shortFingerprintHex).sig" : "\(signer).sig"
        return ("agreements/\(ProjectFiles.exampleID)/signatures/v\(version.number)/\(name)", message + Data(signature.armored.utf8))
    }

    @Test("both parties signing approves; one missing names the party and the person")
    func basic() throws {
        let v1 = try Self.version(1)
        let mette = try Self.signature(v1, party: "marketing", signer: "mette@acme.dk", key: Self.key(1))
        let soren = try Self.signature(v1, party: "sales", signer: "soren@acme.dk", key: Self.key(2))
        let approved = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v1, previousSHA256: nil,
            signatures: [mette.0: mette.1, soren.0: soren.1], activated: nil)
        #expect(approved.isApproved)
        #expect(approved.verdicts.allSatisfy { $0.isValid })

        let partial = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v1, previousSHA256: nil,
            signatures: [mette.0: mette.1], activated: nil)
        #expect(!partial.isApproved)
        #expect(partial.shortfalls.map(\.partyID) == ["sales"])
        #expect(partial.shortfalls.first?.unsigned.map(\.principal) == ["soren@acme.dk"])
    }

    @Test("required: 1 of two signatories is met by either, and a key counts once")
    func requiredCount() throws {
        let karenKey = try Self.key(3).publicKey.openSSHLine
        let v1 = try Self.version(1, keys: [1, 2]) { text in
            text.replacingOnce(
                "      - name: Søren Jensen\n",
                with:
                    "      - name: Karen Holm\n        role: Salgschef\n        principal: karen@acme.dk\n        key: \(karenKey)\n      - name: Søren Jensen\n"
            ).replacingOnce("    name: Salg\n    required: all\n", with: "    name: Salg\n    required: 1\n")
        }
        #expect(v1.agreement.parties[1].requiredCount == 1)
        let mette = try Self.signature(v1, party: "marketing", signer: "mette@acme.dk", key: Self.key(1))
        let karen = try Self.signature(v1, party: "sales", signer: "karen@acme.dk", key: Self.key(3))
        let report = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v1, previousSHA256: nil,
            signatures: [mette.0: mette.1, karen.0: karen.1], activated: nil)
        #expect(report.isApproved)
        // Mette's key in a file named for Søren counts for nobody.
        let stolen = try Self.signature(v1, party: "sales", signer: "soren@acme.dk", key: Self.key(1))
        let forged = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v1, previousSHA256: nil,
            signatures: [mette.0: mette.1, stolen.0: stolen.1], activated: nil)
        #expect(!forged.isApproved)
        #expect(forged.verdicts.first { $0.path == stolen.0 }?.problem?.contains("is not listed for soren@acme.dk") == true)
    }

    @Test("rule 3: a version that changes the signatories needs the old ones too; a new party cannot approve itself")
    func ruleThree() throws {
        let v1 = try Self.version(1, keys: [1, 2])
        let v2 = try Self.version(2, keys: [1, 9])  // Søren's key swapped for a new one
        let previous = v1.sha256
        let mette = try Self.signature(v2, previous: previous, party: "marketing", signer: "mette@acme.dk", key: Self.key(1))
        let newKey = try Self.signature(v2, previous: previous, party: "sales", signer: "soren@acme.dk", key: Self.key(9))
        let onlyNew = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v2, previousSHA256: previous,
            signatures: [mette.0: mette.1, newKey.0: newKey.1], activated: v1)
        #expect(onlyNew.previousActivated == 1)
        #expect(!onlyNew.isApproved)
        #expect(onlyNew.shortfalls.map(\.underVersion) == [1])

        let oldKey = try Self.signature(
            v2, previous: previous, party: "sales", signer: "soren@acme.dk", key: Self.key(2), fingerprint: true)
        let both = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v2, previousSHA256: previous,
            signatures: [mette.0: mette.1, newKey.0: newKey.1, oldKey.0: oldKey.1], activated: v1)
        #expect(both.isApproved, "\(both.shortfalls)")

        // Without an activated version, the FPR form is valid for its name (v1 lists the key)
        // but counts for nothing: rule 3 does not apply, and rule 2 counts only vN's keys.
        let noRule = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v2, previousSHA256: previous,
            signatures: [mette.0: mette.1, oldKey.0: oldKey.1], activated: nil, earlier: [v1])
        #expect(noRule.verdicts.allSatisfy { $0.isValid }, "\(noRule.verdicts.map { $0.problem })")
        #expect(noRule.previousActivated == nil)
        #expect(noRule.shortfalls.map(\.partyID) == ["sales"])
    }

    @Test("rule 3: a signatory renamed with the same key approves for both rules; another key under the old name does not")
    func renamedPrincipal() throws {
        let v1 = try Self.version(1, keys: [1, 2])
        let v2 = try Self.version(2, keys: [1, 2]) { $0.replacingOnce("principal: mette@acme.dk", with: "principal: mette.hansen@acme.dk") }
        #expect(ApprovalReport.ruleThreeApplies(to: v2.agreement, after: v1.agreement))
        let previous = v1.sha256
        let mette = try Self.signature(v2, previous: previous, party: "marketing", signer: "mette.hansen@acme.dk", key: Self.key(1))
        let soren = try Self.signature(v2, previous: previous, party: "sales", signer: "soren@acme.dk", key: Self.key(2))
        let report = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v2, previousSHA256: previous,
            signatures: [mette.0: mette.1, soren.0: soren.1], activated: v1)
        #expect(report.isApproved, "\(report.shortfalls)")

        // A new key for the renamed principal is no key A lists: A's marketing has not approved.
        let v2b = try Self.version(2, keys: [7, 2]) {
            $0.replacingOnce("principal: mette@acme.dk", with: "principal: mette.hansen@acme.dk")
        }
        let newKey = try Self.signature(v2b, previous: previous, party: "marketing", signer: "mette.hansen@acme.dk", key: Self.key(7))
        let sorenB = try Self.signature(v2b, previous: previous, party: "sales", signer: "soren@acme.dk", key: Self.key(2))
        let refused = ApprovalReport(
            agreementID: ProjectFiles.exampleID, version: v2b, previousSHA256: previous,
            signatures: [newKey.0: newKey.1, sorenB.0: sorenB.1], activated: v1)
        #expect(!refused.isApproved)
        #expect(refused.shortfalls.map(\.partyID) == ["marketing"] && refused.shortfalls.map(\.underVersion) == [1])
    }

    @Test("a signature over other bytes, another version, another agreement or another previous counts for nothing")
    func replay() throws {
        let v1 = try Self.version(1)
        let v2 = try Self.version(2) { $0.replacingOnce("sql_per_month: 40", with: "sql_per_month: 41") }
        let cases: [(String, Data, String)] = [
            {
                let s = try! Self.signature(v1, party: "marketing", signer: "mette@acme.dk", key: try! Self.key(1))
                return (s.0.replacingOccurrences(of: "/v1/", with: "/v2/"), s.1, "was made for v1, not v2")
            }(),
            {
                let s = try! Self.signature(v2, previous: nil, party: "marketing", signer: "mette@acme.dk", key: try! Self.key(1))
                return (s.0, s.1, "names a different previous version")
            }(),
            {
                let s = try! Self.signature(
                    v2, previous: v1.sha256, party: "marketing", signer: "mette@acme.dk", key: try! Self.key(1), agreement: "other")
                return (s.0, s.1, "was made for agreement 'other'")
            }(),
            {
                let s = try! Self.signature(v2, previous: v1.sha256, party: "sales", signer: "mette@acme.dk", key: try! Self.key(1))
                return (s.0, s.1, "says party 'sales'")
            }(),
        ]
        for (path, data, reason) in cases {
            let report = ApprovalReport(
                agreementID: ProjectFiles.exampleID, version: v2, previousSHA256: v1.sha256,
                signatures: [path: data], activated: nil)
            #expect(report.verdicts.first?.problem?.contains(reason) == true, "\(report.verdicts.first?.problem ?? "valid")")
        }
    }

    /// The armor's base64 wrapped at 60 characters instead of 70: the same signature, other bytes.
    static func rewrapped(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        guard let begin = lines.firstIndex(of: "-----BEGIN SSH SIGNATURE-----"),
            let end = lines.firstIndex(of: "-----END SSH SIGNATURE-----")
        else { return text }
        var base64 = Substring(lines[(begin + 1)..<end].joined())
        var wrapped: [String] = []
        while !base64.isEmpty {
            wrapped.append(String(base64.prefix(60)))
            base64 = base64.dropFirst(60)
        }
        return (Array(lines[...begin]) + wrapped + Array(lines[end...])).joined(separator: "\n")
    }

    @Test("the signature file format is strict")
    func strictFormat() throws {
        let v1 = try Self.version(1)
        let (_, good) = try Self.signature(v1, party: "marketing", signer: "mette@acme.dk", key: Self.key(1))
        let text = String(decoding: good, as: UTF8.self)
        let parsed = try SignatureFile(parsing: good)
        #expect(parsed.contents == good)
        #expect(parsed.signer == "mette@acme.dk")
        let bad: [(String, String)] = [
            (text.replacingOccurrences(of: "\n", with: "\r\n"), "CR line endings"),
            (text + "extra\n", "exactly one armored"),
            (String(text.dropLast()), "does not end with a newline"),
            (
                text.replacingOnce("version: 1\n", with: "").replacingOnce("agreement:", with: "version: 1\nagreement:"),
                "has a line 1 other than 'agreement: …'"
            ),
            (text.replacingOnce("sha256: ", with: "sha256: A"), "has a sha256 that is not 64 lower-case hex digits"),
            (text.replacingOnce("2026-12-01T09:00:00Z", with: "yesterday"), "has a signed_at that is not"),
            (text.replacingOnce("version: 1", with: "version: 01"), "is not a version number"),
            ("\u{FEFF}" + text, "byte for byte"),
            (Self.rewrapped(text), "byte for byte"),
            (text.replacingOccurrences(of: "\n-----END", with: "   \n-----END"), "byte for byte"),
        ]
        // signed_at: any RFC 3339 time in UTC, as other tools write it; nothing else.
        for time in ["2026-12-01t09:00:00z", "2026-12-01T09:00:00.123Z", "2026-12-01T09:00:00+00:00", "2026-12-01T09:00:00.5-00:00"] {
            #expect(throws: Never.self, "\(time)") {
                try SignatureFile(parsing: Data(text.replacingOnce("2026-12-01T09:00:00Z", with: time).utf8))
            }
        }
        for time in [
            "2026-12-01 09:00:00Z", "2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00.Z", "2026-12-01T09:00:00.1234567890Z",
            "2026-12-01T09:00:00", "2026-12-01T09:00Z", "2026-12-01T09:00:00ZZ",
        ] {
            let input = text.replacingOnce("2026-12-01T09:00:00Z", with: time)
            #expect(throws: SignatureFileError.self, "\(time)") { try SignatureFile(parsing: Data(input.utf8)) }
        }
        for (input, reason) in bad {
            #expect(throws: SignatureFileError.self) { try SignatureFile(parsing: Data(input.utf8)) }
            do {
                _ = try SignatureFile(parsing: Data(input.utf8))
            } catch {
                #expect(error.reason.contains(reason), "\(error.reason)")
            }
        }
    }
}
