import Foundation
import Testing

@Suite("sla renew")
struct RenewTests {
    @Test("renew opens a revision of the latest activated version that changes only effective_from, to its renewal due date by default")
    func renewDefault() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()

        // Nothing is in force before 2027-01-01, but v1 is activated (scheduled): a renewal
        // starts from it all the same.
        let renewed = try repo.box.sla("renew", SignedRepository.id, "--today", "2026-12-15")
        #expect(renewed.status == 0, "\(renewed)")
        #expect(renewed.stdout.contains("taking effect 2027-07-01"))
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

    @Test("renew of a version with CRLF line ends changes only effective_from, and keeps every CRLF")
    func renewCRLF() throws {
        let box = try Sandbox()
        try box.initRepository()
        let mette = try box.makeKey("mette")
        let soren = try box.makeKey("soren")
        let text = try SignedRepository.agreement(mette: box.publicKeyLine(mette), soren: box.publicKeyLine(soren))
            .replacingOccurrences(of: "\n", with: "\r\n")
        try box.write(text, to: Example.draft)
        #expect(try box.sla("propose", Example.id).status == 0)
        for key in [mette, soren] { #expect(try box.sla("sign", Example.id, "--key", key.path).status == 0) }
        #expect(try box.sla("activate", Example.id, "--today", "2026-12-01").status == 0)
        let renewed = try box.sla("renew", Example.id, "--today", "2027-06-01")
        #expect(renewed.status == 0, "\(renewed)")
        let expected = text.replacingOccurrences(of: "effective_from: 2027-01-01\r\n", with: "effective_from: 2027-07-01\r\n")
        #expect(expected != text)
        #expect(String(decoding: try box.read(Example.draft), as: UTF8.self) == expected)
    }

    @Test("a date not after the version's own effective_from is refused, and nothing is written")
    func renewTooEarly() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        let before = try repo.box.snapshot()
        for date in ["2026-12-31", "2027-01-01"] {
            let early = try repo.box.sla("renew", SignedRepository.id, "--effective", date)
            #expect(early.status == 1, "\(early)")
            #expect(early.stderr.contains("after v1's own effective_from (2027-01-01)"))
        }
        #expect(try repo.box.snapshot() == before)
        let ok = try repo.box.sla("renew", SignedRepository.id, "--effective", "2027-01-02")
        #expect(ok.status == 0, "\(ok)")
    }

    @Test("renew refuses an agreement with nothing activated, naming what to do")
    func renewNothingActivated() throws {
        let repo = try SignedRepository()
        let before = try repo.box.snapshot()
        let refused = try repo.box.sla("renew", SignedRepository.id)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("nothing to renew") && refused.stderr.contains("sla activate"))
        #expect(try repo.box.snapshot() == before)
    }

    @Test("renew starts from the latest activated version, not from a newer proposal")
    func renewFromActivated() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 41") }
        let renewed = try repo.box.sla("renew", SignedRepository.id)
        #expect(renewed.status == 0, "\(renewed)")
        #expect(renewed.stdout.contains("renewal of acme-sales-marketing v1"))
        let draft = String(decoding: try repo.box.read(Example.draft), as: UTF8.self)
        #expect(draft.contains("sql_per_month: 40") && draft.contains("effective_from: 2027-07-01"))
    }
}
