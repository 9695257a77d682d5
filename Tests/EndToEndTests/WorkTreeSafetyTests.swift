import Foundation
import Testing

/// What a command finds in the work tree or in `.git` that would let its commit land but not
/// its files, index or tag: refused before anything is written (from a sweep with plain git).
@Suite("Work tree and lock files")
struct WorkTreeSafetyTests {
    @Test("a folder on the way that is a symbolic link: sign refuses, writing nothing outside or inside")
    func symlinkedFolder() throws {
        let repo = try SignedRepository()
        let outside = repo.box.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: repo.box.repo.appendingPathComponent("agreements/acme-sales-marketing/signatures"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: repo.box.repo.appendingPathComponent("agreements/acme-sales-marketing/signatures/v1"), withDestinationURL: outside)
        let before = try repo.box.snapshot()
        let signed = try repo.sign(repo.mette)
        #expect(signed.status == 1 && signed.stderr.contains("is a symbolic link"), "\(signed)")
        #expect(try repo.box.snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test("git's index locked by a running git command: activate refuses before committing")
    func indexLocked() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try Data().write(to: repo.box.repo.appendingPathComponent(".git/index.lock"))
        let before = try repo.box.snapshot()
        let activated = try repo.activate()
        #expect(
            activated.status == 1 && activated.stderr.contains("the lock file") && activated.stderr.contains("index.lock"), "\(activated)")
        #expect(try repo.box.snapshot() == before)
        try FileManager.default.removeItem(at: repo.box.repo.appendingPathComponent(".git/index.lock"))
        #expect(try repo.activate().status == 0)
        #expect(try repo.box.git("status", "--porcelain") == "")
    }

    @Test("a lock left on the version tag's ref: propose refuses before committing, and works once it is gone")
    func tagLocked() throws {
        let repo = try SignedRepository()
        #expect(try repo.box.sla("revise", Example.id).status == 0)
        let draft = String(decoding: try repo.box.read(Example.draft), as: UTF8.self)
        try repo.box.write(draft.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41"), to: Example.draft)
        let lock = repo.box.repo.appendingPathComponent(".git/refs/tags/sla/acme-sales-marketing/v2.lock")
        try FileManager.default.createDirectory(at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: lock)
        let before = try repo.box.snapshot()
        let proposed = try repo.box.sla("propose", Example.id)
        #expect(proposed.status == 1 && proposed.stderr.contains("the lock file \(lock.path) exists"), "\(proposed)")
        #expect(try repo.box.snapshot() == before)
        try FileManager.default.removeItem(at: lock)
        #expect(try repo.box.sla("propose", Example.id).status == 0)
        #expect(try repo.box.git("tag", "--list", "sla/*").contains("sla/acme-sales-marketing/v2"))
    }

    @Test("hooks install in a linked work tree puts the diff attributes where every work tree reads them")
    func linkedWorkTreeAttributes() throws {
        let repo = try SignedRepository()
        let linked = repo.box.root.appendingPathComponent("linked")
        try repo.box.git("worktree", "add", "-q", linked.path)
        let installed = try repo.box.sla("hooks", "install", "--repo", linked.path)
        #expect(installed.status == 0, "\(installed)")
        for folder in [linked, repo.box.repo] {
            let attribute = try repo.box.git("check-attr", "diff", "agreements/acme-sales-marketing/versions/v1.yaml", in: folder)
            #expect(attribute.contains("diff: sla"), "\(folder.lastPathComponent): \(attribute)")
        }
    }

    @Test("init refuses a folder whose agreements is a file before git init writes anything; hooks alone is wrong usage")
    func initAndUsage() throws {
        let box = try Sandbox()
        let folder = box.root.appendingPathComponent("new-repo")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("agreements"))
        let result = try box.sla("init", folder.path, in: box.root)
        #expect(result.status == 1 && result.stderr.contains("is a file"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path))
        #expect(try box.sla("hooks", in: box.root).status == 64)
    }

    @Test("a bare repository (a server's copy) is never committed to directly: its hook would be skipped")
    func bareRepository() throws {
        let repo = try SignedRepository()
        let bare = repo.box.root.appendingPathComponent("server.git")
        try repo.box.git("clone", "-q", "--bare", repo.box.repo.path, bare.path)
        try repo.box.git("-C", bare.path, "config", "user.name", "Lars Nielsen")
        try repo.box.git("-C", bare.path, "config", "user.email", "lars@acme.dk")
        let before = try repo.box.git("-C", bare.path, "for-each-ref")
        for arguments in [["sign", Example.id, "--key", repo.mette.path], ["new", "other"], ["revise", Example.id]] {
            let result = try repo.box.run(Sandbox.slaBinary.path, arguments + ["--repo", bare.path])
            #expect(result.status == 1 && result.stderr.contains("bare repository"), "\(arguments): \(result)")
        }
        #expect(try repo.box.git("-C", bare.path, "for-each-ref") == before)
    }

    @Test("renew refuses a date whose renewal would be due after 9999-12-31, writing nothing")
    func renewTooLate() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let before = try repo.box.snapshot()
        let renewed = try repo.box.sla("renew", Example.id, "--effective", "9999-12-31")
        #expect(renewed.status == 1 && renewed.stderr.contains("after 9999-12-31"), "\(renewed)")
        #expect(try repo.box.snapshot() == before)
    }
}
