import Foundation
import Testing

@testable import SLAKit

/// `activations.yaml` holds only entries in exactly the four-line form `activate` writes.
@Suite("Activation log")
struct ActivationLogTests {
    static let sha = String(repeating: "ab", count: 32)
    static let entry = "- version: 1\n  sha256: \(sha)\n  activated_at: 2026-12-01\n  activated_by: lars@acme.dk\n"

    @Test("what activate writes reads back, entry by entry")
    func roundTrip() {
        let text =
            ActivationEntry.text(version: 1, sha256: Self.sha, activatedAt: LocalDate(iso: "2026-12-01")!, activatedBy: "lars@acme.dk")
            + ActivationEntry.text(version: 12, sha256: Self.sha, activatedAt: LocalDate(iso: "2027-01-02")!, activatedBy: "a.b+c@x-y.dk")
        let log = ActivationLog(parsing: Data(text.utf8))
        #expect(log.problem == nil)
        #expect(log.entries.map(\.version) == [1, 12])
        #expect(log.entries.map(\.line) == [1, 5])
        #expect(ActivationLog(parsing: Data()).entries.isEmpty && ActivationLog(parsing: Data()).problem == nil)
    }

    @Test(
        "any other byte is a problem at its line, and entries after it are not read",
        arguments: [
            ("CRLF", entry.replacingOccurrences(of: "\n", with: "\r\n"), 1),
            ("a comment after", entry + "# note\n", 5),
            ("a comment before", "# note\n" + entry, 1),
            ("document marker", "---\n" + entry, 1),
            ("no final newline", String(entry.dropLast()), 4),
            ("quoted activator", entry.replacingOccurrences(of: "lars@acme.dk", with: "\"lars@acme.dk\""), 4),
            ("leading zero", entry.replacingOccurrences(of: "version: 1", with: "version: 01"), 1),
            ("upper-case hex", entry.replacingOccurrences(of: sha, with: sha.uppercased()), 2),
            ("not a date", entry.replacingOccurrences(of: "2026-12-01", with: "2026-02-30"), 3),
            ("flow style", "- {version: 1, sha256: \(sha), activated_at: 2026-12-01, activated_by: lars@acme.dk}\n", 1),
            ("extra key", entry + "  note: x\n", 5),
            ("truncated entry", entry + "- version: 2\n", 5),
            ("trailing space", entry.replacingOccurrences(of: "acme.dk\n", with: "acme.dk \n"), 4),
            ("BOM", "\u{FEFF}" + entry, 1),
        ])
    func strict(label: String, text: String, line: Int) {
        let log = ActivationLog(parsing: Data(text.utf8))
        #expect(log.problem?.line == line, "\(label): \(String(describing: log.problem))")
        #expect(log.entries.count == (line > 4 ? 1 : 0), "\(label)")
    }
}
