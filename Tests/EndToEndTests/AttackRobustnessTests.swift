import Foundation
import Testing

/// Probes for traps, hangs and exit codes above 64, and for refusing commands that write.
@Suite("Attack: crashes, hangs and odd input")
struct AttackRobustnessTests {
    static let maxVersion = "v\(Int.max)"

    @Test("a hand-committed versions/v9223372036854775807.yaml: propose, revise, sign and verify do not trap")
    func maximumVersionNumber() throws {
        let repo = try SignedRepository()
        let v1 = try repo.box.read(Example.version(1))
        try repo.box.write(v1, to: "agreements/acme-sales-marketing/versions/\(Self.maxVersion).yaml")
        try repo.box.git("add", "-A")
        try repo.box.git("commit", "-qm", "huge version number")
        for arguments in [
            ["verify"], ["show", Example.id], ["diff", Example.id], ["log", Example.id],
            ["allowed-signers", Example.id], ["activate", Example.id, "--today", "2026-12-01"],
        ] {
            let result = try repo.box.slaBounded(arguments)
            #expect(result.status <= 1, "sla \(arguments.joined(separator: " ")): \(result)")
        }
        let signed = try repo.box.slaBounded(["sign", Example.id, "--key", repo.mette.path])
        #expect(signed.status <= 1, "\(signed)")
        // Version numbers stop at 999 999 999, so that file is no version (verify calls it a stray
        // file): revise copies v1, and propose makes v2 — or refuses — but never traps.
        let revise = try repo.box.slaBounded(["revise", Example.id])
        #expect(revise.status <= 1, "\(revise)")
        if repo.box.exists(Example.draft) {
            let draft = String(decoding: try repo.box.read(Example.draft), as: UTF8.self)
            try repo.box.write(draft.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 42"), to: Example.draft)
            let before = try repo.box.snapshot()
            let propose = try repo.box.slaBounded(["propose", Example.id])
            #expect(propose.status <= 1, "\(propose)")
            if propose.status == 1 {
                #expect(try repo.box.snapshot() == before, "a refused propose wrote something")
            } else {
                #expect(repo.box.exists(Example.version(2)))
            }
            let verify = try repo.box.slaBounded(["verify"])
            #expect(verify.status == 1 && verify.stderr.contains("does not belong in an agreement's folder"), "\(verify)")
        }
    }

    @Test("a file name and an author holding terminal escapes are printed as escapes: they cannot repaint verify's verdict")
    func terminalEscapes() throws {
        let repo = try SignedRepository()
        try repo.box.git("config", "user.name", "Evil\u{1B}[2K\rRed")
        #expect(try repo.sign(repo.mette).status == 0)
        let name = "agreements/\(Example.id)/x\r\u{1B}[1A\u{1B}[2Kno faults\u{202E}"
        try repo.box.write("z", to: name)
        try repo.box.git("add", "--", name)
        try repo.box.git("-c", "core.hooksPath=/dev/null", "commit", "-qm", "a name that repaints the line")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("x\\x0D\\x1B[1A\\x1B[2Kno faults\\u202E"), "\(verify)")
        let log = try repo.box.sla("log", Example.id)
        #expect(log.stdout.contains("Evil\\x1B[2K\\x0DRed"), "\(log)")
        for output in [verify.stdout, verify.stderr, log.stdout, log.stderr] {
            #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{202E}" }, "\(output)")
        }
        // On a terminal, status paints the state with colour codes of its own, and still shows
        // the file name's as escapes.
        let painted = try repo.box.run(
            "/usr/bin/script", ["-qec", "\"$SLA\" status", "/dev/null"],
            environment: ["SLA": Sandbox.slaBinary.path, "NO_COLOR": "", "TERM": "xterm"])
        #expect(painted.stdout.contains("\u{1B}[31mfaulted\u{1B}[0m"), "\(painted)")
        #expect(painted.stdout.contains("\\x1B[1A") && !painted.stdout.contains("\u{1B}[1A"), "\(painted)")
        // show: a draft is never judged; on a terminal its escape sequences show as escapes,
        // into a pipe it is the file byte for byte.
        try repo.box.write("# \u{1B}[2J\u{202E}\n", to: Example.draft)
        let shown = try repo.box.run(
            "/usr/bin/script", ["-qec", "\"$SLA\" show \(Example.id) draft", "/dev/null"],
            environment: ["SLA": Sandbox.slaBinary.path, "TERM": "xterm"])
        #expect(shown.stdout.contains("# \\x1B[2J\\u202E"), "\(shown)")
        #expect(try repo.box.sla("show", Example.id, "draft").stdout == "# \u{1B}[2J\u{202E}\n")
    }

    @Test("odd version arguments are refused with exit 1 or 64, never a trap")
    func oddVersions() throws {
        let repo = try SignedRepository()
        let versions = [
            "v0", "v-1", "v+1", "v01", "V1", "v1 ", " v1", "v", "", "v99999999999999999999", Self.maxVersion,
            "v\(Int.max - 1)", "v1\n", "v١", "v１", String(repeating: "v", count: 100_000), "v" + String(repeating: "9", count: 100_000),
        ]
        for version in versions {
            for command in [
                ["show", Example.id, version], ["sign", Example.id, version, "--key", repo.mette.path],
                ["activate", Example.id, version, "--today", "2026-12-01"], ["allowed-signers", Example.id, version],
                ["diff", Example.id, version], ["diff", Example.id, "v1", version],
            ] {
                let before = try repo.box.snapshot()
                let result = try repo.box.slaBounded(command)
                #expect(isOrderlyRefusal(result), "sla \(command.map { $0.prefix(40) }.joined(separator: " ")): \(result)")
                #expect(try repo.box.snapshot() == before)
            }
        }
    }

    @Test("odd agreement ids are refused with exit 1 or 64, never a trap")
    func oddIDs() throws {
        let repo = try SignedRepository()
        let ids = [
            "", "-", "A", "../agreements", "acme-sales-marketing/", "acme-sales-marketing/../acme-sales-marketing", ".", "..",
            String(repeating: "a", count: 64), String(repeating: "a", count: 100_000), "acme\u{200B}", "ａｃｍｅ", "-rf",
        ]
        for id in ids {
            for command in [
                ["show", id], ["check", id], ["sign", id, "--key", repo.mette.path], ["activate", id],
                ["verify", id], ["log", id], ["allowed-signers", id], ["revise", id], ["propose", id], ["diff", id],
                ["new", id],
            ] {
                let before = try repo.box.snapshot()
                let result = try repo.box.slaBounded(command)
                #expect(isOrderlyRefusal(result), "sla \(command.map { $0.prefix(40) }.joined(separator: " ")): \(result)")
                #expect(try repo.box.snapshot() == before, "sla \(command.map { $0.prefix(40) }.joined(separator: " ")) wrote something")
            }
        }
    }

    @Test("malformed and extreme --today values: exit 1 for malformed, never a trap")
    func oddDates() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let malformed = [
            "0000-01-01", "10000-01-01", "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "+2026-01-01",
            "２０２６-01-01", "2026-01-01T00:00:00Z", "", "-0001-01-01", "99999999999999999999-01-01",
        ]
        for date in malformed {
            for command in [["show", Example.id, "active"], ["diff", Example.id], ["new", "other", "--today"]] {
                let arguments = command.last == "--today" ? command + [date] : command + ["--today", date]
                let result = try repo.box.slaBounded(arguments)
                #expect(result.status == 1 || result.status == 64, "sla \(arguments.joined(separator: " ")): \(result)")
            }
        }
        for date in ["0001-01-01", "9999-12-31", "2028-02-29"] {
            for command in [["show", Example.id, "active"], ["diff", Example.id], ["diff", Example.id, "active", "latest"]] {
                let result = try repo.box.slaBounded(command + ["--today", date])
                #expect(result.status <= 1, "sla \(command.joined(separator: " ")) --today \(date): \(result)")
            }
        }
        let new = try repo.box.slaBounded(["new", "far-future", "--today", "9999-12-31"])
        #expect(new.status <= 1, "sla new --today 9999-12-31 (effective_from would be 10000-01-01): \(new)")
    }

    @Test("sla check on /dev/null and on a directory exits 1")
    func checkSpecialPaths() throws {
        let repo = try SignedRepository()
        for path in ["/dev/null", repo.box.root.path, "/nonexistent/file.yaml"] {
            let result = try repo.box.slaBounded(["check", path], seconds: 20)
            #expect(result.status == 1, "sla check \(path): \(result)")
        }
    }

    @Test("sla check on a FIFO does not hang")
    func checkFIFO() throws {
        let repo = try SignedRepository()
        let fifo = repo.box.root.appendingPathComponent("pipe.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try repo.box.slaBounded(["check", fifo], seconds: 15)
        #expect(result.status == 1, "sla check FIFO: \(result)")
    }

    @Test("sla check on /dev/zero is refused quickly and within bounded memory")
    func checkDevZero() throws {
        let repo = try SignedRepository()
        let result = try repo.box.slaBounded(["check", "/dev/zero"], seconds: 20, memoryKiB: 4 * 1024 * 1024)
        #expect(result.status == 1, "sla check /dev/zero: \(result)")
    }

    @Test("sla check on sparse 2 GiB, 100 GiB and 1 TiB files is refused quickly, without reading them")
    func checkSparseFiles() throws {
        let repo = try SignedRepository()
        for (name, size) in [("two-gib.yaml", Int64(2) << 30), ("hundred-gib.yaml", Int64(100) << 30), ("one-tib.yaml", Int64(1) << 40)] {
            let path = repo.box.root.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, off_t(size)) == 0)
            let start = Date()
            let result = try repo.box.slaBounded(["check", path], seconds: 30)
            #expect(result.status == 1, "sla check \(name): \(result)")
            #expect(Date().timeIntervalSince(start) < 10, "\(name) took \(Date().timeIntervalSince(start)) s")
            #expect(result.stderr.contains("1 MiB"), "\(result.stderr)")
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @Test("a draft.yaml that is a 100 GiB sparse file, a FIFO or a directory: check and propose refuse quickly, writing nothing")
    func oddDrafts() throws {
        for kind in ["sparse", "fifo", "directory"] {
            let repo = try SignedRepository()
            let draft = repo.box.repo.appendingPathComponent(Example.draft).path
            switch kind {
            case "sparse":
                #expect(FileManager.default.createFile(atPath: draft, contents: nil))
                #expect(truncate(draft, off_t(Int64(100) << 30)) == 0)
            case "fifo":
                #expect(mkfifo(draft, 0o600) == 0)
            default:
                try FileManager.default.createDirectory(atPath: draft, withIntermediateDirectories: true)
            }
            let before = try repo.box.snapshot()
            for command in [["check", Example.id], ["propose", Example.id], ["revise", Example.id], ["diff", Example.id]] {
                let result = try repo.box.slaBounded(command, seconds: 15)
                #expect(result.status <= 1 && result.status >= 0, "\(kind) draft, sla \(command.joined(separator: " ")): \(result)")
                if command[0] == "check" || command[0] == "propose" {
                    #expect(result.status == 1, "\(kind) draft, sla \(command.joined(separator: " ")): \(result)")
                }
            }
            #expect(try repo.box.snapshot() == before, "\(kind) draft: something was written")
        }
    }

    /// (A FIFO without a writer blocks `sla sign --key` in open(2), as it blocks ssh-keygen -f:
    /// not probed here, since `--key <(…)` is a legitimate use of a FIFO.)
    @Test("sla sign with an RSA key, a FIDO key, a missing path, a directory, an empty file or /dev/zero: exit 1, nothing written")
    func badKeys() throws {
        let repo = try SignedRepository()
        let rsa = repo.box.root.appendingPathComponent("keys/rsa").path
        let made = try repo.box.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa])
        try #require(made.status == 0, "\(made)")
        // A FIDO public key line: string("sk-ssh-ed25519@openssh.com") string(32 bytes) string("ssh:").
        var blob = Data()
        func string(_ bytes: Data) {
            var n = UInt32(bytes.count).bigEndian
            blob.append(Data(bytes: &n, count: 4))
            blob.append(bytes)
        }
        string(Data("sk-ssh-ed25519@openssh.com".utf8))
        string(Data(repeating: 7, count: 32))
        string(Data("ssh:".utf8))
        let fido = repo.box.root.appendingPathComponent("keys/fido.pub").path
        try Data("sk-ssh-ed25519@openssh.com \(blob.base64EncodedString()) fido\n".utf8).write(to: URL(fileURLWithPath: fido))
        let empty = repo.box.root.appendingPathComponent("keys/empty").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())

        let cases: [(String, String?)] = [
            (rsa, nil), (rsa + ".pub", nil), (fido, "FIDO"), (repo.box.root.appendingPathComponent("keys/missing").path, nil),
            (repo.box.root.appendingPathComponent("keys").path, nil), (empty, nil), ("/dev/zero", nil), ("/dev/null", nil), ("", nil),
        ]
        for (path, mention) in cases {
            let before = try repo.box.snapshot()
            let result = try repo.box.slaBounded(["sign", Example.id, "--key", path], seconds: 15, memoryKiB: 4 * 1024 * 1024)
            #expect(result.status == 1, "sign --key \(path): \(result)")
            if let mention { #expect(result.stderr.contains(mention), "\(result.stderr)") }
            #expect(try repo.box.snapshot() == before, "sign --key \(path) wrote something")
        }
    }

    @Test("sla sign where the signature file has uncommitted changes refuses and leaves them alone")
    func signOverDirtyFile() throws {
        let repo = try SignedRepository()
        let path = SignedRepository.signature(1, "mette@acme.dk")
        try repo.box.write("my own notes\n", to: path)
        let head = try repo.box.git("rev-parse", "HEAD")
        let result = try repo.sign(repo.mette)
        #expect(result.status == 1, "\(result)")
        #expect(String(decoding: try repo.box.read(path), as: UTF8.self) == "my own notes\n")
        #expect(try repo.box.git("rev-parse", "HEAD") == head)
    }
}
