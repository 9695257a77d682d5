import Foundation
import Testing

@Suite("sla renew")
struct RenewTests {
    @Test("renew opens a revision that changes only effective_from, to the renewal due date by default")
    func renewDefault() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.sign(repo.soren)
        #expect(try repo.box.sla("activate", SignedRepository.id, "--today", "2026-12-01").status == 0)

        // Before v1 takes effect nothing is in force, so there is no due date to default to.
        let early = try repo.box.sla("renew", SignedRepository.id, "--today", "2026-12-15")
        #expect(early.status == 1)
        #expect(early.stderr.contains("pass --effective DATE"))

        let renewed = try repo.box.sla("renew", SignedRepository.id, "--today", "2027-06-01")
        #expect(renewed.status == 0, "\(renewed)")
        #expect(renewed.stdout.contains("from 2027-07-01"))
        let old = String(decoding: try repo.box.read(Example.version(1)), as: UTF8.self).components(separatedBy: "\n")
        let new = String(decoding: try repo.box.read(Example.draft), as: UTF8.self).components(separatedBy: "\n")
        #expect(old.count == new.count)
        let changed = zip(old, new).filter { $0 != $1 }
        #expect(changed.count == 1)
        #expect(changed.first?.0.contains("effective_from: 2027-01-01") == true)
        #expect(changed.first?.1.contains("effective_from: 2027-07-01") == true)
        #expect(try repo.box.git("status", "--porcelain") == "")

        let diff = try repo.box.sla("diff", SignedRepository.id, "--format", "json", "--today", "2027-06-01")
        #expect(diff.stdout.contains("\"path\": \"validity.effective_from\""))
        #expect(try repo.box.sla("renew", SignedRepository.id, "--effective", "2027-08-01").stderr.contains("already open"))
    }
}
