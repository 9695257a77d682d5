import Foundation
import Testing

/// A bare repository with the server hook, served by `git daemon --enable=receive-pack` on a
/// free loopback port, as a team's git server would serve it.
final class GitServer {
    let box: Sandbox
    let bare: URL
    let url: String
    private let daemon: Process

    /// The output of `sla hooks install --server`.
    let installed: RunResult

    /// - Parameter branch: the branch the bare repository's HEAD names (`git init --bare -b`).
    init(_ box: Sandbox, branch: String = "main") throws {
        self.box = box
        let root = box.root.appendingPathComponent("served")
        bare = root.appendingPathComponent("acme.git")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try box.git("init", "-q", "--bare", "-b", branch, bare.path, in: box.root)
        installed = try box.sla("hooks", "install", "--server", "--repo", bare.path, "--sla", Sandbox.slaBinary.path)
        guard installed.status == 0 else { throw SandboxError("hooks install failed: \(installed)") }
        var started: (Process, Int)?
        for _ in 0..<20 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            let process = Process()
            // git-daemon itself (not `git daemon`, which would leave it behind when killed).
            process.executableURL = URL(fileURLWithPath: try Self.execPath(box) + "/git-daemon")
            process.arguments = [
                "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
                "--port=\(port)", "--base-path=\(root.path)", root.path,
            ]
            process.environment = box.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Ready when it accepts a connection; a port taken by another process makes it exit.
            for _ in 0..<100 {
                if !process.isRunning { break }
                if Self.accepts(port) {
                    started = (process, port)
                    break
                }
                usleep(20_000)
            }
            if started == nil {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        guard let (process, port) = started else { throw SandboxError("git daemon did not start") }
        daemon = process
        url = "git://127.0.0.1:\(port)/acme.git"
    }

    deinit {
        // Children of the test process may start with SIGTERM blocked: SIGKILL.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
    }

    static func execPath(_ box: Sandbox) throws -> String {
        try box.git("--exec-path", in: box.root).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The server's refs, `REF OBJECT` lines: what a refused push must leave unchanged.
    func refs() throws -> String {
        try box.git("-C", bare.path, "for-each-ref", "--format=%(refname) %(objectname)", in: box.root)
    }

    /// A clone of the server in `name`, with its own committer identity.
    func clone(_ name: String, email: String) throws -> URL {
        let folder = box.root.appendingPathComponent(name)
        try box.git("clone", "-q", url, folder.path, in: box.root)
        try box.git("config", "user.name", name, in: folder)
        try box.git("config", "user.email", email, in: folder)
        return folder
    }
}

@Suite("The server hook and sla sync, against git daemon on 127.0.0.1")
struct ServerHookTests {
    /// The example agreement proposed in the sandbox's repository, pushed to a fresh server.
    static func published() throws -> (SignedRepository, GitServer) {
        let repo = try SignedRepository()
        let server = try GitServer(repo.box)
        try repo.box.git("remote", "add", "origin", server.url)
        let synced = try repo.box.sla("sync")
        guard synced.status == 0 else { throw SandboxError("first sync failed: \(synced)") }
        return (repo, server)
    }

    /// A plain `git push` that the hook must refuse, leaving the server unchanged and naming `cause`.
    static func expectRefused(
        _ server: GitServer, _ arguments: [String], in folder: URL, cause: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try server.refs()
        let push = try server.box.run("/usr/bin/git", ["push"] + arguments, in: folder)
        #expect(push.status != 0, "the push should be refused: \(push)", sourceLocation: sourceLocation)
        #expect(push.stderr.contains("pre-receive hook declined"), "\(push.stderr)", sourceLocation: sourceLocation)
        #expect(push.stderr.contains(cause), "the refusal should say '\(cause)': \(push.stderr)", sourceLocation: sourceLocation)
        #expect(try server.refs() == before, "the server must be unchanged", sourceLocation: sourceLocation)
    }

    @Test("two clones sign the same version at once and sync: both signatures land, and v1 can be activated")
    func concurrentSigning() throws {
        let (repo, server) = try Self.published()
        let other = try server.clone("soren-laptop", email: "soren@acme.dk")
        #expect(try repo.sign(repo.mette).status == 0)
        #expect(try repo.box.sla("sign", Example.id, "--key", repo.soren.path, in: other).status == 0)
        let first = try repo.box.sla("sync", in: other)
        #expect(first.status == 0, "\(first)")
        // Before syncing, commands say that the remote has something this clone lacks.
        try repo.box.git("fetch", "-q", "origin")
        let status = try repo.box.sla("status")
        #expect(status.stderr.contains("origin/main has 1 commit this clone lacks") && status.stderr.contains("sla sync"), "\(status)")
        let second = try repo.box.sla("sync")
        #expect(second.status == 0 && second.stdout.contains("Merged origin/main"), "\(second)")
        let files = try repo.box.git("-C", server.bare.path, "ls-tree", "-r", "--name-only", "main", in: repo.box.root)
        #expect(files.contains("signatures/v1/mette@acme.dk.sig") && files.contains("signatures/v1/soren@acme.dk.sig"))
        #expect(try repo.activate().status == 0)
        #expect(try repo.box.sla("sync").status == 0)
        #expect(try repo.box.sla("sync", in: other).stdout.contains("Updated main"))
        #expect(
            try repo.box.sla("status", "--format", "json", "--today", "2027-02-01", in: other).stdout.contains("\"in_force_version\" : 1"))
        #expect(try repo.box.run("/usr/bin/git", ["-C", server.bare.path, "fsck", "--strict"], in: repo.box.root).status == 0)
    }

    @Test("a deleted signature is refused, naming the file")
    func deletedSignature() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        #expect(try repo.box.sla("sync").status == 0)
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "soren@acme.dk"))
        try repo.box.git("commit", "-qm", "remove a signature")
        try Self.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: "soren@acme.dk.sig: a signature file was deleted")
    }

    @Test("a version file of mode 120755 (a symlink to git, a file to libgit2) is refused")
    func unusualMode() throws {
        let (repo, server) = try Self.published()
        try repo.box.commitWithMode("120755", at: "agreements/acme-sales-marketing/versions/v1.yaml")
        try Self.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: "mode 120755")
    }

    @Test("a server whose HEAD names a branch without commits refuses a push to another branch, which it would not protect")
    func unbornHead() throws {
        let repo = try SignedRepository()
        let server = try GitServer(repo.box, branch: "master")
        #expect(server.installed.stdout.contains("HEAD names refs/heads/master, which has no commits"), "\(server.installed)")
        try repo.box.git("remote", "add", "origin", server.url)
        try Self.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: "git symbolic-ref HEAD refs/heads/main")
        try repo.box.git("-C", server.bare.path, "symbolic-ref", "HEAD", "refs/heads/main")
        let synced = try repo.box.sla("sync")
        #expect(synced.status == 0, "\(synced)")
    }

    @Test("a server whose HEAD is detached refuses every push: there is no main branch to keep")
    func detachedHead() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        #expect(try repo.activate().status == 0)
        #expect(try repo.box.sla("sync").status == 0)
        let tip = try repo.head()
        try repo.box.git("-C", server.bare.path, "update-ref", "--no-deref", "HEAD", tip)
        try Self.expectRefused(server, ["--force", "origin", "main~1:main"], in: repo.box.repo, cause: "does not name a branch")
        try Self.expectRefused(server, ["origin", ":main"], in: repo.box.repo, cause: "does not name a branch")
    }

    @Test("an activation entry written by hand on a side branch before the signatures is refused, even once they arrive")
    func sideBranchEntry() throws {
        let (repo, server) = try Self.published()
        try repo.box.git("checkout", "-q", "-b", "side")
        try repo.commitWithGit(try repo.activationEntry(1), to: repo.activationsPath, message: "entry before the signatures")
        try Self.expectRefused(server, ["origin", "side"], in: repo.box.repo, cause: "does not count")
        try repo.box.git("checkout", "-q", "main")
        try repo.signBoth()
        try repo.box.git("merge", "-q", "--no-edit", "side")
        try Self.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: "does not count")
    }

    @Test("a merge that keeps its own tree and drops the other side's activation is refused")
    func mergeDroppingActivation() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        let beforeActivation = try repo.head()
        #expect(try repo.activate().status == 0)
        #expect(try repo.box.sla("sync").status == 0)
        try repo.box.git("checkout", "-q", "-b", "attack", beforeActivation)
        try repo.commitWithGit("# nothing\n", to: "notes.txt", message: "unrelated")
        try repo.box.git("merge", "-q", "-s", "ours", "--no-edit", "main")
        try repo.box.git("push", "-q", ".", "HEAD:refs/heads/main", "--force")
        try Self.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: "activation log")
    }

    @Test("rewriting or deleting the main branch, and moving, deleting or misnaming version tags, are refused")
    func refRules() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        #expect(try repo.box.sla("sync").status == 0)
        try repo.box.git("reset", "-q", "--hard", "HEAD~1")
        try Self.expectRefused(server, ["--force", "origin", "main"], in: repo.box.repo, cause: "rewinds or rewrites the main branch")
        try Self.expectRefused(server, ["origin", ":main"], in: repo.box.repo, cause: "deletes the main branch")
        try Self.expectRefused(
            server, ["origin", ":refs/tags/sla/acme-sales-marketing/v1"], in: repo.box.repo, cause: "deletes a version tag")
        try repo.box.git("tag", "-f", "-a", "-m", "moved", "sla/acme-sales-marketing/v1", "HEAD")
        try Self.expectRefused(
            server, ["--force", "origin", "refs/tags/sla/acme-sales-marketing/v1"], in: repo.box.repo,
            cause: "moves a version tag")
        // A refused tag is mended by taking the server's tags, not by resetting a branch.
        let tagPush = try server.box.run(
            "/usr/bin/git", ["push", "--force", "origin", "refs/tags/sla/acme-sales-marketing/v1"], in: repo.box.repo)
        #expect(tagPush.stderr.contains("git fetch --tags --force") && !tagPush.stderr.contains("reset --hard"), "\(tagPush.stderr)")
        try repo.box.git("tag", "-a", "-m", "odd", "sla/acme-sales-marketing/v01", "HEAD")
        try Self.expectRefused(
            server, ["origin", "refs/tags/sla/acme-sales-marketing/v01"], in: repo.box.repo, cause: "is not shaped sla/ID/vN")
        // On a file system that ignores case, SLA/… would share a folder with sla/….
        try repo.box.git("tag", "-a", "-m", "case", "SLA/acme-sales-marketing/v1", "HEAD~1")
        try Self.expectRefused(
            server, ["origin", "refs/tags/SLA/acme-sales-marketing/v1"], in: repo.box.repo, cause: "differs from sla/ only in case")
        // Case folding as such a file system does it: U+017F (long s) is s; a tag SLA is the folder sla.
        try repo.box.git("tag", "-a", "-m", "case", "\u{17F}la/acme-sales-marketing/v1", "HEAD~1")
        try Self.expectRefused(
            server, ["origin", "refs/tags/\u{17F}la/acme-sales-marketing/v1"], in: repo.box.repo, cause: "differs from sla/ only in case")
        try repo.box.git("tag", "-d", "SLA/acme-sales-marketing/v1")
        try repo.box.git("tag", "SLA", "HEAD~1")
        try Self.expectRefused(server, ["origin", "refs/tags/SLA"], in: repo.box.repo, cause: "differs from sla/ only in case")
        try Self.expectRefused(
            server, ["origin", "HEAD~1:refs/heads/MAIN"], in: repo.box.repo,
            cause: "differs from the main branch refs/heads/main only in case")
        try repo.box.git("tag", "-a", "-m", "early", "sla/acme-sales-marketing/v2", "HEAD")
        try Self.expectRefused(
            server, ["origin", "refs/tags/sla/acme-sales-marketing/v2"], in: repo.box.repo,
            cause: "has no agreements/acme-sales-marketing/versions/v2.yaml")
        // A version tag on a tree is no version tag.
        let tree = try repo.box.git("rev-parse", "HEAD^{tree}").trimmed
        try Self.expectRefused(
            server, ["origin", "\(tree):refs/tags/sla/acme-sales-marketing/v3"], in: repo.box.repo, cause: "which is not a commit")
        // A replace ref would make git on the server show other bytes for v1 than were signed.
        let version = try repo.box.git("rev-parse", "HEAD:agreements/acme-sales-marketing/versions/v1.yaml").trimmed
        try repo.box.write("evil: other terms\n", to: "other.txt")
        let other = try repo.box.git("hash-object", "-w", "other.txt").trimmed
        try Self.expectRefused(server, ["origin", "\(other):refs/replace/\(version)"], in: repo.box.repo, cause: "replace ref")
    }

    @Test("a version pushed with a gap below it is refused: a later lower version would void its signatures")
    func versionGap() throws {
        let (repo, server) = try Self.published()
        let v1 = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self)
        try repo.commitWithGit(v1.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45"), to: Example.version(3))
        try Self.expectRefused(
            server, ["origin", "main"], in: repo.box.repo,
            cause: "agreements/acme-sales-marketing/versions/v3.yaml: a new version v3 without v2")
    }

    @Test("sla sync reports the server's refusal and leaves the local branch as it was")
    func syncRefused() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "mette@acme.dk"))
        try repo.box.git("commit", "-qm", "remove a signature")
        let before = try repo.head()
        let refs = try server.refs()
        let sync = try repo.box.sla("sync")
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("refused the push") && sync.stderr.contains("mette@acme.dk.sig"), "\(sync.stderr)")
        #expect(try repo.head() == before)
        #expect(try server.refs() == refs)
    }

    @Test("two clones that each activated cannot be merged: sync refuses before merging and says what to do")
    func bothActivated() throws {
        let (repo, server) = try Self.published()
        try repo.signBoth()
        #expect(try repo.box.sla("sync").status == 0)
        let other = try server.clone("soren-laptop", email: "soren@acme.dk")
        #expect(try repo.activate().status == 0)
        #expect(try repo.box.sla("activate", Example.id, "--today", "2026-12-02", in: other).status == 0)
        #expect(try repo.box.sla("sync", in: other).status == 0)
        let before = try repo.head()
        let sync = try repo.box.sla("sync")
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("each activated something") && sync.stderr.contains("git reset --hard origin/main"), "\(sync.stderr)")
        #expect(try repo.head() == before)
    }

    @Test("two sla sign processes on one repository at once: both land, or one says to try again; never a lost commit")
    func concurrentProcesses() throws {
        for _ in 0..<6 {
            let repo = try SignedRepository()
            let script = "\"$1\" sign \(Example.id) v1 --key \"$2\" > \"$3.out\" 2>&1; echo $? > \"$3.rc\""
            let both = "(sh -c '\(script)' x \"$1\" \"$2\" \"$4/a\" &); sh -c '\(script)' x \"$1\" \"$3\" \"$4/b\"; wait; sleep 0.5"
            try repo.box.run("/bin/sh", ["-c", both, "both", Sandbox.slaBinary.path, repo.mette.path, repo.soren.path, repo.box.root.path])
            // Wait for the background one to finish.
            for _ in 0..<100 where !FileManager.default.fileExists(atPath: repo.box.root.appendingPathComponent("a.rc").path) {
                usleep(50_000)
            }
            let files = try repo.box.git("ls-tree", "-r", "--name-only", "HEAD")
            for (name, principal) in [("a", "mette@acme.dk"), ("b", "soren@acme.dk")] {
                let rc = try String(contentsOf: repo.box.root.appendingPathComponent("\(name).rc"), encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                let out = try String(contentsOf: repo.box.root.appendingPathComponent("\(name).out"), encoding: .utf8)
                if rc == "0" {
                    #expect(files.contains("signatures/v1/\(principal).sig"), "a signature reported as committed must be in HEAD: \(out)")
                } else {
                    #expect(rc == "1" && out.contains("again"), "the loser says to run it again: \(out)")
                }
            }
            let status = try repo.box.git("status", "--porcelain")
            let outputs = try ["a", "b"].map { try String(contentsOf: repo.box.root.appendingPathComponent("\($0).out"), encoding: .utf8) }
            #expect(status == "", "\(status) \(outputs)")
            #expect(try repo.box.run("/usr/bin/git", ["fsck", "--strict"]).status == 0)
        }
    }

    @Test("sync refuses a remote on this machine: libgit2 would skip its hook")
    func localRemote() throws {
        let repo = try SignedRepository()
        try repo.box.git("init", "-q", "--bare", repo.box.root.appendingPathComponent("local.git").path, in: repo.box.root)
        try repo.box.git("remote", "add", "origin", repo.box.root.appendingPathComponent("local.git").path)
        let sync = try repo.box.sla("sync")
        #expect(sync.status == 1 && sync.stderr.contains("git push --follow-tags origin"), "\(sync)")
    }
}
