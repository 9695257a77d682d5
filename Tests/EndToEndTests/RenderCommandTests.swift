import Foundation
import Testing

@Suite("sla render")
struct RenderCommandTests {
    @Test("a signed version's document names who signed, with the key ssh-keygen -l shows, and who has not")
    func signatureBlock() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        let output = try repo.box.sla("render", SignedRepository.id, "v1", "--format", "markdown")
        #expect(output.status == 0, "\(output)")
        let fingerprint = try repo.box.run("/usr/bin/ssh-keygen", ["-l", "-f", repo.mette.path + ".pub"]).stdout
            .split(separator: " ")[1]
        let row = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("| Mette Hansen |") })
        #expect(row.contains("`\(fingerprint)`") && row.hasSuffix("| Verificeret |"), "\(row)")
        #expect(output.stdout.contains("| Søren Jensen | Salgsdirektør | Salg | – |"))
        #expect(output.stdout.contains("Mangler underskrift fra: Søren Jensen."))
        #expect(output.stdout.contains("## 7. Gyldighed"))

        try repo.sign(repo.soren)
        let english = try repo.box.sla("render", SignedRepository.id, "--format", "html", "--lang", "en")
        #expect(english.status == 0)
        #expect(english.stdout.hasPrefix("<!DOCTYPE html>") && english.stdout.contains("<html lang=\"en\">"))
        #expect(english.stdout.contains("This version is approved by every party."))
        #expect(english.stdout.contains("<h2>7. Validity</h2>"))
    }

    @Test("active fails closed on a faulted agreement, naming the fault; an explicit version still renders")
    func faulted() throws {
        let repo = try SignedRepository()
        try repo.signAndActivate()
        #expect(try repo.box.sla("render", SignedRepository.id, "active", "--today", "2027-03-01").status == 0)
        try repo.removeSignatureWithGit("soren@acme.dk")
        let active = try repo.box.sla("render", SignedRepository.id, "active", "--today", "2027-03-01")
        #expect(active.status == 1 && active.stdout.isEmpty)
        #expect(active.stderr.contains("is faulted") && active.stderr.contains("soren@acme.dk.sig"))
        let v1 = try repo.box.sla("render", SignedRepository.id, "v1")
        #expect(v1.status == 0 && v1.stdout.contains("## 1. Overblik over aftale"))
    }

    @Test(
        "bad input: exit 1 with a clear message, or 64 for a wrong flag value",
        arguments: [
            (["render", "Bad_ID"], 1, "not a valid agreement id"), (["render", "acme-sales-marketing", "v9"], 1, "no version v9"),
            (["render", "nobody"], 1, "there is no agreement 'nobody'"),
            (["render", "acme-sales-marketing", "--format", "pdf"], 64, "pdf"),
            (["render", "acme-sales-marketing", "--lang", "de"], 64, "de"),
        ])
    func badInput(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let repo = try SignedRepository()
        let result = try repo.box.run(Sandbox.slaBinary.path, arguments)
        #expect(result.status == status, "\(result)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
