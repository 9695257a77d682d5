import Foundation
import Testing

/// A repository with the example agreement proposed as v1, its two signatories' keys made
/// by the real ssh-keygen.
struct SignedRepository {
    let box: Sandbox
    let mette: URL
    let soren: URL

    static let id = Example.id
    static func signature(_ n: Int, _ principal: String) -> String {
        "agreements/acme-sales-marketing/signatures/v\(n)/\(principal).sig"
    }

    init() throws {
        box = try Sandbox()
        try box.initRepository()
        mette = try box.makeKey("mette")
        soren = try box.makeKey("soren")
        try box.write(try Self.agreement(mette: box.publicKeyLine(mette), soren: box.publicKeyLine(soren)), to: Example.draft)
        let proposed = try box.sla("propose", Self.id)
        guard proposed.status == 0 else { throw SandboxError("propose failed: \(proposed)") }
    }

    /// A sandbox already holding a v1 that lists these keys for Mette and Søren.
    init(box: Sandbox, mette: URL, soren: URL) {
        self.box = box
        self.mette = mette
        self.soren = soren
    }

    /// The example agreement with these keys for Mette and Søren.
    static func agreement(mette: String, soren: String, edit: (String) -> String = { $0 }) throws -> String {
        let text = try Example.text
        let keys = text.components(separatedBy: "\n").filter { $0.contains("key: ssh-ed25519") }
            .map { $0.components(separatedBy: "key: ")[1] }
        return edit(text.replacingOccurrences(of: keys[0], with: mette).replacingOccurrences(of: keys[1], with: soren))
    }

    @discardableResult
    func sign(_ key: URL, _ version: String = "v1") throws -> RunResult {
        try box.sla("sign", Self.id, version, "--key", key.path)
    }

    /// Both signatories sign `version`, and it is activated on `today`; throws if any step fails.
    func signAndActivate(_ version: String = "v1", today: String = "2026-12-01") throws {
        for key in [mette, soren] {
            let signed = try sign(key, version)
            guard signed.status == 0 else { throw SandboxError("sign failed: \(signed)") }
        }
        let activated = try box.sla("activate", Self.id, version, "--today", today)
        guard activated.status == 0 else { throw SandboxError("activate failed: \(activated)") }
    }

    /// What an attacker (or a slip) does with plain git: deletes one signature of `version` and commits.
    func removeSignatureWithGit(_ principal: String, version: Int = 1) throws {
        try box.git("rm", "-q", Self.signature(version, principal))
        try box.git("commit", "-qm", "remove a signature")
    }

    /// Opens a revision, applies `edit` to the draft and proposes it.
    func proposeRevision(_ edit: (String) -> String) throws {
        guard try box.sla("revise", Self.id).status == 0 else { throw SandboxError("revise failed") }
        let draft = String(decoding: try box.read(Example.draft), as: UTF8.self)
        try box.write(edit(draft), to: Example.draft)
        let proposed = try box.sla("propose", Self.id)
        guard proposed.status == 0 else { throw SandboxError("propose failed: \(proposed)") }
    }

    /// The seven header lines of DESIGN.md for v`n`, as `sla sign` would write them.
    func message(version n: Int, party: String, signer: String, agreement: String = id, sha256: String? = nil) throws -> String {
        let bytes = try box.read(Example.version(n))
        let previous = n > 1 ? try box.read(Example.version(n - 1)).sha256 : "none"
        return """
            agreement: \(agreement)
            version: \(n)
            sha256: \(sha256 ?? bytes.sha256)
            previous: \(previous)
            party: \(party)
            signer: \(signer)
            signed_at: 2026-12-01T09:00:00Z

            """
    }

    /// A signature file made entirely by `ssh-keygen -Y sign` over `message`.
    func sshKeygenSignatureFile(_ message: String, key: URL, namespace: String = "sla-approval") throws -> String {
        let result = try box.run("/usr/bin/ssh-keygen", ["-Y", "sign", "-f", key.path, "-n", namespace], stdin: Data(message.utf8))
        guard result.status == 0 else { throw SandboxError("ssh-keygen -Y sign failed: \(result)") }
        return message + result.stdout
    }

    /// Commits a file with plain git.
    func commitWithGit(_ text: String, to path: String, message: String = "by hand") throws {
        try box.write(text, to: path)
        try box.git("add", path)
        try box.git("commit", "-qm", message)
    }
}

extension Data {
    /// Through the real `sha256sum`, independent of the code under test.
    var sha256: String { SHA256Hex.of(self) }
}

/// SHA-256 through the real `sha256sum`, independent of the code under test.
enum SHA256Hex {
    static func of(_ data: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
            input.fileHandleForWriting.write(data)
            try input.fileHandleForWriting.close()
        } catch {
            fatalError("cannot run /usr/bin/sha256sum: \(error)")
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let hex = String(decoding: out, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
        // Loud, never an empty string an assertion could match by accident.
        precondition(process.terminationStatus == 0 && hex.utf8.count == 64, "sha256sum failed: \(hex)")
        return hex
    }
}

@Suite("Signatures interoperate with OpenSSH")
struct SignatureInteropTests {
    @Test("a signature by `sla sign` verifies with ssh-keygen -Y verify exactly as DESIGN.md shows")
    func ourSignatureVerifiesWithOpenSSH() throws {
        let repo = try SignedRepository()
        let signed = try repo.sign(repo.mette)
        #expect(signed.status == 0, "\(signed)")
        let file = SignedRepository.signature(1, "mette@acme.dk")
        #expect(try repo.box.git("status", "--porcelain") == "")
        #expect(try repo.box.git("log", "-1", "--format=%s") == "sla: sign acme-sales-marketing v1 as mette@acme.dk (marketing)\n")

        let script = """
            set -e
            sla allowed-signers \(SignedRepository.id) v1 > "$ALLOWED"
            head -n 7 \(file) | ssh-keygen -Y verify -f "$ALLOWED" -I mette@acme.dk -n sla-approval -s <(sed -n '/BEGIN SSH/,$p' \(file))
            """
        let allowed = repo.box.root.appendingPathComponent("allowed").path
        let slaDirectory = Sandbox.slaBinary.deletingLastPathComponent().path
        let result = try repo.box.run(
            "/bin/bash", ["-c", script],
            environment: [
                "ALLOWED": allowed, "PATH": slaDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Good \"sla-approval\" signature for mette@acme.dk"))

        // The signed message is the first seven lines, with the version's exact hash.
        let text = String(decoding: try repo.box.read(file), as: UTF8.self)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "agreement: acme-sales-marketing")
        #expect(lines[2] == "sha256: \(try repo.box.read(Example.version(1)).sha256)")
        #expect(lines[3] == "previous: none")

        // Ed25519 is deterministic: ssh-keygen over the same message makes the same file.
        let header = lines.prefix(7).joined(separator: "\n") + "\n"
        #expect(try repo.sshKeygenSignatureFile(header, key: repo.mette) == text)

        // And one byte less in the message does not verify.
        let tampered = try repo.box.run(
            "/bin/bash",
            [
                "-c",
                "head -n 7 \(file) | sed 's/version: 1/version: 2/' | ssh-keygen -Y verify -f \"$ALLOWED\" -I mette@acme.dk -n sla-approval -s <(sed -n '/BEGIN SSH/,$p' \(file))",
            ],
            environment: ["ALLOWED": allowed])
        #expect(tampered.status != 0)
    }

    @Test("a signature made by ssh-keygen over the documented message is accepted")
    func openSSHSignatureAccepted() throws {
        let repo = try SignedRepository()
        let mette = try repo.sshKeygenSignatureFile(
            try repo.message(version: 1, party: "marketing", signer: "mette@acme.dk"), key: repo.mette)
        let soren = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: repo.soren)
        try repo.commitWithGit(mette, to: SignedRepository.signature(1, "mette@acme.dk"))
        try repo.commitWithGit(soren, to: SignedRepository.signature(1, "soren@acme.dk"))
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("2 of 2 signatures valid"))
        let activate = try repo.box.sla("activate", SignedRepository.id, "--today", "2026-12-01")
        #expect(activate.status == 0, "\(activate)")
        // Signing again with sla is a no-op: the ssh-keygen file already counts.
        let again = try repo.sign(repo.mette)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already signed"))
    }

    @Test("signing through a running ssh-agent with only the public key file")
    func sshAgent() throws {
        let repo = try SignedRepository()
        // Only the .pub where sla is pointed; the private key lives in the agent alone.
        let publicOnly = repo.box.root.appendingPathComponent("pub-only/soren.pub")
        try FileManager.default.createDirectory(at: publicOnly.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repo.soren.path + ".pub", toPath: publicOnly.path)
        let socket = repo.box.root.appendingPathComponent("agent.sock").path
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", socket]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        // Foundation starts children with SIGTERM blocked here: stop the agent with SIGKILL.
        defer {
            kill(agent.processIdentifier, SIGKILL)
            agent.waitUntilExit()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
        let added = try repo.box.run("/usr/bin/ssh-add", ["-q", repo.soren.path], environment: ["SSH_AUTH_SOCK": socket])
        #expect(added.status == 0, "\(added)")
        try FileManager.default.removeItem(at: repo.soren)

        let signed = try repo.box.run(
            Sandbox.slaBinary.path, ["sign", SignedRepository.id, "--key", publicOnly.path],
            environment: ["SSH_AUTH_SOCK": socket])
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stdout.contains("through ssh-keygen"))
        #expect(repo.box.exists(SignedRepository.signature(1, "soren@acme.dk")))
        #expect(try repo.box.sla("verify").status == 0)
    }
}

@Suite("Activation cannot be fooled")
struct ActivationRefusalTests {
    /// Runs `activate`, expects exit 1 with `reason` on stderr and an unchanged repository.
    func expectRefused(
        _ repo: SignedRepository, _ arguments: [String] = [], reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try repo.box.snapshot()
        let result = try repo.box.run(Sandbox.slaBinary.path, ["activate", SignedRepository.id] + arguments + ["--today", "2026-12-01"])
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(reason), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try repo.box.snapshot() == before, "activate wrote something", sourceLocation: sourceLocation)
    }

    func expectVerifyFault(_ repo: SignedRepository, _ fault: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1, "\(verify)", sourceLocation: sourceLocation)
        #expect(verify.stderr.contains(fault), "\(verify.stderr)", sourceLocation: sourceLocation)
    }

    @Test("unsigned, and one party missing; then both sign and it activates")
    func unsignedAndOneParty() throws {
        let repo = try SignedRepository()
        try expectRefused(repo, reason: "missing: Mette Hansen <mette@acme.dk> has not signed")
        try expectRefused(repo, reason: "missing: Søren Jensen <soren@acme.dk> has not signed")
        try repo.sign(repo.mette)
        try expectRefused(repo, reason: "Salg (sales): 0 of 1 required signature")
        let before = try repo.box.snapshot()
        let twice = try repo.sign(repo.mette)
        #expect(try repo.box.snapshot() == before, "signing twice wrote something")
        #expect(twice.status == 0 && twice.stdout.contains("already signed"))
        #expect(
            try repo.box.git("ls-files", "agreements/acme-sales-marketing/signatures")
                == "\(SignedRepository.signature(1, "mette@acme.dk"))\n")
        try repo.sign(repo.soren)
        let activated = try repo.box.sla("activate", SignedRepository.id, "--today", "2026-12-01")
        #expect(activated.status == 0, "\(activated)")
        let activations = String(decoding: try repo.box.read("agreements/acme-sales-marketing/activations.yaml"), as: UTF8.self)
        #expect(
            activations == """
                - version: 1
                  sha256: \(try repo.box.read(Example.version(1)).sha256)
                  activated_at: 2026-12-01
                  activated_by: lars@acme.dk

                """)
        #expect(try repo.box.git("status", "--porcelain") == "")
        #expect(try repo.box.sla("verify").status == 0)
    }

    @Test("the version file changed by one byte after signing, committed with plain git")
    func versionChangedAfterSigning() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        var bytes = try repo.box.read(Example.version(1))
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "4")))  // a digit in a number
        bytes[index] = UInt8(ascii: "5")
        try repo.box.write(bytes, to: Example.version(1))
        try repo.box.git("commit", "-qam", "tweak")
        try expectRefused(repo, reason: "a proposed version was changed")
        try expectVerifyFault(repo, "a proposed version was changed")
    }

    @Test("a signature copied from another version or another agreement")
    func copiedSignature() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        for principal in ["mette@acme.dk", "soren@acme.dk"] {
            let v1 = String(decoding: try repo.box.read(SignedRepository.signature(1, principal)), as: UTF8.self)
            try repo.commitWithGit(v1, to: SignedRepository.signature(2, principal), message: "copy")
        }
        try expectRefused(repo, ["v2"], reason: "was made for v1, not v2")
        try expectVerifyFault(repo, "was made for v1, not v2")

        // The same agreement text under another id: the signature names the other agreement.
        let other = try SignedRepository()
        let copied = String(decoding: try repo.box.read(SignedRepository.signature(1, "mette@acme.dk")), as: UTF8.self)
        let forged = copied.replacingOccurrences(of: "agreement: acme-sales-marketing", with: "agreement: other-agreement")
        try other.commitWithGit(forged, to: SignedRepository.signature(1, "mette@acme.dk"))
        try expectRefused(other, reason: "mette@acme.dk.sig")
        try expectVerifyFault(other, "was made for agreement 'other-agreement'")
    }

    @Test("a signature by a key that is not listed")
    func foreignKey() throws {
        let repo = try SignedRepository()
        let stranger = try repo.box.makeKey("stranger")
        let refused = try repo.sign(stranger)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not listed for any signatory"))
        let forged = try repo.sshKeygenSignatureFile(try repo.message(version: 1, party: "sales", signer: "soren@acme.dk"), key: stranger)
        try repo.commitWithGit(forged, to: SignedRepository.signature(1, "soren@acme.dk"))
        try repo.sign(repo.mette)
        try expectRefused(repo, reason: "is not listed for soren@acme.dk in v1")
        try expectVerifyFault(repo, "is not listed for soren@acme.dk in v1")
        // A signature file is never changed: the real signatory cannot overwrite it, and the
        // history stays faulted (only resetting the branch cures it).
        let replaced = try repo.sign(repo.soren)
        #expect(replaced.status == 1 && replaced.stderr.contains("never changed"), "\(replaced)")
        try expectRefused(repo, reason: "is faulted")
    }

    @Test("keys other than Ed25519, and missing key files, are refused with a clear message")
    func otherKeyTypes() throws {
        let repo = try SignedRepository()
        let rsa = repo.box.root.appendingPathComponent("keys/rsa")
        let made = try repo.box.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa.path])
        #expect(made.status == 0)
        let before = try repo.box.snapshot()
        let refused = try repo.sign(rsa)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("only Ed25519"), "\(refused.stderr)")
        let missing = try repo.sign(repo.box.root.appendingPathComponent("keys/nope"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot use the key"))
        #expect(try repo.box.snapshot() == before)
    }

    @Test("a key listed twice is a check error, and cannot be proposed")
    func keyListedTwice() throws {
        let box = try Sandbox()
        try box.initRepository()
        let key = try box.publicKeyLine(try box.makeKey("shared"))
        try box.write(try SignedRepository.agreement(mette: key, soren: key), to: Example.draft)
        let check = try box.sla("check", Example.id)
        #expect(check.status == 1)
        #expect(check.stderr.contains("a key may be listed only once in an agreement"))
        #expect(try box.sla("propose", Example.id).status == 1)
    }

    @Test("a new version that swaps in a new key is refused until the old key approves it too")
    func keySwap() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        #expect(try repo.box.sla("activate", SignedRepository.id, "--today", "2026-12-01").status == 0)

        let intruder = try repo.box.makeKey("soren-new")
        let oldLine = try repo.box.publicKeyLine(repo.soren)
        let newLine = try repo.box.publicKeyLine(intruder)
        try repo.proposeRevision { $0.replacingOccurrences(of: oldLine, with: newLine) }
        try repo.sign(repo.mette, "v2")
        let byNewKey = try repo.sign(intruder, "v2")
        #expect(byNewKey.status == 0, "\(byNewKey)")
        try expectRefused(repo, ["v2"], reason: "as listed in v1, the version in force")
        try expectRefused(repo, ["v2"], reason: "missing: Søren Jensen <soren@acme.dk> has signed v2, but not with the key v1 lists")

        // allowed-signers lists the old key too, for the auditor.
        let allowed = try repo.box.sla("allowed-signers", SignedRepository.id, "v2").stdout
        #expect(allowed.contains("soren@acme.dk namespaces=\"sla-approval\" \(oldLine)"))
        #expect(allowed.contains("soren@acme.dk namespaces=\"sla-approval\" \(newLine)"))

        let byOldKey = try repo.sign(repo.soren, "v2")
        #expect(byOldKey.status == 0, "\(byOldKey)")
        let files = try repo.box.git("ls-files", "agreements/acme-sales-marketing/signatures/v2")
        #expect(files.contains(".sig\n") && files.split(separator: "\n").count == 3)
        #expect(
            files.split(separator: "\n").contains {
                $0.hasPrefix("agreements/acme-sales-marketing/signatures/v2/soren@acme.dk.")
                    && $0.count > "agreements/acme-sales-marketing/signatures/v2/soren@acme.dk.sig".count
            })
        let activated = try repo.box.sla("activate", SignedRepository.id, "v2", "--today", "2026-12-02")
        #expect(activated.status == 0, "\(activated)")
        #expect(try repo.box.sla("verify").status == 0)
    }

    @Test("activating a version lower than the active one")
    func rollback() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        try repo.sign(repo.mette, "v2")
        try repo.sign(repo.soren, "v2")
        #expect(try repo.box.sla("activate", SignedRepository.id, "v2", "--today", "2026-12-01").status == 0)
        try expectRefused(repo, ["v1"], reason: "never goes back to an older version")
        // v2 again is a no-op: exit 0, a message, no commit.
        let before = try repo.box.snapshot()
        let again = try repo.box.sla("activate", SignedRepository.id, "v2", "--today", "2026-12-05")
        #expect(again.status == 0 && again.stdout.contains("already activated"), "\(again)")
        #expect(try repo.box.snapshot() == before)
    }

    @Test("a hand-written activation record of an unapproved version fails verify and counts for nothing")
    func handWrittenActivation() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let record = """
            - version: 1
              sha256: \(try repo.box.read(Example.version(1)).sha256)
              activated_at: 2026-12-01
              activated_by: mallory@example.invalid

            """
        try repo.commitWithGit(record, to: "agreements/acme-sales-marketing/activations.yaml")
        try expectVerifyFault(repo, "v1 was not approved when the entry was written")
        let active = try repo.box.sla("show", SignedRepository.id, "active", "--today", "2027-02-01")
        #expect(active.status == 1)
        #expect(active.stderr.contains("is faulted"), "\(active)")
        // An entry is judged once, where it is new: signatures that arrive later do not turn it
        // into an activation, and the agreement stays faulted.
        try repo.sign(repo.soren)
        try expectVerifyFault(repo, "v1 was not approved when the entry was written")
        #expect(try repo.box.sla("show", SignedRepository.id, "active", "--today", "2027-02-01").status == 1)
        let activated = try repo.box.sla("activate", SignedRepository.id, "v1", "--today", "2026-12-02")
        #expect(activated.status == 1 && activated.stderr.contains("faulted"), "\(activated)")
    }

    @Test("an early hand-written entry for a version that brings its own keys never puts it in force")
    func earlyEntryForSelfApprovedVersion() throws {
        let repo = try SignedRepository()
        let intruderA = try repo.box.makeKey("intruder-a")
        let intruderB = try repo.box.makeKey("intruder-b")
        let metteLine = try repo.box.publicKeyLine(repo.mette)
        let sorenLine = try repo.box.publicKeyLine(repo.soren)
        let aLine = try repo.box.publicKeyLine(intruderA)
        let bLine = try repo.box.publicKeyLine(intruderB)
        try repo.proposeRevision {
            $0.replacingOccurrences(of: metteLine, with: aLine).replacingOccurrences(of: sorenLine, with: bLine)
                .replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 10")
        }
        // A v2 entry, written by hand before anything was activated.
        let entry = """
            - version: 2
              sha256: \(try repo.box.read(Example.version(2)).sha256)
              activated_at: 2026-12-01
              activated_by: mallory@example.invalid

            """
        try repo.commitWithGit(entry, to: "agreements/acme-sales-marketing/activations.yaml")
        // The real signatories approve and activate v1 (appended after the v2 entry) …
        try repo.sign(repo.mette, "v1")
        try repo.sign(repo.soren, "v1")
        // … but the early entry was a fault where it was written, so nothing activates any more.
        let v1 = try repo.box.sla("activate", SignedRepository.id, "v1", "--today", "2026-12-02")
        #expect(v1.status == 1 && v1.stderr.contains("faulted"), "\(v1)")
        // The intruders sign v2 with the keys v2 itself introduced: still nothing in force.
        #expect(try repo.sign(intruderA, "v2").status == 0)
        #expect(try repo.sign(intruderB, "v2").status == 0)
        #expect(try repo.inForce(today: "2027-02-01") == "faulted")
        try expectVerifyFault(repo, "v2 was not approved when the entry was written")
        let refused = try repo.box.sla("activate", SignedRepository.id, "v2", "--today", "2026-12-03")
        #expect(refused.status == 1 && refused.stderr.contains("faulted"), "\(refused)")
    }

    @Test("truncated, garbage, oversized and wrong-namespace signature files count for nothing")
    func malformedSignatureFiles() throws {
        for index in 0..<6 {
            // Each on a fresh history: the first bad file would fault the agreement for good.
            let repo = try SignedRepository()
            try repo.sign(repo.mette)
            let good = String(decoding: try repo.box.read(SignedRepository.signature(1, "mette@acme.dk")), as: UTF8.self)
            let soren = SignedRepository.signature(1, "soren@acme.dk")
            let message = try repo.message(version: 1, party: "sales", signer: "soren@acme.dk")
            let valid = try repo.sshKeygenSignatureFile(message, key: repo.soren)
            let cases: [(String, String)] = [
                (String(valid.prefix(valid.count - 40)) + "\n", "must end with exactly one armored SSH signature block"),
                ("garbage\n", "is truncated"),
                (
                    valid.replacingOccurrences(of: "-----BEGIN SSH SIGNATURE-----\n", with: "-----BEGIN SSH SIGNATURE-----\n!!!!"),
                    "holds no valid SSH signature"
                ),
                (valid + String(repeating: "x", count: 70 * 1024), "at most 64 KiB"),
                (try repo.sshKeygenSignatureFile(message, key: repo.soren, namespace: "git"), "namespace"),
                (good, "is signed as 'mette@acme.dk' but named for 'soren@acme.dk'"),
            ]
            let (text, reason) = cases[index]
            try repo.commitWithGit(text, to: soren, message: "bad signature")
            try expectRefused(repo, reason: "is faulted")
            try expectVerifyFault(repo, reason)
        }
    }
}
