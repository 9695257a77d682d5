import Foundation
import Testing

/// What a faulted agreement still allows (explicit versions) and what it refuses; and the
/// messages of activation: scheduled, in force, already activated.
@Suite("Fail closed, and activation messages")
struct FailClosedTests {
    @Test("a faulted agreement: active, allowed-signers, renew and the default diff refuse; explicit versions still show")
    func faulted() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.box.git("rm", "-q", SignedRepository.signature(1, "mette@acme.dk"))
        try repo.box.git("commit", "-qm", "drop")
        let fault = String(try repo.head().prefix(7))
        for arguments in [
            ["show", SignedRepository.id, "active"], ["allowed-signers", SignedRepository.id],
            ["renew", SignedRepository.id, "--effective", "2027-07-01"], ["diff", SignedRepository.id],
            ["diff", SignedRepository.id, "active", "v2"], ["activate", SignedRepository.id, "v2"],
        ] {
            let before = try repo.box.snapshot()
            let dated = arguments[0] == "allowed-signers" ? arguments : arguments + ["--today", "2027-02-01"]
            let result = try repo.box.run(Sandbox.slaBinary.path, dated)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.contains("faulted") && result.stderr.contains(fault), "\(arguments): \(result.stderr)")
            #expect(try repo.box.snapshot() == before, "\(arguments) wrote something")
        }
        for arguments in [
            ["show", SignedRepository.id, "v1"], ["show", SignedRepository.id, "latest"], ["diff", SignedRepository.id, "v1", "v2"],
        ] {
            let result = try repo.box.run(Sandbox.slaBinary.path, arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
    }

    @Test("activating a version that takes effect later says it is scheduled; again is a no-op; show active says when")
    func scheduled() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let first = try repo.box.sla("activate", SignedRepository.id, "--today", "2026-12-01")
        #expect(first.status == 0 && first.stdout.contains("scheduled") && first.stdout.contains("2027-01-01"), "\(first)")
        let before = try repo.box.snapshot()
        let again = try repo.box.sla("activate", SignedRepository.id, "v1", "--today", "2026-12-03", "--format", "json")
        #expect(again.status == 0, "\(again)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(json["already_activated"] as? Bool == true && json["version"] as? Int == 1 && json["commit"] is NSNull, "\(json)")
        #expect(try repo.box.snapshot() == before)
        let early = try repo.box.sla("show", SignedRepository.id, "active", "--today", "2026-12-15")
        #expect(early.status == 1 && early.stderr.contains("v1 is scheduled to take effect on 2027-01-01"), "\(early)")
        #expect(try repo.inForce(today: "2027-01-01") == "v1")
    }
}
