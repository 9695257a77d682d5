import Foundation
import Testing

/// The auditor's procedure as the README gives it, run exactly as written with stock tools.
@Suite("The auditor's check from the README, with stock tools only")
struct AuditorTests {
    /// The `sh` block that follows the README's auditor-script marker.
    static func script() throws -> String {
        let readme = try String(contentsOf: Example.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- auditor-script"))
        let after = readme[marker.upperBound...]
        let open = try #require(after.range(of: "```sh\n"))
        let close = try #require(after[open.upperBound...].range(of: "\n```"))
        return String(after[open.upperBound..<close.lowerBound]) + "\n"
    }

    static func audit(_ repo: SignedRepository, _ n: Int) throws -> RunResult {
        let file = repo.box.root.appendingPathComponent("audit.sh")
        try Data(try script().utf8).write(to: file)
        // POSIX sh, as an auditor's machine has it (dash here), with no sla on PATH.
        return try repo.box.run("/bin/sh", [file.path, Example.id, String(n)], environment: ["PATH": "/usr/bin:/bin"])
    }

    @Test("good signatures pass; the previous chain holds for v2")
    func passes() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let v1 = try Self.audit(repo, 1)
        #expect(v1.status == 0, "\(v1)")
        #expect(v1.stdout.split(separator: "\n").filter { $0.hasPrefix("OK ") }.count == 2, "\(v1.stdout)")
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.signBoth("v2")
        let v2 = try Self.audit(repo, 2)
        #expect(v2.status == 0 && v2.stdout.contains("OK") && !v2.stdout.contains("FAIL"), "\(v2)")
    }

    @Test("an edited version file fails, committed or not, though the header still verifies")
    func editedVersion() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        var bytes = try repo.box.read(Example.version(1))
        bytes.append(contentsOf: Data("# edited\n".utf8))
        try repo.box.write(bytes, to: Example.version(1))
        let uncommitted = try Self.audit(repo, 1)
        #expect(uncommitted.status == 1 && uncommitted.stdout.contains("FAIL"), "\(uncommitted)")
        try repo.box.git("commit", "-qam", "edit v1")
        let committed = try Self.audit(repo, 1)
        #expect(committed.status == 1 && committed.stdout.contains("was changed after it was added"), "\(committed)")
        #expect(!committed.stdout.contains("OK "), "no signature may pass for other bytes: \(committed)")
    }

    @Test("a forged signature by a key the version does not list fails")
    func forged() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let stranger = try repo.box.makeKey("stranger")
        let forged = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: stranger)
        try repo.box.write(forged, to: SignedRepository.signature(1, "soren@acme.dk"))
        let result = try Self.audit(repo, 1)
        #expect(
            result.status == 1 && result.stdout.contains("FAIL agreements/acme-sales-marketing/signatures/v1/soren@acme.dk.sig"),
            "\(result)")
        #expect(result.stdout.contains("OK   agreements/acme-sales-marketing/signatures/v1/mette@acme.dk.sig"))
    }

    @Test("quoted principals and keys, as the template's placeholders invite, pass the script")
    func quotedSignatories() throws {
        let box = try Sandbox()
        try box.initRepository()
        let mette = try box.makeKey("mette")
        let soren = try box.makeKey("soren")
        var text = try SignedRepository.agreement(mette: box.publicKeyLine(mette), soren: box.publicKeyLine(soren))
        for principal in ["mette@acme.dk", "soren@acme.dk"] {
            text = text.replacingOccurrences(of: "principal: \(principal)\n", with: "principal: \"\(principal)\"\n")
        }
        for key in [try box.publicKeyLine(mette), try box.publicKeyLine(soren)] {
            text = text.replacingOccurrences(of: "key: \(key)\n", with: "key: \"\(key)\"\n")
        }
        try #require(text.contains("key: \"ssh-ed25519"))
        try box.write(text, to: Example.draft)
        try #require(try box.sla("propose", Example.id).status == 0)
        let repo = SignedRepository(box: box, mette: mette, soren: soren)
        try repo.signBoth()
        let audit = try Self.audit(repo, 1)
        #expect(audit.status == 0 && audit.stdout.components(separatedBy: "OK ").count == 3, "\(audit)")
    }

    @Test("a key hidden in a text would fool the script: such a version is invalid, and committing it is a fault")
    func keyInText() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let eve = try repo.box.makeKey("eve")
        let v1 = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self)
        let v2 = v1.replacingOccurrences(
            of: "overview:\n  purpose: \"",
            with: "overview:\n  purpose: |\n    principal: soren@acme.dk\n    key: \(try repo.box.publicKeyLine(eve))\n    \"")
        try #require(v2 != v1)
        try repo.box.write(v2, to: Example.draft)
        let check = try repo.box.sla("check", Example.id)
        #expect(check.status == 1 && check.stderr.contains("would read this key as that of 'soren@acme.dk'"), "\(check)")
        try repo.box.write(v2, to: Example.version(2))
        try repo.box.git("rm", "-q", "--cached", "--ignore-unmatch", Example.draft)
        try repo.box.git("add", Example.version(2))
        try repo.box.git("commit", "-qm", "v2 by hand")
        let commit = try repo.box.git("rev-parse", "HEAD").trimmed
        try repo.expectFault(naming: commit, "the auditor's stock-tools check")
    }

    @Test("after a key rotation the old key's PRINCIPAL.FPR.sig passes, checked with the earlier version's key")
    func rotation() throws {
        let (repo, _, _) = try AttackHistoryTests.rotatedSorensKey()
        #expect(try repo.sign(repo.soren, "v2").status == 0)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: repo.box.repo.appendingPathComponent("agreements/acme-sales-marketing/signatures/v2").path)
        try #require(files.contains { $0.hasPrefix("soren@acme.dk.") && $0.count > "soren@acme.dk.sig".count }, "\(files)")
        let audit = try Self.audit(repo, 2)
        #expect(audit.status == 0 && audit.stdout.components(separatedBy: "OK ").count == 4, "\(audit)")
    }

    @Test("a signature copied under another signer's name, or with bytes after its block, fails")
    func misnamedOrPadded() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let mette = try repo.box.read(SignedRepository.signature(1, "mette@acme.dk"))
        let copy = "agreements/acme-sales-marketing/signatures/v1/mette.hansen@acme.dk.sig"
        try repo.box.write(mette, to: copy)
        let copied = try Self.audit(repo, 1)
        #expect(copied.status == 1 && copied.stdout.contains("FAIL \(copy)"), "\(copied)")
        try FileManager.default.removeItem(at: repo.box.repo.appendingPathComponent(copy))
        try repo.box.write(mette + Data("trailing\n".utf8), to: SignedRepository.signature(1, "mette@acme.dk"))
        let padded = try Self.audit(repo, 1)
        #expect(
            padded.status == 1 && padded.stdout.contains("FAIL agreements/acme-sales-marketing/signatures/v1/mette@acme.dk.sig"),
            "\(padded)")
    }

    @Test("a signature over header lines out of order (signer before party) fails, though ssh-keygen verifies it")
    func headerOrder() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let lines = try repo.message(version: 1, party: "sales", signer: "soren@acme.dk").split(separator: "\n").map(String.init)
        let swapped = (lines[0..<4] + [lines[5], lines[4], lines[6]]).joined(separator: "\n") + "\n"
        try repo.box.write(try repo.sshKeygenSignatureFile(swapped, key: repo.soren), to: SignedRepository.signature(1, "soren@acme.dk"))
        let result = try Self.audit(repo, 1)
        #expect(
            result.status == 1 && result.stdout.contains("FAIL agreements/acme-sales-marketing/signatures/v1/soren@acme.dk.sig"),
            "\(result)")
        #expect(result.stdout.contains("OK   agreements/acme-sales-marketing/signatures/v1/mette@acme.dk.sig"), "\(result)")
    }
}
