import Foundation
import Testing

/// Probes against activations.yaml: hand edits, reordering, rollback, YAML tricks.
@Suite("Attack: hand-edited activations")
struct AttackActivationTests {
    /// v1 activated by both; v2 swaps Søren's key for Mallory's and is signed only by Mette
    /// and Mallory: rule 3 (v1's signatories) is not met, so v2 must never be in force.
    func selfApprovedV2() throws -> SignedRepository {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let intruder = try repo.box.makeKey("mallory")
        let oldLine = try repo.box.publicKeyLine(repo.soren)
        let newLine = try repo.box.publicKeyLine(intruder)
        try repo.proposeRevision { $0.replacingOccurrences(of: oldLine, with: newLine) }
        try #require(try repo.sign(repo.mette, "v2").status == 0)
        try #require(try repo.sign(intruder, "v2").status == 0)
        try #require(try repo.activate("v2").status == 1)
        return repo
    }

    @Test("removing v1's entry and writing one for a self-approved v2 does not put v2 in force")
    func rewrittenActivations() throws {
        let repo = try selfApprovedV2()
        try repo.commitWithGit(try repo.activationEntry(2), to: repo.activationsPath, message: "rewrite history")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("append-only"), "\(verify.stderr)")
        // v2 was never approved by v1's signatories, who were in force: a record written by hand
        // can never put a version in force.
        #expect(try repo.inForce() != "v2")
    }

    @Test("a self-approved v2 listed before v1 does not put v2 in force")
    func reorderedActivations() throws {
        let repo = try selfApprovedV2()
        let v1 = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        try repo.commitWithGit(try repo.activationEntry(2) + v1, to: repo.activationsPath, message: "reorder")
        #expect(try repo.box.sla("verify").status == 1)
        #expect(try repo.inForce() != "v2")
    }

    @Test("appending a record for a self-approved v2 after v1 counts for nothing")
    func appendedRecord() throws {
        let repo = try selfApprovedV2()
        let v1 = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        try repo.commitWithGit(v1 + (try repo.activationEntry(2)), to: repo.activationsPath, message: "append")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("not approved"), "\(verify.stderr)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("duplicates and a higher version first: only entries that hold count")
    func duplicatesAndOrder() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        try repo.signBoth("v2")
        let e1 = try repo.activationEntry(1)
        let e2 = try repo.activationEntry(2)
        try repo.commitWithGit(e1 + e1, to: repo.activationsPath)
        let dup = try repo.box.sla("verify")
        #expect(dup.status == 1 && dup.stderr.contains("no rollback"), "\(dup)")
        // The duplicate does not count, and the agreement fails closed.
        #expect(try repo.inForce() == "faulted")
        let activated = try repo.activate("v2", today: "2026-12-02")
        #expect(activated.status == 1 && activated.stderr.contains("faulted"), "\(activated)")
        // A rollback entry appended by hand to an honest log does not count either.
        let honest = try SignedRepository()
        try honest.signBoth()
        try honest.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        try honest.signBoth("v2")
        #expect(try honest.activate("v1").status == 0)
        #expect(try honest.activate("v2", today: "2026-12-02").status == 0)
        #expect(try honest.inForce() == "v2")
        let text = String(decoding: try honest.box.read(honest.activationsPath), as: UTF8.self)
        try honest.commitWithGit(text + (try honest.activationEntry(1)), to: honest.activationsPath, message: "rollback by hand")
        #expect(try honest.inForce() == "faulted")
        #expect(try honest.box.sla("verify").status == 1)
        #expect(try honest.activate("v1").status == 1)
        _ = e2
    }

    @Test("activate on an activations.yaml with a malformed entry either refuses or leaves the version in force")
    func activateAfterMalformedEntry() throws {
        let cases = [
            ("malformed entry", { (e1: String) in e1 + "- version: one\n  sha256: x\n  activated_at: 2026-12-01\n  activated_by: x\n" }),
            ("anchor", { (e1: String) in e1.replacingOccurrences(of: "- version: 1", with: "- &a\n  version: 1") }),
            ("second document", { (e1: String) in e1 + "---\n- version: 9\n" }),
        ]
        for (label, make) in cases {
            let repo = try SignedRepository()
            try repo.signBoth()
            try repo.commitWithGit(make(try repo.activationEntry(1)), to: repo.activationsPath, message: label)
            try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
            try repo.signBoth("v2")
            let before = try repo.box.snapshot()
            let result = try repo.activate("v2", today: "2026-12-02")
            if result.status == 0 {
                // It reported success: the entry it wrote must then count.
                let file = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
                #expect(try repo.inForce() == "v2", "\(label): activate exit 0, but v2 is not in force:\n\(file)")
            } else {
                #expect(result.status == 1, "\(label): \(result)")
                #expect(try repo.box.snapshot() == before, "\(label): a refused activate wrote something")
            }
        }
    }

    @Test("a huge activations.yaml is refused quickly, without a crash")
    func hugeActivations() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let entry = try repo.activationEntry(1)
        let big = entry + String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 40_000)
        try repo.commitWithGit(big, to: repo.activationsPath)
        let verify = try repo.box.slaBounded(["verify"], seconds: 60)
        #expect(verify.status == 1, "\(verify)")
        #expect(try repo.inForce() == "faulted")
    }

    @Test("the version file of an activated version replaced later: the entry stops holding")
    func activatedVersionChanged() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        let text = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self)
        try repo.commitWithGit(
            text.replacingOccurrences(of: "response_time_hours: 24", with: "response_time_hours: 96"), to: Example.version(1))
        #expect(try repo.inForce() == "faulted")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("a proposed version was changed"), "\(verify)")
    }

    @Test("a version file replaced by a submodule entry and back is caught by verify")
    func versionThroughGitlink() throws {
        let repo = try SignedRepository()
        let path = Example.version(1)
        let original = try repo.box.read(path)
        let commit = try repo.box.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.box.git("rm", "-q", "--cached", path)
        try repo.box.git("update-index", "--add", "--cacheinfo", "160000,\(commit),\(path)")
        try repo.box.git("commit", "-qm", "gitlink")
        let midway = try repo.box.sla("verify")
        #expect(midway.status == 1 && midway.stderr.contains("a proposed version was"), "a version replaced by a gitlink: \(midway)")
        try repo.box.git("rm", "-q", "--cached", path)
        var changed = original
        changed.append(contentsOf: Data("# changed\n".utf8))
        try repo.box.write(changed, to: path)
        try repo.box.git("add", path)
        try repo.box.git("commit", "-qm", "back, changed")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("a proposed version was"), "\(verify)")
    }
}
