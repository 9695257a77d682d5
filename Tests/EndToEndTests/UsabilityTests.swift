import Foundation
import Testing

@Suite("Getting out of trouble: refusals that say what to do")
struct UsabilityTests {
    @Test(
        "a missing git identity refuses every command that commits, writing nothing",
        arguments: [
            ["new", "nyt-sla"], ["revise", Example.id], ["renew", Example.id, "--effective", "2027-07-01"],
            ["sign", Example.id, "--key", "KEY"], ["activate", Example.id, "--today", "2026-12-01"], ["revise", Example.id, "--discard"],
        ])
    func missingIdentity(_ arguments: [String]) throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        if arguments.last == "--discard" { try #require(try repo.box.sla("revise", Example.id).status == 0) }
        // A renewal starts from an activated version.
        if arguments.first == "renew" { try #require(try repo.box.sla("activate", Example.id, "--today", "2026-12-01").status == 0) }
        try repo.box.git("config", "--unset", "user.name")
        let before = try repo.box.snapshot()
        let result = try repo.box.run(Sandbox.slaBinary.path, arguments.map { $0 == "KEY" ? repo.mette.path : $0 })
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("user.name is not configured"), "\(result.stderr)")
        #expect(try repo.box.snapshot() == before)
    }

    @Test("an open revision can be abandoned, committed or not")
    func discard() throws {
        let box = try RefusalTests.repositoryWithRevision()
        let refused = try box.sla("revise", Example.id)
        #expect(refused.stderr.contains("sla revise acme-sales-marketing --discard"))
        // --force without --discard is a slip: wrong usage, nothing written.
        let head = try box.git("rev-parse", "HEAD")
        let forceAlone = try box.sla("revise", Example.id, "--force")
        #expect(forceAlone.status == 64 && forceAlone.stderr.contains("--force is only for --discard"), "\(forceAlone)")
        #expect(try box.git("rev-parse", "HEAD") == head)
        let discarded = try box.sla("revise", Example.id, "--discard")
        #expect(discarded.status == 0, "\(discarded)")
        #expect(!box.exists(Example.draft))
        #expect(try box.git("status", "--porcelain") == "")
        #expect(try box.git("log", "-1", "--format=%s") == "sla: abandon the revision of acme-sales-marketing\n")
        #expect(try box.sla("revise", Example.id, "--discard").status == 1)
        // A committed draft the user deleted by hand: abandoning commits the deletion.
        #expect(try box.sla("revise", Example.id).status == 0)
        try FileManager.default.removeItem(at: box.repo.appendingPathComponent(Example.draft))
        #expect(try box.sla("revise", Example.id, "--discard").status == 0)
        #expect(try box.git("status", "--porcelain") == "")
    }

    @Test("--repo works before the command name too; an impossible date is called that")
    func repoBeforeCommand() throws {
        let repo = try SignedRepository()
        let elsewhere = repo.box.root
        let before = try repo.box.sla("--repo", repo.box.repo.path, "log", Example.id, in: elsewhere)
        let after = try repo.box.sla("log", Example.id, "--repo", repo.box.repo.path, in: elsewhere)
        #expect(before.status == 0 && before.stdout == after.stdout && before.stdout.contains("proposed v1"), "\(before)")
        #expect(try repo.box.sla("--repo=\(repo.box.repo.path)", "status", in: elsewhere).status == 0)
        let date = try repo.box.sla("status", "--today", "2027-02-30")
        #expect(date.status == 1 && date.stderr.contains("not a real date"), "\(date)")
        #expect(try repo.box.sla("status", "--today", "1.2.2027").stderr.contains("YYYY-MM-DD"))
    }

    @Test("abandoning a revision with edits that are not committed is refused unless --force; nothing is lost")
    func discardKeepsEdits() throws {
        let box = try RefusalTests.repositoryWithRevision()
        let edited = String(decoding: try box.read(Example.draft), as: UTF8.self).replacingOccurrences(
            of: "sql_per_month: 40", with: "sql_per_month: 44")
        try box.write(edited, to: Example.draft)
        let before = try box.snapshot()
        let refused = try box.sla("revise", Example.id, "--discard")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not committed") && refused.stderr.contains("--discard --force"), "\(refused)")
        #expect(try box.snapshot() == before, "nothing written, the edits kept")
        let forced = try box.sla("revise", Example.id, "--discard", "--force")
        #expect(forced.status == 0, "\(forced)")
        #expect(!box.exists(Example.draft))
        #expect(try box.git("status", "--porcelain") == "")
        // An untracked draft (never committed) is all uncommitted work: refused as well.
        try box.write(edited, to: Example.draft)
        #expect(try box.sla("revise", Example.id, "--discard").status == 1)
        #expect(box.exists(Example.draft))
    }

    @Test("init refuses a file and a directory inside another repository")
    func initPlaces() throws {
        let box = try Sandbox()
        try box.initRepository()
        try box.write("x\n", to: "afile")
        let onFile = try box.sla("init", box.repo.appendingPathComponent("afile").path)
        #expect(onFile.status == 1 && onFile.stderr.contains("is a file, not a directory"), "\(onFile)")
        let nested = try box.sla("init", box.repo.appendingPathComponent("agreements").path)
        #expect(nested.status == 1 && nested.stderr.contains("is inside the git repository"), "\(nested)")
        #expect(!box.exists("agreements/.git"))
        // A refusal makes no folder either.
        let deeper = try box.sla("init", box.repo.appendingPathComponent("newdir/deeper").path)
        #expect(deeper.status == 1 && deeper.stderr.contains("is inside the git repository"), "\(deeper)")
        #expect(!box.exists("newdir"))
        let again = try box.sla("init", box.repo.path)
        #expect(again.status == 0 && again.stdout.contains("already a git repository"))
    }

    @Test("check works on a file outside any repository, and a byte-order mark is no error")
    func checkLooseFile() throws {
        let box = try Sandbox()
        let file = box.home.appendingPathComponent("sent-by-email.yaml")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(try Example.text.utf8)).write(to: file)
        let result = try box.sla("check", file.path, in: box.home)
        #expect(result.status == 0, "\(result)")
        try Data(try Example.text.replacingOccurrences(of: "importance: 1 }", with: "importance: 9 }").utf8).write(to: file)
        let bad = try box.sla("check", file.path, in: box.home)
        #expect(bad.status == 1 && bad.stderr.contains("importance must be 1..5, got 9"), "\(bad)")
    }

    @Test("check ID does not repeat the warnings of frozen versions; check FILE still shows them")
    func frozenWarnings() throws {
        let repo = try SignedRepository()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 1") }
        let all = try repo.box.sla("check", Example.id)
        #expect(all.status == 0 && !all.stderr.contains("versions/v2.yaml"), "\(all)")
        let file = try repo.box.sla("check", Example.version(2))
        #expect(file.status == 0 && file.stderr.contains("warning: \(Example.version(2))"), "\(file)")
    }

    @Test("check warns of a folder that is no agreement id and of a file outside the layout; the exit status stays")
    func misplaced() throws {
        let repo = try SignedRepository()
        try repo.box.write("id: Foo\n", to: "agreements/Foo/draft.yaml")
        try repo.box.write("x\n", to: "agreements/acme-sales-marketing/Draft.yaml")
        try repo.box.write("x\n", to: "agreements/acme-sales-marketing/signatures/v1/notes.txt")
        let result = try repo.box.sla("check")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("warning: agreements/Foo:1:1: 'Foo' is not an agreement id"), "\(result)")
        #expect(result.stderr.contains("warning: agreements/acme-sales-marketing/Draft.yaml:1:1: does not belong"), "\(result)")
        // signatures/v1/notes.txt is a signature file by its place: the layout says so, not its name.
        #expect(!result.stderr.contains("notes.txt"), "\(result)")
    }

    @Test("calendar --out and remind --state in a folder that does not exist are refused; no folder is made")
    func missingFolders() throws {
        let repo = try SignedRepository()
        let absent = repo.box.root.appendingPathComponent("no-such-folder")
        let calendar = try repo.box.sla("calendar", "--out", absent.appendingPathComponent("sla.ics").path, "--today", "2026-12-01")
        #expect(calendar.status == 1 && calendar.stderr.contains("does not exist"), "\(calendar)")
        let remind = try repo.box.sla("remind", "--state", absent.appendingPathComponent("state").path, "--today", "2026-12-02")
        #expect(remind.status == 1 && remind.stderr.contains("does not exist"), "\(remind)")
        #expect(!FileManager.default.fileExists(atPath: absent.path))
        // Control: an existing folder is written to.
        let written = try repo.box.sla("calendar", "--out", repo.box.root.appendingPathComponent("sla.ics").path, "--today", "2026-12-01")
        #expect(written.status == 0, "\(written)")
    }

    @Test("sla alone is a usage error; a key that is not a file is refused")
    func edges() throws {
        let repo = try SignedRepository()
        #expect(try repo.box.sla().status == 64)
        let fifo = repo.box.root.appendingPathComponent("key.fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let result = try repo.box.run(Sandbox.slaBinary.path, ["sign", Example.id, "--key", fifo.path])
        #expect(result.status == 1 && result.stderr.contains("not a regular file"), "\(result)")
    }

    /// libgit2 starts on another thread while the arguments are parsed: a command that stops at
    /// once (the version, help, a usage error, a malformed id) still exits as it should, every time.
    @Test("commands that stop at once exit cleanly while libgit2 starts beside them")
    func earlyExits() throws {
        let box = try Sandbox()
        let cases: [(arguments: [String], status: Int32)] = [
            (["--version"], 0), (["activate", "--help"], 0), (["no-such-command"], 64), (["activate"], 64),
            (["log", "Not_An_Id"], 1), (["verify", "--repo", box.root.appendingPathComponent("absent").path], 1),
            (["help", "check"], 0), (["help", "hooks", "install"], 0), (["help", "no-such-command"], 64),
            (["help", "hooks", "no-such"], 64), (["--version", "extra"], 64), (["serve", "--port", "99999"], 1),
        ]
        for (arguments, status) in cases {
            for _ in 0..<5 {
                let result = try box.run(Sandbox.slaBinary.path, arguments)
                #expect(result.status == status, "sla \(arguments.joined(separator: " ")): \(result)")
            }
        }
        #expect(try box.run(Sandbox.slaBinary.path, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("a hook sla did not install is never overwritten, whatever its bytes")
    func foreignHook() throws {
        let repo = try SignedRepository()
        let hook = repo.box.repo.appendingPathComponent(".git/hooks/pre-commit")
        // "#!/bin/sh\n", then bytes that are not UTF-8.
        let foreign = Data([0x23, 0x21, 0x2F, 0x62, 0x69, 0x6E, 0x2F, 0x73, 0x68, 0x0A, 0xFF, 0xFE, 0x0A])
        try foreign.write(to: hook)
        let result = try repo.box.sla("hooks", "install")
        #expect(result.status == 1 && result.stderr.contains("was not installed by sla"), "\(result)")
        #expect(try Data(contentsOf: hook) == foreign)
    }

    @Test("the diff driver is set up for drafts and versions only")
    func driverScope() throws {
        let repo = try SignedRepository()
        #expect(try repo.box.sla("hooks", "install").status == 0)
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        #expect(try repo.box.sla("activate", Example.id, "--today", "2026-12-01").status == 0)
        let show = try repo.box.git("show", "--ext-diff", "HEAD")
        #expect(show.contains("+- version: 1"), "\(show)")
        #expect(!show.contains("must be a mapping"))
        let attributes = try String(contentsOf: repo.box.repo.appendingPathComponent(".git/info/attributes"), encoding: .utf8)
        #expect(attributes == "agreements/*/draft.yaml diff=sla\nagreements/*/versions/*.yaml diff=sla\n")
    }
}

@Suite("Small things that cost trust")
struct SmallThingsTests {
    @Test("sla init follows init.defaultBranch, as git init does")
    func defaultBranch() throws {
        let box = try Sandbox()
        try box.git("config", "--global", "init.defaultBranch", "trunk", in: box.root)
        #expect(try box.sla("init", box.repo.path).status == 0)
        #expect(try box.git("symbolic-ref", "HEAD") == "refs/heads/trunk\n")
    }

    @Test("right after the first proposal, diff says what would work")
    func diffAfterFirstProposal() throws {
        let repo = try SignedRepository()
        let diff = try repo.box.sla("diff", Example.id)
        #expect(diff.status == 1)
        #expect(diff.stderr.contains("sla show \(Example.id) v1") && !diff.stderr.contains("v1 draft`,"), "\(diff)")
    }

    @Test("a principal with ø is told to use ASCII")
    func asciiPrincipal() throws {
        let repo = try SignedRepository()
        #expect(try repo.box.sla("revise", Example.id).status == 0)
        let text = String(decoding: try repo.box.read(Example.draft), as: UTF8.self).replacingOccurrences(
            of: "principal: soren@acme.dk", with: "principal: søren@acme.dk")
        try repo.box.write(text, to: Example.draft)
        let check = try repo.box.sla("check", Example.id)
        #expect(check.status == 1 && check.stderr.contains("ASCII letters"), "\(check)")
    }

    @Test("check --format json gives the problems as data only, exit 1")
    func checkJSON() throws {
        let box = try Sandbox()
        try box.initRepository()
        #expect(try box.sla("new", "team-a", "--lang", "en").status == 0)
        let check = try box.sla("check", "team-a", "--format", "json")
        #expect(check.status == 1)
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) is [String: Any])
    }

    @Test("init's help shows its default once")
    func initHelp() throws {
        let help = try Sandbox().sla("init", "--help")
        #expect(help.stdout.components(separatedBy: "default").count - 1 == 1, "\(help.stdout)")
    }
}

@Suite("Choosing the signing key")
struct SigningKeyTests {
    @Test("without --key: ~/.ssh/id_ed25519 when the version lists it, else git config user.signingkey; sla says which")
    func defaultKey() throws {
        let repo = try SignedRepository()
        // Mette's key as her ~/.ssh/id_ed25519.
        let ssh = repo.box.home.appendingPathComponent(".ssh")
        try FileManager.default.createDirectory(at: ssh, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repo.mette, to: ssh.appendingPathComponent("id_ed25519"))
        try FileManager.default.copyItem(atPath: repo.mette.path + ".pub", toPath: ssh.appendingPathComponent("id_ed25519.pub").path)
        let signed = try repo.box.sla("sign", Example.id)
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stderr.contains("Using the key") && signed.stderr.contains("id_ed25519"), "\(signed.stderr)")
        #expect(repo.box.exists(SignedRepository.signature(1, "mette@acme.dk")))
        // Søren's key named in git config wins over ~/.ssh.
        try repo.box.git("config", "user.signingkey", repo.soren.path)
        let configured = try repo.box.sla("sign", Example.id)
        #expect(configured.status == 0 && configured.stderr.contains("user.signingkey"), "\(configured)")
        #expect(repo.box.exists(SignedRepository.signature(1, "soren@acme.dk")))
    }

    @Test("without --key and no usable key: exit 1, saying how to name one")
    func noKey() throws {
        let repo = try SignedRepository()
        let result = try repo.box.sla("sign", Example.id)
        #expect(result.status == 1 && result.stderr.contains("--key PATH"), "\(result)")
    }
}

@Suite("A fresh template")
struct FreshTemplateTests {
    @Test("optional fields are not errors, and what is left to fill is grouped by section with a count", arguments: ["da", "en"])
    func leftToFill(_ language: String) throws {
        let box = try Sandbox()
        try box.initRepository()
        #expect(try box.sla("new", "team-a", "--lang", language).status == 0)
        let check = try box.sla("check", "team-a")
        #expect(check.status == 1)
        for optional in ["description must not be empty", "target must not be empty", "good_match_low_engagement must not be empty"] {
            #expect(!check.stderr.contains(optional), "\(optional)")
        }
        let errors = check.stderr.split(separator: "\n").filter { $0.contains("must not be empty") }.count
        let counts = check.stderr.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(". ") }
            .compactMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        #expect(check.stderr.contains("left to fill in agreements/team-a/draft.yaml:"))
        #expect(!counts.isEmpty && counts.reduce(0, +) == errors, "\(check.stderr)")
        #expect(check.stderr.contains(language == "da" ? "7. Gyldighed: 1" : "7. Validity: 1"), "\(check.stderr)")
    }
}

@Suite("Help texts")
struct HelpTextTests {
    static let commands = [
        "init", "new", "revise", "renew", "check", "propose", "diff", "show", "sign", "allowed-signers",
        "activate", "verify", "status", "remind", "calendar", "log", "sync", "hooks install", "hook",
    ]

    @Test("paragraphs are wrapped by the parser, never broken in the middle of a sentence by the source", arguments: commands)
    func paragraphs(_ command: String) throws {
        let help = try Sandbox().run(Sandbox.slaBinary.path, command.split(separator: " ").map(String.init) + ["--help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A short line followed by one that goes on with a lower-case word is a break the source
        // made at its own width, which the parser then wrapped again.
        for (line, next) in zip(lines, lines.dropFirst()) where !line.hasPrefix(" ") && !line.isEmpty && line.count < 50 {
            let continues = next.first?.isLowercase == true && !next.hasPrefix("sla ")
            #expect(!continues, "'\(line)' / '\(next)'")
        }
    }
}
