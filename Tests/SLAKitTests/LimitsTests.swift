import Foundation
import GitKit
import SLALimits
import Testing

@testable import SLAKit

/// The bounds of `Limits`: each reader refuses input beyond them with a message naming the
/// limit, and the README's table lists the same values.
@Suite struct LimitsTests {
    @Test func readmeListsEveryLimit() throws {
        let readme = try String(contentsOf: ProjectFiles.root.appendingPathComponent("README.md"), encoding: .utf8)
        var listed: [String: String] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| `Limits.") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            listed[String(cells[0].dropFirst("`Limits.".count).dropLast())] = cells[1]
        }
        #expect(listed.count == Limits.all.count, "README lists \(listed.keys.sorted())")
        for limit in Limits.all {
            let shown = limit.name.hasSuffix("Bytes") ? Limits.describe(bytes: limit.value) : "\(limit.value)"
            #expect(listed[limit.name] == shown, "README shows \(limit.name) as \(listed[limit.name] ?? "nothing"), not \(shown)")
        }
    }

    @Test func describesSizes() {
        #expect(Limits.describe(bytes: 1 << 20) == "1 MiB")
        #expect(Limits.describe(bytes: 16 << 20) == "16 MiB")
        #expect(Limits.describe(bytes: 64 << 10) == "64 KiB")
        #expect(Limits.describe(bytes: 4178) == "4178 bytes")
    }

    @Test func listsLongerThanTheLimitAreErrors() throws {
        let person = "\n  - { name: Someone, principal: someone@acme.dk }"
        let many = String(repeating: person, count: Limits.listEntries + 1)
        let text = try ProjectFiles.exampleText.replacingOnce(
            "informed:\n  - { name: Salgsteamet, principal: salg@acme.dk }", with: "informed:" + many)
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(
            diagnostics.errors.map(\.message).contains(
                "informed must have 0 to \(Limits.listEntries) entries, got \(Limits.listEntries + 2)"))
        // At the limit it is fine (the one listed later is a duplicate principal only once).
        let atLimit = try ProjectFiles.exampleText.replacingOnce(
            "informed:\n  - { name: Salgsteamet, principal: salg@acme.dk }\n  - { name: Marketingteamet, principal: marketing@acme.dk }",
            with: "informed:" + (1...Limits.listEntries).map { "\n  - { name: P\($0), principal: p\($0)@acme.dk }" }.joined())
        let (ok, problems) = decode(atLimit)
        #expect(ok != nil, "\(problems.errors)")
    }

    @Test func tooManyParties() throws {
        let parties = (1...(Limits.parties + 1)).map {
            "  - { id: p\($0), name: P\($0), signatories: [{ name: S\($0), role: R, principal: s\($0)@acme.dk, key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' }] }"
        }.joined(separator: "\n")
        let example = try ProjectFiles.exampleText
        let start = try #require(example.range(of: "parties:\n"))
        let end = try #require(example.range(of: "owner:"))
        let text = example.replacingCharacters(in: start.upperBound..<end.lowerBound, with: parties + "\n")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(diagnostics.errors.map(\.message).contains("parties must have 2 to \(Limits.parties) entries, got \(Limits.parties + 1)"))
    }

    @Test func oversizedActivationLogIsOneProblem() {
        let entry = ActivationEntry.text(
            version: 1, sha256: String(repeating: "a", count: 64), activatedAt: LocalDate(iso: "2026-12-01")!,
            activatedBy: "a@b.dk")
        let count = Limits.activationLogBytes / entry.utf8.count + 1
        let log = ActivationLog(parsing: Data(String(repeating: entry, count: count).utf8))
        #expect(log.entries.isEmpty)
        #expect(log.problem?.line == 1)
        #expect(log.problem?.message.hasSuffix("activations.yaml may be at most 1 MiB") == true)
        // Just under the limit every entry is read.
        let under = ActivationLog(parsing: Data(String(repeating: entry, count: count - 1).utf8))
        #expect(under.entries.count == count - 1 && under.problem == nil)
    }

    @Test func hookInputBounds() throws {
        let id = String(repeating: "1", count: 40)
        let zero = String(repeating: "0", count: 40)
        let good = try RefUpdate.parse(Data("\(zero) \(id) refs/heads/main\n".utf8))
        #expect(good.count == 1 && good[0].old == nil && good[0].new?.hex == id)

        let longRef = "refs/heads/" + String(repeating: "x", count: Limits.hookLineLength)
        do {
            _ = try RefUpdate.parse(Data("\(zero) \(id) \(longRef)\n".utf8))
            Issue.record("a line over the limit was read")
        } catch {
            #expect("\(error)".contains("line 1 is longer than \(Limits.hookLineLength) bytes"))
        }
        var notUTF8 = Data("\(zero) \(id) refs/heads/".utf8)
        notUTF8.append(contentsOf: [0xFF, 0x0A])
        #expect(throws: SLAError.self) { try RefUpdate.parse(notUTF8) }
        let huge = Data(repeating: UInt8(ascii: "\n"), count: Limits.hookInputBytes + 1)
        do {
            _ = try RefUpdate.parse(huge)
            Issue.record("input over the limit was read")
        } catch {
            #expect("\(error)".contains("more than 16 MiB"))
        }
    }
}
