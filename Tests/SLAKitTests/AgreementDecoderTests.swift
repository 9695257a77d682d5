import Foundation
import Testing

@testable import SLAKit

@Suite("The agreement format")
struct AgreementDecoderTests {
    @Test("the example agreement is valid, with no warnings")
    func exampleIsValid() throws {
        let (agreement, diagnostics) = decode(try ProjectFiles.exampleText)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let a = try #require(agreement)
        #expect(a.id == "acme-sales-marketing")
        #expect(a.language == .da)
        #expect(a.parties.map(\.id) == ["marketing", "sales"])
        #expect(a.idealCustomer.criteria.first?.criterion == "Virksomhedsstørrelse")
        #expect(a.idealCustomer.criteria.first?.importance == 1)
        #expect(a.idealCustomer.personas.first { $0.priority == .primary }?.name == "Dan direktør")
        #expect(a.validity.renewalsPerYear == 2)
        #expect(a.validity.remindDaysBefore == [30, 7, 1])
    }

    @Test("an error names file, line, column and field")
    func importanceOutOfRange() throws {
        let text = try ProjectFiles.exampleText.replacingOnce(
            "characteristic: \"Antal ansatte > 200\", importance: 1 }",
            with: "characteristic: \"Antal ansatte > 200\", importance: 6 }")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let position = try #require(text.position(of: "importance: 6"))
        let expected =
            "agreements/acme-sales-marketing/draft.yaml:\(position.line):\(position.column + "importance: ".count): importance must be 1..5, got 6"
        #expect(diagnostics.map(\.description) == [expected])
    }

    @Test("every problem is reported at once")
    func allProblemsAtOnce() throws {
        let text = try ProjectFiles.exampleText
            .replacingOnce("language: da", with: "language: de")
            .replacingOnce("renewals_per_year: 2", with: "renewals_per_year: 5")
            .replacingOnce("reviewer: Lars Nielsen", with: "reviewr: Lars Nielsen")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains("language must be one of da, en, got de"))
        #expect(messages.contains("renewals_per_year must divide 12 (1, 2, 3, 4, 6 or 12), got 5"))
        #expect(messages.contains("unknown key 'reviewr' in validity (did you mean 'reviewer'?)"))
        #expect(messages.contains("missing validity.reviewer"))
        #expect(diagnostics.count == 4)
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let old: String
        let new: String
        let message: String
        var description: String { name }
    }

    static let invalidCases: [Case] = [
        Case(
            name: "impossible date", old: "effective_from: 2027-01-01", new: "effective_from: 2027-02-30",
            message: "effective_from 2027-02-30 is not a real date"),
        Case(
            name: "not a date", old: "effective_from: 2027-01-01", new: "effective_from: next monday",
            message: "effective_from must be a date written YYYY-MM-DD, got next monday"),
        Case(
            name: "wrong type", old: "sql_per_month: 40", new: "sql_per_month: [40]",
            message: "sql_per_month must be a whole number, got a list"),
        Case(
            name: "quoted number", old: "sql_per_month: 40", new: "sql_per_month: \"40\"",
            message: "sql_per_month must be a whole number, got \"40\""),
        Case(
            name: "negative target", old: "target: 1200", new: "target: -5",
            message: "target must be 0 or more, got -5"),
        Case(
            name: "required in capitals", old: "name: Marketing\n    required: all", new: "name: Marketing\n    required: ALL",
            message: "required must be all or a number of signatures (1 to the party's signatories), got ALL"),
        Case(
            name: "a principal that is a dot", old: "principal: mette@acme.dk", new: "principal: ..",
            message: "principal '..' cannot name a signature file; use the person's e-mail address"),
        Case(
            name: "a Danish thousand in a count", old: "target: 1200", new: "target: 1.200",
            message:
                "target of a leads goal is a count and must be a whole number, got 1.200; write thousands without a separator (1500, not 1.500)"
        ),
        Case(
            name: "too large", old: "sql_per_month: 40", new: "sql_per_month: 1000000001",
            message: "sql_per_month must be at most 1000000000, got 1000000001"),
        Case(
            name: "too many digits", old: "sql_per_month: 40", new: "sql_per_month: 12345678901234567890",
            message: "sql_per_month must be a whole number of at most 18 digits, got 12345678901234567890"),
        Case(
            name: "too precise", old: "target: 1200", new: "target: 1200.1234567",
            message: "target must be a number (at most 15 digits before the point and 6 after it), got 1200.1234567"),
        Case(
            name: "renewal past 9999", old: "effective_from: 2027-01-01", new: "effective_from: 9999-07-01",
            message: "effective_from 9999-07-01 is too late: the renewal 6 months after it would fall after 9999-12-31"),
        Case(
            name: "duplicate principal", old: "principal: soren@acme.dk", new: "principal: mette@acme.dk",
            message: "principal 'mette@acme.dk' is already a signatory (line 15); each signatory needs their own"),
        Case(
            name: "principal ending like an upper-case fingerprint", old: "principal: soren@acme.dk",
            new: "principal: soren.77DEEE21C340EB85",
            message:
                "principal 'soren.77DEEE21C340EB85' may not end in '.' and 16 hex digits: signature file names use that for key fingerprints"
        ),
        Case(
            name: "principal differing in case only", old: "principal: soren@acme.dk", new: "principal: Mette@acme.dk",
            message:
                "principal 'Mette@acme.dk' differs from 'mette@acme.dk' (line 15) only in case; their signature files would be one file on macOS and Windows"
        ),
        Case(
            name: "unsafe principal", old: "principal: soren@acme.dk", new: "principal: ../soren",
            message: "principal '../soren' may contain only ASCII letters (A-Z, a-z), digits and . _ + @ - (no æ, ø, å or spaces)"),
        Case(
            name: "id differs from folder", old: "id: acme-sales-marketing", new: "id: other",
            message: "id 'other' must equal the agreement's folder name 'acme-sales-marketing'"),
        Case(
            name: "matrix corners", old: "good_match_high_engagement: 1", new: "good_match_high_engagement: 2",
            message: "good_match_high_engagement must be 1, got 2"),
        Case(
            name: "matrix middle twice", old: "poor_match_high_engagement: 3", new: "poor_match_high_engagement: 2",
            message: "poor_match_high_engagement and good_match_low_engagement are both 2; one must be 2 and the other 3"),
        Case(
            name: "required above signatories", old: "    required: all\n    signatories:\n      - name: Søren",
            new: "    required: 2\n    signatories:\n      - name: Søren",
            message: "required must be 1, got 2"),
        Case(
            name: "anchor", old: "title: Service", new: "title: &t Service",
            message: "anchors (&t) are not allowed; write the value out"),
        Case(
            name: "YAML tag", old: "company: Acme ApS", new: "company: !!str Acme ApS",
            message: "YAML tags (tag:yaml.org,2002:str) are not allowed"),
        Case(
            name: "empty text", old: "reviewer: Lars Nielsen", new: "reviewer: \"  \"",
            message: "reviewer must not be empty"),
    ]

    @Test("invalid input is an error with a clear message", arguments: invalidCases.filter { !$0.message.isEmpty })
    func invalid(_ c: Case) throws {
        let text = try ProjectFiles.exampleText.replacingOnce(c.old, with: c.new)
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(diagnostics.errors.map(\.message).contains(c.message), "\(diagnostics.map(\.message))")
    }

    @Test("a key may be listed only once in an agreement")
    func duplicateKey() throws {
        let text = try ProjectFiles.exampleText
        let keys = text.split(separator: "\n").filter { $0.contains("key: ssh-ed25519") }
        #expect(keys.count == 2)
        let first = keys[0].split(separator: "key: ")[1]
        let second = keys[1].split(separator: "key: ")[1]
        let (agreement, diagnostics) = decode(text.replacingOnce(String(second), with: String(first)))
        #expect(agreement == nil)
        let line = try #require(text.position(of: String(first))).line
        #expect(diagnostics.map(\.message) == ["this key is already listed at line \(line); a key may be listed only once in an agreement"])
    }

    @Test("duplicate keys are found in mappings of any size, with the first one's line")
    func duplicateKeysInLargeMappings() throws {
        for size in [2, 16, 17, 40] {
            var lines = (1...size).map { "k\($0): \($0)" }
            lines.append("k1: again")
            let (root, problems) = YAMLReader.read(Data(lines.joined(separator: "\n").utf8))
            #expect(problems.map(\.message) == ["duplicate key 'k1' (first at line 1)"], "size \(size)")
            #expect(problems.first?.position.line == size + 1)
            guard case .mapping(let mapping)? = root else {
                Issue.record("no mapping for size \(size)")
                continue
            }
            #expect(mapping.entries.map(\.key.text) == (1...size).map { "k\($0)" })
            #expect(mapping["k1"] == .scalar(YAMLScalar(text: "1", isPlain: true, position: SourcePosition(line: 1, column: 5))))
        }
    }

    @Test("a text of white space only is empty, whatever the white space")
    func whiteSpaceOnlyText() throws {
        for blank in ["\" \"", "\"\\u00A0\"", "\"\\u3000 \\t\""] {
            let text = try ProjectFiles.exampleText.replacingOnce("company: Acme ApS\n", with: "company: \(blank)\n")
            let (agreement, diagnostics) = decode(text)
            #expect(agreement == nil)
            #expect(diagnostics.contains { $0.message == "company must not be empty" }, "\(blank)")
        }
        let text = try ProjectFiles.exampleText.replacingOnce("company: Acme ApS\n", with: "company: \"\\u00A0Acme\"\n")
        #expect(decode(text).0?.company == "\u{00A0}Acme")
    }

    @Test("duplicate YAML keys are errors at the second one")
    func duplicateYAMLKey() throws {
        let text = try ProjectFiles.exampleText.replacingOnce("company: Acme ApS\n", with: "company: Acme ApS\ncompany: Other ApS\n")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let line = try #require(text.position(of: "company: Other")).line
        #expect(
            diagnostics.map(\.description) == [
                "agreements/acme-sales-marketing/draft.yaml:\(line):1: duplicate key 'company' (first at line \(line - 1))"
            ])
    }

    @Test("aliases are refused without expanding them")
    func aliasBomb() {
        var text = "a: &a [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]\n"
        for level in 1...30 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            text +=
                "l\(level): &l\(level) [*\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous)]\n"
        }
        text += "? *l30\n: boom\n"
        let clock = ContinuousClock()
        var result: (Agreement?, [Diagnostic])?
        let elapsed = clock.measure { result = decode(text) }
        #expect(result?.0 == nil)
        #expect(result?.1.contains { $0.message.hasPrefix("aliases (*") } == true)
        // Expanding 9^30 nodes would never finish; a refusal takes milliseconds.
        #expect(elapsed < .seconds(5))
    }

    @Test("more than one document is an error")
    func twoDocuments() throws {
        let (agreement, diagnostics) = decode(try ProjectFiles.exampleText + "---\nschema: sla/1\n")
        #expect(agreement == nil)
        #expect(diagnostics.first?.message == "only one YAML document is allowed; found a second one here")
    }

    @Test("text that is not UTF-8 is refused with its position")
    func notUTF8() throws {
        let text = try ProjectFiles.exampleText
        var data = Data(text.utf8)
        let offset = try #require(data.firstIndex(of: UInt8(ascii: "A")))
        let position = try #require(text.position(of: "A"))
        data[offset] = 0xFF
        let (agreement, diagnostics) = AgreementDecoder.decode(data, file: "f.yaml", expectedID: nil)
        #expect(agreement == nil)
        #expect(diagnostics.map(\.description) == ["f.yaml:\(position): text is not valid UTF-8 (byte \(offset))"])
    }

    @Test("a list of the wrong length still has its entries checked: every problem at once")
    func wrongLengthListEntriesChecked() throws {
        let text = try ProjectFiles.exampleText
        // Three more KPIs (the example has six: 9 > 7), one repeating a name.
        let extra = [("Leads genereret", "Igen."), ("Ekstra 1", "En."), ("Ekstra 2", "To.")]
            .map { "    - name: \($0.0)\n      definition: \"\($0.1)\"\n" }.joined()
        let (agreement, diagnostics) = decode(text.replacingOnce("  reporting:", with: extra + "  reporting:"))
        #expect(agreement == nil)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("items must have") && $0.contains("got 9") }, "\(messages)")
        #expect(messages.contains("KPI 'Leads genereret' is listed twice (first as items[1])"), "\(messages)")
    }

    @Test(
        "a row wrong in two ways is reported twice: a persona repeating name and priority, a goal with a bad target repeating its identity")
    func rowsWrongTwice() throws {
        let text = try ProjectFiles.exampleText
        let persona = text.replacingOnce(
            "    - name: Pia projektleder\n      priority: secondary", with: "    - name: Dan direktør\n      priority: primary")
        let messages = decode(persona).1.map(\.message)
        #expect(messages.contains("persona 'Dan direktør' is listed twice"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("two personas have priority primary") }, "\(messages)")
        let goal = text.replacingOnce(
            "{ metric: leads, target: 2500, deadline: 2027-12-31 }", with: "{ metric: leads, target: -1, deadline: 2027-06-30 }")
        let goalMessages = decode(goal).1.map(\.message)
        #expect(goalMessages.contains("target must be 0 or more, got -1"), "\(goalMessages)")
        #expect(goalMessages.contains { $0.hasPrefix("goal leads with deadline 2027-06-30 is listed twice") }, "\(goalMessages)")
    }

    @Test("a control character after a quoted text that runs over two lines is named as such, not as an open quote")
    func controlCharacterAfterQuotes() throws {
        let text = try ProjectFiles.exampleText
            .replacingOnce("company: Acme ApS", with: "company: \"Acme\n  ApS\"")
            .replacingOnce("    - name: Leads genereret", with: "    - name: Leads\u{07} genereret")
        let position = try #require(text.position(of: "Leads\u{07}"))
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.position == SourcePosition(line: position.line, column: position.column + 5), "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("control characters") == true, "\(diagnostics)")
    }

    @Test("signatories: [] is one problem, not also one about required")
    func noSignatories() throws {
        let text = try ProjectFiles.exampleText
        // Marketing's party: `required: 2` and no signatories.
        let start = try #require(text.range(of: "    required: all\n    signatories:\n"))
        let end = try #require(text.range(of: "  - id: sales"))
        let edited = text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "    required: 2\n    signatories: []\n")
        let messages = decode(edited).1.map(\.message)
        #expect(messages.contains { $0.contains("signatories must have") && $0.contains("got 0") }, "\(messages)")
        #expect(!messages.contains { $0.hasPrefix("required") }, "\(messages)")
    }

    @Test("a control character is reported where it stands (line, and column in characters), with its code")
    func controlCharacter() throws {
        let text = try ProjectFiles.exampleText
        let position = try #require(text.position(of: "Acme ApS\nlanguage"))
        let (agreement, diagnostics) = decode(text.replacingOnce("Acme ApS\nlanguage", with: "Acmeø\u{01}ApS\nlanguage"))
        #expect(agreement == nil)
        let first = try #require(diagnostics.first)
        #expect(first.position == SourcePosition(line: position.line, column: position.column + 5), "\(diagnostics)")
        #expect(first.message.contains("control characters") && first.message.contains("U+0001"), "\(first.message)")
    }

    @Test(
        "a text may not hold a control character or a bidirectional override, written raw or as an escape (the terminal would act on it)",
        arguments: [
            ("\"Acme\\e[2J ApS\"", "U+001B"), ("\"Acme\\r ApS\"", "U+000D"), ("\"Acme\\x9b ApS\"", "U+009B"),
            ("Acme \u{202E}SpA", "U+202E"), ("\"Acme \\u2067 ApS\"", "U+2067"), ("\"Acme\\L ApS\"", "U+2028"),
        ])
    func displayControl(_ value: String, _ code: String) throws {
        let text = try ProjectFiles.exampleText
        let position = try #require(text.position(of: "Acme ApS\nlanguage"))
        let (agreement, diagnostics) = decode(text.replacingOnce("Acme ApS\nlanguage", with: "\(value)\nlanguage"))
        #expect(agreement == nil)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.position == SourcePosition(line: position.line, column: position.column), "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("control character \(code)") == true, "\(diagnostics)")
        // A tab and a line break, written as escapes, are text.
        let (plain, problems) = decode(text.replacingOnce("Acme ApS\nlanguage", with: "\"Acme\\tApS\\n\"\nlanguage"))
        #expect(plain?.company == "Acme\tApS\n", "\(problems)")
    }

    @Test(
        "a line break other than LF or CRLF is refused where it stands (libyaml would count lines differently)",
        arguments: ["\r", "\u{85}", "\u{2028}", "\u{2029}"])
    func strayLineBreak(_ lineBreak: String) throws {
        let text = try ProjectFiles.exampleText
        let position = try #require(text.position(of: "Acme ApS\nlanguage"))
        let (agreement, diagnostics) = decode(text.replacingOnce("Acme ApS\nlanguage", with: "Acme\(lineBreak)ApS\nlanguage"))
        #expect(agreement == nil)
        #expect(
            diagnostics.map(\.description) == [
                "agreements/acme-sales-marketing/draft.yaml:\(position.line):\(position.column + 4): a line break other than LF or CRLF (a lone carriage return, U+0085, U+2028 or U+2029); end lines with LF"
            ])
        // CRLF line endings, as Windows editors write them, are fine.
        let (crlf, problems) = decode(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf != nil, "\(problems)")
    }

    @Test("the byte scanners find a stray line break or a bad byte at every offset (read eight bytes at a time)")
    func scannersAtEveryOffset() {
        let ascii = Array("key: some plain ASCII text that runs past several words\n".utf8)
        #expect(UTF8Validation.firstStrayLineBreak(in: Data(ascii)) == nil)
        #expect(UTF8Validation.firstInvalidByte(in: Data(ascii)) == nil)
        for offset in 0..<(ascii.count - 1) {
            var lone = ascii
            lone[offset] = 0x0D
            // (Just before the final LF it makes a CRLF.)
            #expect(UTF8Validation.firstStrayLineBreak(in: Data(lone)) == (offset == ascii.count - 2 ? nil : offset), "CR at \(offset)")
            var pair = ascii
            pair.insert(contentsOf: [0x0D, 0x0A], at: offset)
            #expect(UTF8Validation.firstStrayLineBreak(in: Data(pair)) == nil, "CRLF at \(offset)")
            var separator = ascii
            separator.insert(contentsOf: [0xE2, 0x80, 0xA8], at: offset)
            #expect(UTF8Validation.firstStrayLineBreak(in: Data(separator)) == offset, "U+2028 at \(offset)")
            var danish = ascii
            danish.insert(contentsOf: Array("æø".utf8), at: offset)
            #expect(UTF8Validation.firstInvalidByte(in: Data(danish)) == nil, "æø at \(offset)")
            #expect(UTF8Validation.firstStrayLineBreak(in: Data(danish)) == nil, "æø at \(offset)")
            var invalid = danish
            invalid[offset + 1] = 0x41  // the second byte of æ
            #expect(UTF8Validation.firstInvalidByte(in: Data(invalid)) == offset, "broken æ at \(offset)")
            var high = ascii
            high[offset] = 0xFF
            #expect(UTF8Validation.firstInvalidByte(in: Data(high)) == offset, "0xFF at \(offset)")
        }
    }

    @Test("files over 1 MiB are refused before parsing")
    func oversized() throws {
        let text = try ProjectFiles.exampleText + "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasSuffix("agreement files may be at most 1 MiB") == true)
    }

    @Test("deep nesting is refused, not recursed into")
    func deepNesting() {
        let text = "a: " + String(repeating: "[", count: 100_000)
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        #expect(diagnostics.count == 1)
    }

    @Test("a YAML syntax error has a position")
    func syntaxError() {
        let (agreement, diagnostics) = decode("schema: sla/1\nid: [unclosed\n")
        #expect(agreement == nil)
        #expect(diagnostics.first?.description.hasPrefix("agreements/acme-sales-marketing/draft.yaml:3:1: YAML syntax") == true)
    }

    @Test("goals out of funnel order and an unreachable SQL goal are warnings")
    func consistencyWarnings() throws {
        let text = try ProjectFiles.exampleText
            .replacingOnce("sql_per_month: 40", with: "sql_per_month: 20")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement != nil)
        #expect(diagnostics.errors.isEmpty)
        #expect(diagnostics.warnings.count == 2)
        #expect(diagnostics.warnings.allSatisfy { $0.description.hasPrefix("warning: agreements/") })
        #expect(
            diagnostics.warnings.contains { $0.message.contains("sql target 180 by 2027-06-30") && $0.message.contains("6 whole months") })
    }

    @Test("both built-in templates parse and ask only for what the user must fill in", arguments: Language.allCases)
    func templates(_ language: Language) {
        let text = AgreementTemplate.text(
            language: language, id: "new-sla", company: "Ny \"Firma\" ApS", effectiveFrom: LocalDate(year: 2027, month: 1, day: 1)!)
        let (agreement, diagnostics) = decode(text, id: "new-sla")
        #expect(agreement == nil)
        #expect(!diagnostics.isEmpty)
        for d in diagnostics.errors {
            #expect(d.message.hasSuffix("must not be empty"), "\(d)")
        }
        #expect(text.contains("company: \"Ny \\\"Firma\\\" ApS\""))
    }
}

@Suite("YAML syntax errors in the user's terms")
struct YAMLSyntaxMessageTests {
    static let quality =
        #"    quality: "Et overleveret lead er et SQL efter definitionen i afsnit 3 og har navn, titel, virksomhed, telefonnummer og e-mail udfyldt i CRM, sammen med en kort note om, hvilket indhold det har set.""#

    @Test("a tab in the indentation: use spaces, at the tab's line")
    func tab() throws {
        let text = try ProjectFiles.exampleText.replacingOnce("\n  purpose: ", with: "\n\tpurpose: ")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement == nil)
        let line = try #require(text.position(of: "\tpurpose")).line
        #expect(
            diagnostics.contains { $0.position.line == line && $0.message.contains("tab character") && $0.message.contains("spaces") },
            "\(diagnostics)")
    }

    @Test("a colon inside an unquoted value: put the text in quotes")
    func colon() throws {
        let text = try ProjectFiles.exampleText.replacingOnce(Self.quality, with: "    quality: Every SQL has: a company")
        let (_, diagnostics) = decode(text)
        let line = try #require(text.position(of: "quality: Every")).line
        #expect(diagnostics.contains { $0.position.line == line && $0.message.contains("in quotes") }, "\(diagnostics)")
        #expect(!diagnostics.contains { $0.message.contains("mapping values") })
    }

    @Test("an unterminated quote is reported where it opens")
    func openQuote() throws {
        let text = try ProjectFiles.exampleText.replacingOnce("godkendt dem.\"\n", with: "godkendt dem.\n")
        let (_, diagnostics) = decode(text)
        let line = try #require(text.position(of: "  purpose:")).line
        #expect(diagnostics.contains { $0.position.line == line && $0.message.contains("quote opened at line \(line)") }, "\(diagnostics)")
    }

    @Test("an amount that looks like a Danish thousand (1.500) is valid, with a warning at its line")
    func thousandsLookalike() throws {
        let text = try ProjectFiles.exampleText
            .replacingOnce("target: 1100000, unit: DKK", with: "target: 1100.000, unit: DKK")
            .replacingOnce("revenue_contribution: 1000000", with: "revenue_contribution: 1000.000")
        let (agreement, diagnostics) = decode(text)
        #expect(agreement?.goals.first { $0.metric == .revenue }?.target == Decimal(1100))
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        let lines = diagnostics.map(\.position.line)
        #expect(
            lines == [try #require(text.position(of: "1100.000")).line, try #require(text.position(of: "1000.000")).line], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("write it without a separator: 1100000") == true, "\(diagnostics)")
    }
}
