import Foundation
import Testing

@testable import SLAKit

// Re-record the golden documents on purpose only:
//     SLA_RECORD_GOLDEN=1 swift test --filter RenderTests
@Suite("render: the agreement as a document")
struct RenderTests {
    static let example: Agreement = {
        let (agreement, diagnostics) = decode((try? ProjectFiles.exampleText) ?? "")
        guard let agreement else { fatalError("the example agreement does not decode: \(diagnostics)") }
        return agreement
    }()

    /// The signature block of a version: one verified signature, one that is not valid, and a
    /// signatory of the version in force approving a change of signatories.
    static func signed(_ agreement: Agreement) -> AgreementDocument.Subject {
        let mette = agreement.parties[0].signatories[0]
        let soren = agreement.parties[1].signatories[0]
        return .version(
            2, sha256: String(repeating: "ab", count: 32),
            signatures: [
                DocumentSignature(
                    name: mette.name, role: mette.role, partyName: "Marketing", principal: mette.principal, key: mette.key,
                    signedAt: "2026-12-01T09:30:00Z", verdict: .verified),
                DocumentSignature(
                    name: soren.name, role: soren.role, partyName: "Salg", principal: soren.principal, key: soren.key, signedAt: nil,
                    verdict: .invalid("was made for other bytes than v2 has (sha256 differs)")),
            ],
            approved: false, missing: [Person(name: soren.name, principal: soren.principal)])
    }

    @Test(
        "markdown and HTML in both languages match the golden files",
        arguments: [(DocumentFormat.markdown, Language.da), (.markdown, .en), (.html, .da), (.html, .en)])
    func golden(_ format: DocumentFormat, _ language: Language) throws {
        let document = AgreementDocument(Self.example, subject: Self.signed(Self.example), language: language)
        let output = DocumentRenderer.render(document, as: format)
        try DiffTests.compare(output, golden: "render-\(language.rawValue).\(format == .markdown ? "md" : "html")")
    }

    @Test("markdown headings are '## N. Title' with the seed's Danish titles, as diff titles its sections")
    func headings() {
        let output = DocumentRenderer.render(AgreementDocument(Self.example, subject: .draft), as: .markdown)
        let headings = output.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        let seed = [
            "1. Overblik over aftale", "2. Den ideelle kunde", "3. Definitioner på leads", "4. Målsætninger",
            "5. Behandling af leads", "6. Analyse og optimering af performance", "7. Gyldighed",
        ]
        #expect(Array(headings.prefix(7)) == seed)
        #expect(headings.prefix(7).elementsEqual((1...7).map { Vocabulary.sectionTitle($0, language: .da) }))
        #expect(headings.last == "Underskrifter")
    }

    @Test("a draft has no signature table, and says how it comes to be signed")
    func draft() {
        for format in DocumentFormat.allCases {
            let output = DocumentRenderer.render(AgreementDocument(Self.example, subject: .draft, language: .en), as: format)
            #expect(output.contains("A draft is not signed"))
            #expect(!output.contains("Key (fingerprint)"))
            #expect(output.contains("Draft (not proposed as a version)"))
        }
    }

    @Test("the signature block: fingerprints as ssh-keygen -l prints them, verdicts, who is still to sign")
    func signatureBlock() throws {
        let document = AgreementDocument(Self.example, subject: Self.signed(Self.example), language: .en)
        let output = DocumentRenderer.render(document, as: .markdown)
        let line = try #require(output.split(separator: "\n").first { $0.contains("Mette Hansen") && $0.contains("SHA256:") })
        #expect(line.contains("2026-12-01T09:30:00Z") && line.hasSuffix("| Verified |"))
        let fingerprint = String(line.split(separator: "`")[1])
        #expect(fingerprint.hasPrefix("SHA256:") && fingerprint.count == 7 + 43)
        #expect(output.contains("Not valid: was made for other bytes"))
        #expect(output.contains("Still to sign: Søren Jensen."))
        let approved = AgreementDocument(
            Self.example, subject: .version(1, sha256: "00", signatures: [], approved: true, missing: []), language: .da)
        #expect(DocumentRenderer.render(approved, as: .html).contains("Versionen er godkendt af alle parter."))
    }

    @Test("text from the agreement cannot break the layout: markdown escapes, HTML escapes")
    func escaping() throws {
        let text = try ProjectFiles.exampleText
            .replacingOnce(
                "characteristic: \"Antal ansatte > 200\"", with: "characteristic: \"a | b *c* <script>x</script> &amp; R & D\\nnext\"")
        let (agreement, diagnostics) = decode(text)
        let decoded = try #require(agreement, "\(diagnostics)")
        let markdown = DocumentRenderer.render(AgreementDocument(decoded, subject: .draft), as: .markdown)
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| Virksomhedsstørrelse") })
        // `&amp;` stays those five characters (not decoded to `&`); a lone `&` needs no escape.
        #expect(row == "| Virksomhedsstørrelse | a \\| b \\*c\\* \\<script\\>x\\</script\\> \\&amp; R & D<br>next | 1 |")
        let html = DocumentRenderer.render(AgreementDocument(decoded, subject: .draft), as: .html)
        #expect(html.contains("a | b *c* &lt;script&gt;x&lt;/script&gt; &amp;amp; R &amp; D"))
        #expect(!html.contains("<script>"))
    }

    @Test("the lead matrix is a 2x2 grid: good match on top, high engagement on the right")
    func matrix() throws {
        var agreement = Self.example
        agreement.leadDefinitions.matrix = LeadMatrix(
            goodMatchHighEngagement: 1, goodMatchLowEngagement: 3, poorMatchHighEngagement: 2, poorMatchLowEngagement: 4)
        let markdown = DocumentRenderer.render(AgreementDocument(agreement, subject: .draft, language: .en), as: .markdown)
        #expect(markdown.contains("| **Good match** | Priority 3 | Priority 1 |"))
        #expect(markdown.contains("| **Poor match** | Priority 4 | Priority 2 |"))
    }

    @Test(
        "numbers are grouped as the language writes them",
        arguments: [
            (Decimal(1_100_000), Language.da, "1.100.000"), (Decimal(1_100_000), .en, "1,100,000"), (Decimal(string: "12.5")!, .da, "12,5"),
            (Decimal(string: "1234.75")!, .en, "1,234.75"), (Decimal(0), .da, "0"), (Decimal(999), .en, "999"),
            (Decimal(1000), .da, "1.000"),
        ])
    func numbers(_ value: Decimal, _ language: Language, _ expected: String) {
        #expect(DocumentWords(language).number(value) == expected)
    }

    @Test("the validity block: valid from, renewals, responsible person, last and next renewal (month ends clamped)")
    func validity() {
        var agreement = Self.example
        agreement.validity.effectiveFrom = LocalDate(iso: "2027-08-31")!
        let markdown = DocumentRenderer.render(AgreementDocument(agreement, subject: .draft, language: .da), as: .markdown)
        #expect(markdown.contains("| Seneste fornyelse | 2027-08-31 |"))
        #expect(markdown.contains("| Næste fornyelse | 2028-02-29 |"))
        #expect(markdown.contains("| Fornyelse | Halvårligt |"))
        #expect(markdown.contains("| Ansvarlig for fornyelse | Lars Nielsen |"))
        #expect(markdown.contains("| Påmindelser (dage før) | 30, 7 og 1 |"))
    }
}
