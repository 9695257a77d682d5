import Foundation
import Testing

/// Histories that sla itself never makes but plain git does: octopus merges, an unrelated
/// history merged in, the same entry appended on two branches, criss-cross merges, and very
/// long chains. Each ends in a clear verdict — no trap, no stack overflow — for `verify` and
/// for the server hook.
@Suite("Odd histories")
struct OddHistoryTests {
    /// `sla log --format json` as (kind, commit) pairs.
    static func logEvents(_ repo: SignedRepository) throws -> [(kind: String, commit: String)] {
        let log = try repo.box.sla("log", Example.id, "--format", "json")
        guard log.status == 0, let events = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]] else {
            throw SandboxError("sla log failed: \(log)")
        }
        return events.map { ($0["kind"] as? String ?? "", $0["commit"] as? String ?? "") }
    }

    /// A commit with no parent on branch `branch` holding only `text` at `path`, made with plain
    /// git; main is checked out again afterwards. Returns its id.
    @discardableResult
    static func unrelatedRoot(_ repo: SignedRepository, branch: String, _ text: String, at path: String) throws -> String {
        try repo.box.git("checkout", "-q", "--orphan", branch)
        try repo.box.git("rm", "-q", "-r", "-f", ".")
        try repo.commitWithGit(text, to: path, message: "another root")
        let root = try repo.head()
        try repo.box.git("checkout", "-q", "main")
        return root
    }

    /// Branches `a` (Mette signs), `b` (Søren signs) and `c` (a file outside agreements/), all
    /// from v1's proposal, made with `sla sign` and plain git.
    static func threeBranches() throws -> SignedRepository {
        let repo = try SignedRepository()
        for (branch, key) in [("a", repo.mette), ("b", repo.soren)] {
            try repo.box.git("checkout", "-q", "-b", branch, "main")
            try #require(try repo.sign(key).status == 0)
        }
        try repo.box.git("checkout", "-q", "-b", "c", "main")
        try repo.commitWithGit("Notes\n", to: "docs/notes.md", message: "notes")
        try repo.box.git("checkout", "-q", "main")
        return repo
    }

    @Test("an octopus merge of three branches is checked against every parent: both signatures count once")
    func octopus() throws {
        let repo = try Self.threeBranches()
        try repo.box.git("merge", "-q", "--no-edit", "a", "b", "c")
        #expect(try repo.box.git("rev-list", "--parents", "-n", "1", "HEAD").split(separator: " ").count == 4)
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 0, "\(verify)")
        #expect(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
        let signed = try Self.logEvents(repo).filter { $0.kind == "signed" }
        #expect(signed.count == 2 && Set(signed.map(\.commit)).count == 2, "\(signed)")
    }

    @Test("an octopus merge that keeps a tree without the signatures is a fault of the merge")
    func octopusKeepingOldTree() throws {
        let repo = try Self.threeBranches()
        try repo.box.git("merge", "-q", "--no-edit", "a", "b")
        try #require(try repo.activate().status == 0)
        let main = try repo.head()
        let c = try repo.box.git("rev-parse", "c").trimmed
        let merge = try repo.mergeKeeping(tree: c, parents: [c, main, try repo.box.git("rev-parse", "a").trimmed])
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: merge, "deleted")
    }

    @Test("an unrelated history merged in: harmless when it has no agreements, a fault when it brings other bytes")
    func secondRoot() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let main = try repo.head()
        try Self.unrelatedRoot(repo, branch: "stray", "Imported\n", at: "imported.md")
        try repo.box.git("merge", "-q", "--no-edit", "--allow-unrelated-histories", "stray")
        #expect(try repo.box.sla("verify").status == 0)
        #expect(try repo.inForce() == "v1")

        // A second root with its own v1 of the same agreement (other bytes), merged keeping main's tree.
        let forged = try SignedRepository.agreement(
            mette: try repo.box.publicKeyLine(repo.mette), soren: try repo.box.publicKeyLine(repo.soren)
        ) {
            $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 4")
        }
        let root = try Self.unrelatedRoot(repo, branch: "forged", forged, at: Example.version(1))
        let merge = try repo.mergeKeeping(tree: main, parents: [try repo.head(), root])
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: merge, "versions/v1.yaml")
    }

    @Test("the same entry appended on two branches merges cleanly; different entries cannot be merged")
    func sameEntryOnTwoBranches() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let signedTip = try repo.head()
        try repo.box.git("branch", "other")
        try #require(try repo.activate(today: "2026-12-01").status == 0)
        try repo.box.git("checkout", "-q", "other")
        // Something else first, so the two activation commits differ even within one second.
        try repo.commitWithGit("Notes\n", to: "docs/notes.md", message: "notes")
        try #require(try repo.activate(today: "2026-12-01").status == 0)
        try repo.box.git("checkout", "-q", "main")
        try repo.box.git("merge", "-q", "--no-edit", "other")
        #expect(try repo.box.git("rev-list", "--parents", "-n", "1", "HEAD").split(separator: " ").count == 3)
        #expect(try repo.box.sla("verify").status == 0)
        #expect(try repo.inForce() == "v1")

        // Activated on another day on a third branch: the logs diverge at the merge.
        try repo.box.git("checkout", "-q", "-b", "third", signedTip)
        try #require(try repo.activate(today: "2026-12-02").status == 0)
        try repo.box.git("checkout", "-q", "main")
        let tip = try repo.head()
        let third = try repo.box.git("rev-parse", "third").trimmed
        let merge = try repo.mergeKeeping(tree: tip, parents: [tip, third])
        #expect(try repo.inForce() == "faulted")
        try repo.expectFault(naming: merge, "append-only")
    }

    @Test("criss-cross merges: each signature is judged where it is new and listed once")
    func crissCross() throws {
        let repo = try Self.threeBranches()
        let a = try repo.box.git("rev-parse", "a").trimmed
        let b = try repo.box.git("rev-parse", "b").trimmed
        try repo.box.git("checkout", "-q", "a")
        try repo.box.git("merge", "-q", "--no-edit", b)
        try repo.box.git("checkout", "-q", "b")
        try repo.box.git("merge", "-q", "--no-edit", a)
        try repo.box.git("checkout", "-q", "main")
        try repo.box.git("reset", "-q", "--hard", "a")
        try repo.box.git("merge", "-q", "--no-edit", "b")
        #expect(try repo.box.sla("verify").status == 0)
        #expect(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
        let signed = try Self.logEvents(repo).filter { $0.kind == "signed" }
        #expect(signed.count == 2, "\(signed)")
    }

    @Test("the server hook judges octopus merges and a second root against every parent")
    func hookOnOddMerges() throws {
        let (repo, server) = try ServerHookTests.published()
        for (branch, key) in [("a", repo.mette), ("b", repo.soren)] {
            try repo.box.git("checkout", "-q", "-b", branch, "main")
            try #require(try repo.sign(key).status == 0)
        }
        try repo.box.git("checkout", "-q", "main")
        try repo.box.git("merge", "-q", "--no-edit", "a", "b")
        let push = try repo.box.run("/usr/bin/git", ["push", "-q", "origin", "main"])
        #expect(push.status == 0, "\(push)")
        try #require(try repo.activate().status == 0)
        #expect(try repo.box.run("/usr/bin/git", ["push", "-q", "origin", "main"]).status == 0)

        // An octopus keeping v1's proposal tree (no signatures, no log) with a second root.
        let tip = try repo.head()
        let root = try Self.unrelatedRoot(repo, branch: "stray", "Imported\n", at: "imported.md")
        let proposal = try repo.box.git("rev-parse", "sla/\(Example.id)/v1^{commit}").trimmed
        let merge = try repo.mergeKeeping(tree: proposal, parents: [tip, root, proposal])
        try ServerHookTests.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: String(merge.prefix(7)))
    }

    /// `count` commits on top of main written by `git fast-import`, each changing the draft;
    /// commit `faultAt` (1-based) deletes Mette's signature and the next one restores it.
    static func longChain(_ repo: SignedRepository, count: Int, faultAt: Int? = nil) throws -> [Int: String] {
        let head = try repo.head()
        let signature = SignedRepository.signature(1, "mette@acme.dk")
        let blob = try repo.box.git("rev-parse", "HEAD:\(signature)").trimmed
        var stream = ""
        stream.reserveCapacity(count * 200)
        for n in 1...count {
            stream += "commit refs/heads/main\nmark :\(n)\ncommitter Lars Nielsen <lars@acme.dk> \(1_780_000_000 + n) +0000\n"
            stream += "data \("c\(n)".utf8.count)\nc\(n)\n"
            if n == 1 { stream += "from \(head)\n" }
            stream += "M 100644 inline \(Example.draft)\ndata \("\(n)\n".utf8.count)\n\(n)\n"
            if n == faultAt { stream += "D \(signature)\n" }
            if let faultAt, n == faultAt + 1 { stream += "M 100644 \(blob) \(signature)\n" }
            stream += "\n"
        }
        let marks = repo.box.root.appendingPathComponent("marks")
        let imported = try repo.box.run(
            "/usr/bin/git", ["fast-import", "--quiet", "--export-marks=\(marks.path)"], stdin: Data(stream.utf8))
        guard imported.status == 0 else { throw SandboxError("fast-import failed: \(imported)") }
        try repo.box.git("reset", "-q", "--hard", "main")
        var ids: [Int: String] = [:]
        for line in try String(contentsOf: marks, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let n = Int(parts[0].dropFirst()) { ids[n] = String(parts[1]) }
        }
        return ids
    }

    @Test("a chain of 100,000 commits: verify, status and show active give their verdict without trapping")
    func longChainVerdicts() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let count = 100_000
        _ = try Self.longChain(repo, count: count)
        #expect(try repo.box.git("rev-list", "--count", "HEAD").trimmed == "\(count + 4)")
        let verify = try repo.box.slaBounded(["verify"], seconds: 300)
        #expect(verify.status == 0, "\(verify)")
        let status = try repo.box.slaBounded(["status", "--format", "json", "--today", "2027-02-01"], seconds: 300)
        #expect(status.status == 0 && status.stdout.contains("\"in_force_version\" : 1"), "\(status)")
        #expect(try repo.inForce() == "v1")
        // The audit trail lists every commit that touched the agreement: 100,000 draft edits.
        let log = try repo.box.slaBounded(["log", Example.id], seconds: 300)
        #expect(log.status == 0 && log.stdout.contains("activated v1"), "\(log.stderr)")
        #expect(log.stdout.split(separator: "\n").count > count, "\(log.stdout.suffix(300))")
    }

    @Test("a fault in the middle of a 20,000-commit chain is named, and the server hook refuses the push")
    func longChainFault() throws {
        let (repo, server) = try ServerHookTests.published()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        #expect(try repo.box.sla("sync").status == 0)
        let ids = try Self.longChain(repo, count: 20_000, faultAt: 12_345)
        let culprit = try #require(ids[12_345])
        try repo.expectFault(naming: culprit, "mette@acme.dk.sig")
        try ServerHookTests.expectRefused(server, ["origin", "main"], in: repo.box.repo, cause: String(culprit.prefix(7)))

        // The same chain without the fault lands.
        try repo.box.git("reset", "-q", "--hard", "origin/main")
        _ = try Self.longChain(repo, count: 20_000)
        let push = try repo.box.run("/usr/bin/git", ["push", "-q", "origin", "main"])
        #expect(push.status == 0, "\(push)")
        #expect(try server.refs().contains(try repo.head()))
    }
}
