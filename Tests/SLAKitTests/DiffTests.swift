// Tests of the section-by-section diff (`AgreementDiff`, `WordDiff`, `DiffRenderer`).
//
// Golden files: Golden/diff-ab.txt, diff-ab.json, diff-ab.md hold the rendering of the diff
// from Golden/diff-a.yaml (the example agreement) to Golden/diff-b.yaml (a change in every
// section). When a change of output is intended, re-record them and review the git diff:
//
//     SLA_RECORD_GOLDEN=1 swift test --filter DiffTests
//
// Without the variable the tests compare and fail on any difference.
import Foundation
import Testing

@testable import SLAKit

@Suite struct DiffTests {

    // MARK: Fixtures

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static func load(_ name: String) throws -> Agreement {
        let url = goldenDirectory.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        let (agreement, diagnostics) = AgreementDecoder.decode(data, file: name, expectedID: nil)
        guard let agreement else {
            throw FixtureError(message: "\(name) does not decode:\n" + diagnostics.map(\.description).joined(separator: "\n"))
        }
        return agreement
    }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    let a: Agreement
    let b: Agreement

    init() throws {
        a = try Self.load("diff-a.yaml")
        b = try Self.load("diff-b.yaml")
    }

    func change(_ diff: AgreementDiff, _ path: String, _ kind: AgreementDiff.Change.Kind? = nil) -> AgreementDiff.Change? {
        diff.changes.first { $0.path == path && (kind == nil || $0.kind == kind) }
    }

    // MARK: Empty diffs

    @Test func diffOfAnAgreementWithItselfIsEmpty() {
        let diff = AgreementDiff(from: a, to: a)
        #expect(diff.isEmpty)
        #expect(!diff.changesSigningPolicy)
        #expect(diff.summary(language: .da) == "Ingen ændringer")
        #expect(diff.summary(language: .en) == "No changes")
        #expect(DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v1", language: .da, format: .text) == "Ingen ændringer\n")
        let json = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v1", language: .da, format: .json)
        #expect(json == "{\n  \"agreement\": \"acme-sales-marketing\",\n  \"changes\": [],\n  \"from\": \"v1\",\n  \"to\": \"v1\"\n}\n")
    }

    /// Every list of the agreement in another order, nothing else changed.
    static func reordered(_ agreement: Agreement) -> Agreement {
        var r = agreement
        r.parties = r.parties.reversed().map { party in
            var p = party
            p.signatories.reverse()
            return p
        }
        r.informed.reverse()
        r.idealCustomer.criteria.reverse()
        r.idealCustomer.personas.reverse()
        r.goals = Array(r.goals[3...] + r.goals[..<3])
        r.kpis.items.reverse()
        r.kpis.reporting.attendees.reverse()
        r.validity.remindDaysBefore.reverse()
        return r
    }

    @Test(arguments: ["diff-a.yaml", "diff-b.yaml"])
    func reorderingIsNoChange(fixture: String) throws {
        let agreement = try Self.load(fixture)
        let shuffled = Self.reordered(agreement)
        #expect(shuffled != agreement, "the reordering must change something for the test to mean anything")
        #expect(AgreementDiff(from: agreement, to: shuffled).isEmpty)
        #expect(AgreementDiff(from: shuffled, to: agreement).isEmpty)
    }

    @Test func reorderingDoesNotHideARealChange() {
        var shuffled = Self.reordered(a)
        shuffled.idealCustomer.criteria[0].importance = 5
        let diff = AgreementDiff(from: a, to: shuffled)
        #expect(diff.changes.map(\.path) == ["ideal_customer.criteria[Digital modenhed].importance"])
    }

    // MARK: The A → B diff

    @Test func everySectionChanges() {
        let diff = AgreementDiff(from: a, to: b)
        #expect(Set(diff.changes.map(\.sectionNumber)) == Set(0...7))
        #expect(diff.changesPerSection.map(\.section) == Array(0...7))
        // Section order, then never back to an earlier heading.
        let numbers = diff.changes.map(\.sectionNumber)
        #expect(numbers == numbers.sorted())
    }

    @Test func scalarsAndRecordsAreAddressedByIdentity() throws {
        let diff = AgreementDiff(from: a, to: b)
        let importance = try #require(change(diff, "ideal_customer.criteria[Branche].importance"))
        #expect(importance.kind == .changed)
        #expect(importance.section == "ideal_customer")
        #expect(importance.old == .integer(2) && importance.new == .integer(1))

        let target = try #require(change(diff, "goals[sql@2027-06-30].target"))
        #expect(target.old == .number(180) && target.new == .number(200))

        let response = try #require(change(diff, "lead_handling.sales.response_time_hours"))
        #expect(response.old == .integer(24) && response.new == .integer(12))

        let characteristic = try #require(change(diff, "ideal_customer.criteria[Digital modenhed].characteristic"))
        #expect(characteristic.kind == .changed)

        let removed = try #require(change(diff, "ideal_customer.criteria[Omsætning]"))
        #expect(removed.kind == .removed && removed.new == nil)
        #expect(
            removed.old
                == .object([
                    .init("criterion", .string("Omsætning")),
                    .init("characteristic", .string("Årlig omsætning over 150 mio. DKK")),
                    .init("importance", .integer(3)),
                ]))
        let added = try #require(change(diff, "ideal_customer.criteria[Salgsmodenhed]"))
        #expect(added.kind == .added && added.old == nil && added.new?["importance"] == .integer(3))

        let goal = try #require(change(diff, "goals[sql@2027-03-31]"))
        #expect(goal.kind == .added && goal.new?["deadline"] == .date(LocalDate(iso: "2027-03-31")!))
        #expect(change(diff, "goals[sales@2027-06-30]", .removed) != nil)
        let note = try #require(change(diff, "goals[revenue@2027-12-31].note"))
        #expect(note.kind == .added && note.old == nil && note.new == .string("Hele året"))

        // Personas were only reordered.
        #expect(!diff.changes.contains { $0.path.contains("personas") })
    }

    @Test func plainListsCompareAsSetsElementByElement() {
        let diff = AgreementDiff(from: a, to: b)
        let attendees = diff.changes.filter { $0.path == "kpis.reporting.attendees" }
        #expect(attendees.map(\.kind) == [.added])
        #expect(attendees.first?.new == .string("Karen Holm (Salgschef)"))
        let reminders = diff.changes.filter { $0.path == "validity.remind_days_before" }
        #expect(reminders.map(\.kind) == [.added, .removed])
        #expect(reminders.map { $0.new ?? $0.old } == [.integer(14), .integer(1)])
        let informed = diff.changes.filter { $0.path.hasPrefix("informed") }
        #expect(informed.map(\.path) == ["informed[direktion@acme.dk]"])
    }

    @Test func recordsFollowTheNewOrderWithRemovedOnesAfter() {
        let diff = AgreementDiff(from: a, to: b)
        let criteria = diff.changes.filter { $0.path.hasPrefix("ideal_customer.criteria") }.map(\.path)
        #expect(
            criteria == [
                "ideal_customer.criteria[Branche].importance",
                "ideal_customer.criteria[Digital modenhed].characteristic",
                "ideal_customer.criteria[Salgsmodenhed]",
                "ideal_customer.criteria[Omsætning]",
            ])
    }

    @Test func theSignatoryChangesAreFlagged() throws {
        let diff = AgreementDiff(from: a, to: b)
        #expect(diff.changesSigningPolicy)
        #expect(a.signingPolicy != b.signingPolicy)
        let key = try #require(change(diff, "parties[sales].signatories[soren@acme.dk].key"))
        #expect(key.affectsSigning)
        let required = try #require(change(diff, "parties[sales].required"))
        #expect(required.old == .string("all") && required.new == .integer(1) && required.affectsSigning)
        #expect(change(diff, "parties[sales].signatories[karen@acme.dk]", .added)?.affectsSigning == true)
        // Names and roles do not decide who signs.
        let role = try #require(change(diff, "parties[marketing].signatories[mette@acme.dk].role"))
        #expect(!role.affectsSigning)
    }

    // MARK: Inverse

    @Test func diffBackIsTheInverse() {
        let forward = AgreementDiff(from: a, to: b)
        let backward = AgreementDiff(from: b, to: a)
        #expect(backward.sameChanges(as: forward.inverted()))
        #expect(forward.sameChanges(as: backward.inverted()))
        #expect(forward.inverted().inverted() == forward)
        #expect(backward.changes.filter { $0.kind == .added }.count == forward.changes.filter { $0.kind == .removed }.count)
        // The order rule holds in both directions: records in the order of the target.
        let criteria = backward.changes.filter { $0.path.hasPrefix("ideal_customer.criteria") }.map(\.path)
        #expect(
            criteria == [
                "ideal_customer.criteria[Branche].importance",
                "ideal_customer.criteria[Omsætning]",
                "ideal_customer.criteria[Digital modenhed].characteristic",
                "ideal_customer.criteria[Salgsmodenhed]",
            ])
        #expect(backward.changesSigningPolicy)
    }

    @Test func sameChangesNoticesADifference() {
        let forward = AgreementDiff(from: a, to: b)
        #expect(!forward.sameChanges(as: AgreementDiff(changes: Array(forward.changes.dropLast()))))
        #expect(!forward.sameChanges(as: forward.inverted()))
    }

    // MARK: Signing policy

    @Test func aKeySwapAloneIsFlaggedProminently() {
        var swapped = a
        swapped.parties[1].signatories[0].key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZSFn6iC3Ka0NSwoaFMksNY56luYLlL0XShHk5xqEtw"
        let diff = AgreementDiff(from: a, to: swapped)
        #expect(diff.changes.map(\.path) == ["parties[sales].signatories[soren@acme.dk].key"])
        #expect(diff.changesSigningPolicy)
        #expect(diff.summary(language: .da) == "1 ændring: 0. Parter og ansvarlig (1); ændrer hvem der skal underskrive")
        #expect(diff.summary(language: .en) == "1 change: 0. Parties and owner (1); changes who must sign")

        let text = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v2", language: .da, format: .text)
        #expect(
            text == """
                1 ændring: 0. Parter og ansvarlig (1); ændrer hvem der skal underskrive

                0. Parter og ansvarlig
                  ! Ændrer hvem der skal underskrive
                  Part "sales" › Underskriver "soren@acme.dk" › Nøgle: SHA256:y8Ib3S5+Y0ObH3HFvjbEfARpSQCdKFPZzlRW3zWFXvM → SHA256:0zz7IirnKRosZHGF/6dvgNb3FYerVVIv6kiHB1IgTsA

                """)
        let markdown = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v2", language: .en, format: .markdown)
        #expect(markdown.contains("> **⚠ Changes who must sign.**"))
        #expect(markdown.contains("## 0. Parties and owner"))
    }

    @Test func aRoleChangeAloneIsNotFlagged() {
        var renamed = a
        renamed.parties[0].signatories[0].role = "CMO"
        renamed.parties[0].name = "Marketingafdelingen"
        let diff = AgreementDiff(from: a, to: renamed)
        #expect(diff.changes.count == 2)
        #expect(!diff.changesSigningPolicy)
        let text = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v2", language: .da, format: .text)
        #expect(!text.contains("!"))
    }

    @Test func requiredAndPartiesAreFlagged() {
        var changed = a
        changed.parties[0].required = .count(1)
        #expect(AgreementDiff(from: a, to: changed).changesSigningPolicy)
        var fewer = a
        fewer.parties.removeLast()
        let diff = AgreementDiff(from: a, to: fewer)
        #expect(diff.changes.map(\.path) == ["parties[sales]"])
        #expect(diff.changes.first?.kind == .removed)
        #expect(diff.changesSigningPolicy)
    }

    // MARK: Criteria sharing a name

    @Test func criteriaSharingANameAreAddressedWithTheirCharacteristic() {
        var two = a
        two.idealCustomer.criteria.append(Criterion(criterion: "Branche", characteristic: "Detailhandel", importance: 4))
        let diff = AgreementDiff(from: a, to: two)
        #expect(diff.changes.map(\.path) == ["ideal_customer.criteria[Branche/Detailhandel]"])
        var changed = two
        changed.idealCustomer.criteria[5].importance = 3
        #expect(
            AgreementDiff(from: two, to: changed).changes.map(\.path)
                == ["ideal_customer.criteria[Branche/Detailhandel].importance"])
        #expect(AgreementDiff(from: two, to: a).sameChanges(as: diff.inverted()))
    }

    @Test func identitiesAreEscapedInPaths() {
        #expect(
            DiffStep.path([.field("kpis"), .field("items"), .record("a]b\\c"), .field("target")])
                == "kpis.items[a\\]b\\\\c].target")
    }

    // MARK: JSON

    @Test func jsonParsesBackWithTheDocumentedShape() throws {
        let diff = AgreementDiff(from: a, to: b)
        let json = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: .da, format: .json)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(root.keys) == ["agreement", "from", "to", "changes"])
        #expect(root["agreement"] as? String == "acme-sales-marketing")
        #expect(root["from"] as? String == "v1")
        #expect(root["to"] as? String == "draft")
        let changes = try #require(root["changes"] as? [[String: Any]])
        #expect(changes.count == diff.changes.count)
        for change in changes {
            #expect(Set(change.keys) == ["section", "path", "kind", "old", "new"])
            #expect(["added", "removed", "changed"].contains(change["kind"] as? String ?? ""))
        }
        func find(_ path: String) -> [String: Any]? { changes.first { $0["path"] as? String == path } }

        let importance = try #require(find("ideal_customer.criteria[Branche].importance"))
        #expect(importance["section"] as? String == "ideal_customer")
        #expect((importance["old"] as? NSNumber)?.intValue == 2)
        #expect((importance["new"] as? NSNumber)?.intValue == 1)
        let target = try #require(find("goals[sql@2027-06-30].target"))
        #expect((target["new"] as? NSNumber)?.intValue == 200)
        #expect(target["section"] as? String == "goals")
        let key = try #require(find("parties[sales].signatories[soren@acme.dk].key"))
        #expect((key["new"] as? String)?.hasPrefix("ssh-ed25519 AAAA") == true)
        #expect(key["section"] as? String == "parties")
        #expect(find("lead_handling.sales.response_time_hours") != nil)
        let goal = try #require(find("goals[sql@2027-03-31]"))
        #expect(goal["old"] is NSNull)
        let record = try #require(goal["new"] as? [String: Any])
        #expect(Set(record.keys) == ["metric", "target", "deadline", "note"])
        #expect(record["deadline"] as? String == "2027-03-31")
        let title = try #require(find("kpis.items[Opfølgning på SQL]"))
        #expect((title["new"] as? [String: Any])?["target"] == nil)
    }

    @Test func jsonIsSortedAndEscaped() {
        var odd = a
        odd.title = "Quote \" backslash \\ newline \n tab \t bell \u{7}"
        let json = DiffRenderer.render(
            AgreementDiff(from: a, to: odd), agreement: a.id, from: "v1", to: "v2",
            language: .en, format: .json)
        #expect(json.contains(#""new": "Quote \" backslash \\ newline \n tab \t bell \u0007""#))
        let keys = json.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("\""), let end = t.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(t[t.index(after: t.startIndex)..<end])
        }
        #expect(keys == ["agreement", "changes", "kind", "new", "old", "path", "section", "from", "to"])
    }

    // MARK: Text and markdown

    @Test func textHasNoColourUnlessAsked() {
        let diff = AgreementDiff(from: a, to: b)
        let plain = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: .da, format: .text)
        let coloured = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: .da, format: .text, colour: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[31m") && coloured.contains("\u{1B}[32m"))
        // Colour replaces the word-diff markers, nothing else.
        #expect(!coloured.contains("[-") && plain.contains("[-"))
        let stripped = coloured.replacing(/\x{1B}\[[0-9;]*m/, with: "")
        #expect(stripped.split(separator: "\n").count == plain.split(separator: "\n").count)
    }

    @Test func longTextsAreShownAsAWordDiff() {
        let diff = AgreementDiff(from: a, to: b)
        let text = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: .da, format: .text)
        #expect(text.contains("  Formål:\n    Aftalen er en Service Level Agreement"))
        #expect(text.contains("retning {+og måles på de samme tal+}. Nye"))
        #expect(text.contains("[-godkendt-]{+underskrevet+}"))
        let markdown = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: .da, format: .markdown)
        #expect(markdown.contains("~~godkendt~~ **underskrevet**"))
    }

    @Test func summaryNamesEveryChangedSection() {
        let diff = AgreementDiff(from: a, to: b)
        let count = diff.changes.count
        #expect(diff.summary(language: .da).hasPrefix("\(count) ændringer: 0. Parter og ansvarlig ("))
        #expect(diff.summary(language: .da).contains("6. Analyse og optimering af performance ("))
        #expect(diff.summary(language: .en).contains("2. The ideal customer ("))
        #expect(diff.summary(language: .en).hasSuffix("; changes who must sign"))
    }

    @Test func everyChangedFieldHasAHumanName() {
        var changes = AgreementDiff(from: a, to: b).changes
        // Whole records: their nested fields are named too.
        func paths(_ value: DiffValue?, _ prefix: String) -> [String] {
            guard case .object(let fields)? = value else { return [] }
            return fields.flatMap { field -> [String] in
                let path = prefix + "." + field.key
                if case .list(let items) = field.value { return [path] + items.flatMap { paths($0, path) } }
                return [path]
            }
        }
        changes += AgreementDiff(from: b, to: a).changes
        for change in changes {
            let schema = DiffStep.schemaPath(change.steps)
            #expect(Vocabulary.fields[schema] != nil, "no name for \(schema)")
            for nested in paths(change.new ?? change.old, schema) {
                #expect(Vocabulary.fields[nested] != nil, "no name for \(nested)")
            }
        }
        for path in Vocabulary.schemaPaths {
            #expect(!Vocabulary.fieldName(path, language: .da).isEmpty)
            #expect(!Vocabulary.fieldName(path, language: .en).isEmpty)
        }
    }

    // MARK: Golden files

    @Test(arguments: [(DiffFormat.text, "diff-ab.txt"), (.json, "diff-ab.json"), (.markdown, "diff-ab.md")])
    func golden(format: DiffFormat, file: String) throws {
        let diff = AgreementDiff(from: a, to: b)
        let output = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "draft", language: a.language, format: format)
        try Self.compare(output, golden: file)
    }

    @Test func goldenInEnglish() throws {
        var enA = a
        var enB = b
        enA.language = .en
        enB.language = .en
        let diff = AgreementDiff(from: enA, to: enB)
        let output = DiffRenderer.render(diff, agreement: a.id, from: "v1", to: "v2", language: .en, format: .text)
        try Self.compare(output, golden: "diff-ab-en.txt")
    }

    static func compare(_ output: String, golden file: String) throws {
        let url = goldenDirectory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["SLA_RECORD_GOLDEN"] == "1" {
            try Data(output.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(file); record it with SLA_RECORD_GOLDEN=1")
            return
        }
        guard output != expected else { return }
        let got = output.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record(
            """
            \(file) differs at line \(line + 1):
              expected: \(line < want.count ? String(want[line]) : "<end of file>")
              got:      \(line < got.count ? String(got[line]) : "<end of output>")
            (re-record with SLA_RECORD_GOLDEN=1 swift test --filter DiffTests if the change is intended)
            """)
    }
}

// MARK: - Word diff

extension DiffTests {
    @Suite struct WordDiffs {
        func plain(_ old: String, _ new: String) -> String {
            WordDiff.plain(WordDiff.segments(from: old, to: new))
        }

        @Test func identicalTextsHaveNoMarkers() {
            #expect(WordDiff.segments(from: "a b c", to: "a b c") == [.same("a b c")])
            #expect(WordDiff.segments(from: "", to: "") == [])
        }

        @Test func aReplacedWord() {
            #expect(plain("the quick brown fox", "the slow brown fox") == "the [-quick-]{+slow+} brown fox")
        }

        @Test func insertedAndDeletedWords() {
            #expect(plain("one two three", "one two and a half three") == "one two {+and a half+} three")
            #expect(plain("one two and a half three", "one two three") == "one two [-and a half-] three")
            #expect(plain("one", "zero one") == "{+zero+} one")
            #expect(plain("one two", "one") == "one [-two-]")
            #expect(plain("", "new text") == "{+new text+}")
        }

        @Test func punctuationBelongsToItsWord() {
            #expect(plain("Slut.", "Slut, nu.") == "Slut{+, nu+}.")
            #expect(plain("(Salgschef)", "(Salgsdirektør)") == "([-Salgschef-]{+Salgsdirektør+})")
            #expect(plain("SQL'er og CRM- og ERP-system", "SQL'er og ERP-system") == "SQL'er og [-CRM- og-] ERP-system")
        }

        @Test func wholeReplacementAndLineBreaks() {
            #expect(plain("a b", "c d") == "[-a b-]{+c d+}")
            #expect(plain("first line\nsecond line", "first line\nthird line") == "first line\n[-second-]{+third+} line")
        }

        @Test func longTexts() {
            #expect(!WordDiff.isLongText("Under 24 timer"))
            #expect(WordDiff.isLongText(String(repeating: "x", count: 61)))
            #expect(WordDiff.isLongText("a b c d e f g h i"))
        }

        /// Both texts can be read back from the segments, word for word.
        @Test(arguments: 0..<40)
        func segmentsRebuildBothTexts(seed: Int) {
            var generator = DiffTestRandom(seed: UInt64(seed))
            let vocabulary = ["a", "b", "c", "d", "e", "og", "ikke", "SQL."]
            func text() -> String {
                (0..<Int.random(in: 0...25, using: &generator))
                    .map { _ in vocabulary.randomElement(using: &generator)! }
                    .joined(separator: Bool.random(using: &generator) ? " " : "  ")
            }
            let old = text()
            let new = text()
            let segments = WordDiff.segments(from: old, to: new)
            func words(_ s: String) -> [Substring] { s.split(whereSeparator: \.isWhitespace) }
            let rebuiltOld = segments.map { if case .added = $0 { " " } else { $0.segmentText } }.joined(separator: " ")
            let rebuiltNew = segments.map { if case .removed = $0 { " " } else { $0.segmentText } }.joined(separator: " ")
            #expect(words(rebuiltOld) == words(old))
            #expect(words(rebuiltNew) == words(new))
            // Shortest: no word both removed and added around an unchanged run it could join.
            let changed = segments.filter { if case .same = $0 { false } else { true } }
            #expect(changed.count <= words(old).count + words(new).count)
        }

        @Test func manyEditsFallBackToAWholeReplacement() {
            let old = (0..<4000).map { "o\($0)" }.joined(separator: " ")
            let new = (0..<4000).map { "n\($0)" }.joined(separator: " ")
            let segments = WordDiff.segments(from: "start " + old + " end", to: "start " + new + " end")
            #expect(segments.count == 4)
            #expect(segments.first == .same("start ") && segments.last == .same(" end"))
        }
    }
}

extension WordDiff.Segment {
    var segmentText: String {
        switch self {
        case .same(let t), .removed(let t), .added(let t): t
        }
    }
}

/// A seeded generator, so that the random cases are the same on every run.
struct DiffTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
