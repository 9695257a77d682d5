import Foundation
import Testing

/// The hooks `sla hooks install` puts in a clone, run by the real git: pre-commit for `git
/// commit`, pre-merge-commit for a merge git makes without a conflict.
@Suite("The local hooks, run by git")
struct LocalHookTests {
    static func installed() throws -> SignedRepository {
        let repo = try SignedRepository()
        let result = try repo.box.sla("hooks", "install", "--sla", Sandbox.slaBinary.path)
        guard result.status == 0, result.stdout.contains("pre-merge-commit hook") else { throw SandboxError("hooks install: \(result)") }
        return repo
    }

    @Test("git commit of a deleted signature is refused by the pre-commit hook; nothing is committed")
    func commitRefused() throws {
        let repo = try Self.installed()
        try repo.signBoth()
        let head = try repo.box.git("rev-parse", "HEAD").trimmed
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "soren@acme.dk"))
        let commit = try repo.box.gitResult("commit", "-qm", "drop a signature")
        #expect(commit.status != 0, "\(commit)")
        #expect(
            commit.stderr.contains("a signature file was deleted") && commit.stderr.contains("git restore --staged"), "\(commit.stderr)")
        #expect(try repo.box.git("rev-parse", "HEAD").trimmed == head)
    }

    @Test("git merge of a branch that deleted a signature is refused by pre-merge-commit; an honest merge passes")
    func mergeRefused() throws {
        let repo = try Self.installed()
        try repo.signBoth()
        // A side branch that drops Søren's signature, committed past the hook.
        try repo.box.git("checkout", "-q", "-b", "side")
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "soren@acme.dk"))
        try repo.box.git("commit", "-q", "--no-verify", "-m", "drop a signature")
        try repo.box.git("checkout", "-q", "main")
        try repo.box.write("minutes\n", to: "notes.txt")
        try repo.box.git("add", "notes.txt")
        try repo.box.git("commit", "-qm", "notes")
        let head = try repo.box.git("rev-parse", "HEAD").trimmed
        let merge = try repo.box.gitResult("merge", "--no-edit", "side")
        #expect(merge.status != 0, "\(merge)")
        #expect(merge.stderr.contains("a signature file was deleted") && merge.stderr.contains("git merge --abort"), "\(merge.stderr)")
        #expect(try repo.box.git("rev-parse", "HEAD").trimmed == head)
        try repo.box.git("merge", "--abort")

        // Control: a branch that activates v1 merges without a word.
        try repo.box.git("checkout", "-q", "-b", "honest", head)
        #expect(try repo.activate("v1").status == 0)
        try repo.box.git("checkout", "-q", "main")
        try repo.box.write("more minutes\n", to: "notes.txt")
        try repo.box.git("commit", "-qam", "more notes")
        let honest = try repo.box.gitResult("merge", "--no-edit", "honest")
        #expect(honest.status == 0, "\(honest)")
        #expect(try repo.box.git("rev-list", "--parents", "-n", "1", "HEAD").split(separator: " ").count == 3)
        #expect(try repo.box.sla("verify").status == 0)
    }

    @Test("the hook scripts in hooks/ are the ones install writes")
    func scriptsInProject() throws {
        let repo = try Self.installed()
        for name in ["pre-commit", "pre-merge-commit"] {
            let project = try String(contentsOf: Example.projectRoot.appendingPathComponent("hooks/\(name)"), encoding: .utf8)
            let written = try String(contentsOf: repo.box.repo.appendingPathComponent(".git/hooks/\(name)"), encoding: .utf8)
            #expect(
                written.replacingOccurrences(of: Sandbox.slaBinary.path, with: "sla").replacingOccurrences(
                    of: "${SLA_BIN:-'sla'}", with: "${SLA_BIN:-sla}") == project, "\(name)")
        }
    }
}
