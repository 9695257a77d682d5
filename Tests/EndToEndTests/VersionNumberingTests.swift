import Foundation
import Testing

/// Versions are numbered 1, 2, 3, … without gaps: a signature of vN names v(N-1)'s hash, so a
/// v(N-1) that arrived after vN would void vN's signatures without a fault, and a jump to the
/// highest number would leave no number for the owner's next version.
@Suite("Version numbers, with plain git")
struct VersionNumberingTests {
    @Test("a version committed with a gap below it is a fault of that commit; filling the gap later does not cure it")
    func gap() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        let v1 = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self)
        try repo.commitWithGit(v1.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45"), to: Example.version(3))
        let gap = try repo.box.git("rev-parse", "HEAD").trimmed
        try repo.expectFault(naming: gap, "a new version v3 without v2")
        #expect(try repo.inForce() == "faulted")
        // Filling the gap afterwards: still faulted, naming the commit that made the gap.
        try repo.commitWithGit(v1.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 42"), to: Example.version(2))
        try repo.expectFault(naming: gap, "without v2")
        let activate = try repo.activate("v1")
        #expect(activate.status == 1 && activate.stderr.contains("faulted"), "\(activate)")
    }

    @Test("propose refuses after the highest version number, writing nothing")
    func highest() throws {
        let repo = try SignedRepository()
        let v1 = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self)
        try repo.commitWithGit(v1, to: "agreements/acme-sales-marketing/versions/v999999999.yaml")
        try repo.box.write(v1.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45"), to: Example.draft)
        let head = try repo.box.git("rev-parse", "HEAD").trimmed
        let proposed = try repo.box.sla("propose", SignedRepository.id)
        #expect(proposed.status == 1 && proposed.stderr.contains("the highest version number"), "\(proposed)")
        #expect(try repo.box.git("rev-parse", "HEAD").trimmed == head)
        #expect(try repo.box.git("tag", "--list", "sla/*").trimmed == "sla/acme-sales-marketing/v1")
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("a new version v999999999 without v999999998"), "\(verify)")
    }
}
