import Foundation
import Testing

/// Probes by someone who wants a version counted as approved that the parties did not approve.
@Suite("Attack: forged, copied and misnamed signatures")
struct AttackSignatureTests {
    func expectActivateRefused(_ repo: SignedRepository, _ version: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let before = try repo.box.snapshot()
        let result = try repo.activate(version)
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(try repo.box.snapshot() == before, "a refused activate wrote something", sourceLocation: sourceLocation)
    }

    @Test("an SSHSIG with hash sha256 (not the sha512 DESIGN.md prescribes) does not count")
    func sha256HashAlgorithm() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let message = try repo.message(version: 1, party: "sales", signer: "soren@acme.dk")
        let result = try repo.box.run(
            "/usr/bin/ssh-keygen", ["-Y", "sign", "-O", "hashalg=sha256", "-f", repo.soren.path, "-n", "sla-approval"],
            stdin: Data(message.utf8))
        try #require(result.status == 0, "\(result)")
        try repo.commitWithGit(message + result.stdout, to: SignedRepository.signature(1, "soren@acme.dk"))
        // DESIGN.md: "signed as an OpenSSH SSHSIG with namespace sla-approval and hash sha512 …
        // anything else is invalid".
        try expectActivateRefused(repo)
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1, "\(verify)")
    }

    @Test("a signature ssh-keygen made, its signed_at written as other tools write RFC 3339 UTC (a fraction, +00:00), counts")
    func otherRFC3339Forms() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let message = try repo.message(version: 1, party: "sales", signer: "soren@acme.dk")
            .replacingOccurrences(of: "2026-12-01T09:00:00Z", with: "2026-12-01T09:00:00.123+00:00")
        try repo.commitWithGit(
            try repo.sshKeygenSignatureFile(message, key: repo.soren), to: SignedRepository.signature(1, "soren@acme.dk"))
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(try repo.activate().status == 0)
    }

    @Test("a principal that ends like a fingerprint (mette@acme.dk.0123456789abcdef) is refused by check, not silently unusable")
    func principalLooksLikeFingerprint() throws {
        let box = try Sandbox()
        try box.initRepository()
        let mette = try box.makeKey("mette")
        let soren = try box.makeKey("soren")
        let text = try SignedRepository.agreement(mette: box.publicKeyLine(mette), soren: box.publicKeyLine(soren)) {
            $0.replacingOccurrences(of: "principal: mette@acme.dk", with: "principal: mette@acme.dk.0123456789abcdef")
        }
        try box.write(text, to: Example.draft)
        // PRINCIPAL.FPR.sig names keys by '.' and 16 hex digits, so such a principal would make its
        // own signature file ambiguous: the format refuses it up front (documented in the README).
        let check = try box.sla("check", Example.id)
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains("may not end in '.' and 16 hex digits"), "\(check)")
        #expect(try box.sla("propose", Example.id).status == 1)
    }

    @Test("misnamed copies of a valid signature (..sig, upper-case FPR, FPR without rule 3, sub-folder) count for nothing")
    func misnamedCopies() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let soren = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: repo.soren)
        let fpr = try repo.shortFingerprint(repo.soren)
        let folder = "agreements/acme-sales-marketing/signatures/v1/"
        // A fingerprint of digits only has no upper-case spelling (1 key in about 1,900).
        let upper = fpr.uppercased() == fpr ? [] : ["soren@acme.dk.\(fpr.uppercased()).sig"]
        let names =
            ["..sig", ".sig"] + upper + [
                "soren@acme.dk.\(fpr).sig",  // rule 3 does not apply: nothing activated
                "SOREN@acme.dk.sig",
                "soren@acme.dk.sig.sig",
                "soren@acme.dk.SIG",
                "soren@acme.dk",
            ]
        for name in names {
            try repo.commitWithGit(soren, to: folder + name, message: "copy as \(name)")
        }
        try expectActivateRefused(repo)
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1, "\(verify)")
        for name in names {
            #expect(verify.stderr.contains(folder + name), "no fault for \(name): \(verify.stderr)")
        }
    }

    @Test("a valid signature in a sub-folder of signatures/vN/ does not stand in for PRINCIPAL.sig")
    func signatureInSubfolder() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let soren = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: repo.soren)
        try repo.commitWithGit(soren, to: "agreements/acme-sales-marketing/signatures/v1/nested/soren@acme.dk.sig")
        // The layout is signatures/vN/PRINCIPAL.sig; a file elsewhere is not a signature of vN.
        try expectActivateRefused(repo)
        #expect(try repo.box.sla("verify").status == 1)
    }

    @Test("CRLF, upper-case sha256, a wrong previous and a wrong party make a signature count for nothing")
    func malformedHeaders() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        try repo.sign(repo.mette, "v2")
        let good = try repo.message(version: 2, party: "sales", signer: "soren@acme.dk")
        let v2sha = try repo.box.read(Example.version(2)).sha256
        let v1sha = try repo.box.read(Example.version(1)).sha256
        let variants: [(String, String)] = [
            ("crlf", try repo.sshKeygenSignatureFile(good, key: repo.soren).replacingOccurrences(of: "\n", with: "\r\n")),
            ("upper sha", try repo.sshKeygenSignatureFile(good.replacingOccurrences(of: v2sha, with: v2sha.uppercased()), key: repo.soren)),
            (
                "previous none",
                try repo.sshKeygenSignatureFile(
                    good.replacingOccurrences(of: "previous: \(v1sha)", with: "previous: none"), key: repo.soren)
            ),
            (
                "previous self",
                try repo.sshKeygenSignatureFile(
                    good.replacingOccurrences(of: "previous: \(v1sha)", with: "previous: \(v2sha)"), key: repo.soren)
            ),
            (
                "wrong party",
                try repo.sshKeygenSignatureFile(good.replacingOccurrences(of: "party: sales", with: "party: marketing"), key: repo.soren)
            ),
            ("trailing blank line", try repo.sshKeygenSignatureFile(good, key: repo.soren) + "\n"),
            (
                "extra header",
                try repo.sshKeygenSignatureFile(
                    good.replacingOccurrences(of: "signed_at:", with: "comment: x\nsigned_at:"), key: repo.soren)
            ),
        ]
        for (label, text) in variants {
            try repo.commitWithGit(text, to: SignedRepository.signature(2, "soren@acme.dk"), message: label)
            let result = try repo.activate("v2", today: "2026-12-02")
            #expect(result.status == 1, "\(label) counted: \(result)")
            if result.status == 0 { return }
        }
    }

    @Test("a new version cannot approve itself into power with keys it introduced (new party, required: 1, forged FPR file)")
    func selfApprovalUnderRuleThree() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let oldSoren = try repo.box.publicKeyLine(repo.soren)
        let intruder = try repo.box.makeKey("mallory")
        let intruderLine = try repo.box.publicKeyLine(intruder)

        // v2: sales gains a second signatory (Mallory, a key v2 introduces) and needs only one.
        try repo.proposeRevision { draft in
            draft.replacingOccurrences(
                of: """
                            principal: soren@acme.dk
                            key: \(oldSoren)
                    """,
                with: """
                            principal: soren@acme.dk
                            key: \(oldSoren)
                          - name: Mallory
                            role: Sælger
                            principal: mallory@acme.dk
                            key: \(intruderLine)
                    """
            ).replacingOccurrences(
                of: "  - id: sales\n    name: Salg\n    required: all", with: "  - id: sales\n    name: Salg\n    required: 1")
        }
        let v2 = String(decoding: try repo.box.read(Example.version(2)), as: UTF8.self)
        try #require(v2.contains("mallory@acme.dk") && v2.contains("required: 1"), "the edit did not apply:\n\(v2)")
        try repo.sign(repo.mette, "v2")
        let byMallory = try repo.sign(intruder, "v2")
        #expect(byMallory.status == 0, "\(byMallory)")
        // Rule 2 holds for v2, but v1's sales (Søren, required all) never approved the change.
        try expectActivateRefused(repo, "v2")

        // A PRINCIPAL.FPR.sig for Søren made with Mallory's key must not stand in for him.
        let forged = try repo.sshKeygenSignatureFile(try repo.message(version: 2, party: "sales", signer: "soren@acme.dk"), key: intruder)
        try repo.commitWithGit(
            forged, to: "agreements/acme-sales-marketing/signatures/v2/soren@acme.dk.\(try repo.shortFingerprint(intruder)).sig")
        try expectActivateRefused(repo, "v2")
        // Committing it was a fault (not valid for its name), and the agreement fails closed:
        // even the real Søren's approval cannot activate v2 on top of that history.
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("is not listed for soren@acme.dk"), "\(verify)")
        let bySoren = try repo.sign(repo.soren, "v2")
        #expect(bySoren.status == 0, "\(bySoren)")
        let activated = try repo.activate("v2", today: "2026-12-02")
        #expect(activated.status == 1 && activated.stderr.contains("faulted"), "\(activated)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("a version that replaces a whole party cannot approve itself")
    func replacedParty() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let intruder = try repo.box.makeKey("mallory")
        let oldSoren = try repo.box.publicKeyLine(repo.soren)
        try repo.proposeRevision { draft in
            draft.replacingOccurrences(of: "  - id: sales\n", with: "  - id: sales-new\n")
                .replacingOccurrences(of: oldSoren, with: (try? repo.box.publicKeyLine(intruder)) ?? "")
                .replacingOccurrences(of: "principal: soren@acme.dk", with: "principal: mallory@acme.dk")
        }
        try repo.sign(repo.mette, "v2")
        #expect(try repo.sign(intruder, "v2").status == 0)
        try expectActivateRefused(repo, "v2")
        // Søren's old key may approve, as soren@acme.dk.FPR.sig (party: sales, as in v1).
        let bySoren = try repo.sign(repo.soren, "v2")
        #expect(bySoren.status == 0, "\(bySoren)")
        #expect(try repo.activate("v2", today: "2026-12-02").status == 0)
    }

    @Test("the same key under two parties with different comments is refused")
    func sameKeyTwoPartiesDifferentComment() throws {
        let box = try Sandbox()
        try box.initRepository()
        let key = try box.publicKeyLine(try box.makeKey("shared"))
        try box.write(try SignedRepository.agreement(mette: key + " laptop", soren: key + " desktop"), to: Example.draft)
        let check = try box.sla("check", Example.id)
        #expect(check.status == 1, "\(check)")
        #expect(try box.sla("propose", Example.id).status == 1)
    }

    @Test("a .sig that is a symlink in git counts for nothing")
    func symlinkSignature() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let valid = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: repo.soren)
        try repo.commitWithGit(valid, to: "elsewhere/soren.sig")
        let link = repo.box.repo.appendingPathComponent(SignedRepository.signature(1, "soren@acme.dk"))
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../../../../elsewhere/soren.sig")
        try repo.box.git("add", SignedRepository.signature(1, "soren@acme.dk"))
        try repo.box.git("commit", "-qm", "symlink")
        try expectActivateRefused(repo)
    }
}
