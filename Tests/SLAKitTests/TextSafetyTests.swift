import Foundation
import Testing

@testable import SLAKit

/// Escaping for terminals, markdown, HTML, the shell and iCalendar works on Unicode scalars: a
/// combining mark after `|`, `'`, `"` or `]` makes one Swift Character that a comparison by
/// Character passes over, while the reader of the output still sees the ASCII character.
@Suite("Text written into other formats")
struct TextSafetyTests {
    static let acute = "\u{301}"

    @Test("what sla prints shows control characters as escapes; CRLF, tab and line feed stay")
    func visible() {
        #expect(DisplayControl.visible("plain text\n") == "plain text\n")
        #expect(DisplayControl.visible("x\rOK\u{1B}[K") == "x\\x0DOK\\x1B[K")
        #expect(DisplayControl.visible("a\r\nb\tc\u{7F}\u{9B}") == "a\r\nb\tc\\x7F\\x9B")
        #expect(DisplayControl.visible("abc\u{202E}fed\u{2066}") == "abc\\u202Efed\\u2066")
        #expect(DisplayControl.visible("trailing\r") == "trailing\\x0D")
        #expect(DisplayControl.visible("Søren – “quoted” ✓") == "Søren – “quoted” ✓")
    }

    @Test("the byte scan that spares a page without controls agrees with the scalar rule, for every scalar up to U+3000")
    func byteScan() {
        for value in UInt32(0)..<0x3000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "x" + String(Character(scalar)) + "y"
            #expect(DisplayControl.needsEscaping(text.utf8) == DisplayControl.isControl(scalar), "U+\(String(value, radix: 16))")
        }
        #expect(!DisplayControl.needsEscaping("a\r\nb".utf8))
        #expect(DisplayControl.needsEscaping("a\rb".utf8) && DisplayControl.needsEscaping("a\r".utf8))
    }

    @Test("markdown escapes a table bar, a bracket or an angle bracket even with a combining mark after it")
    func markdown() {
        #expect(MarkdownText.escape("a|\(Self.acute)b") == "a\\|\(Self.acute)b")
        #expect(MarkdownText.escape("[\(Self.acute)x](http://e)") == "\\[\(Self.acute)x\\](http://e)")
        #expect(MarkdownText.escape("<\(Self.acute)script>") == "\\<\(Self.acute)script\\>")
        #expect(MarkdownText.escape("one\r\ntwo\nthree") == "one<br>two<br>three")
        #expect(MarkdownText.escape("one\ntwo", keepingLineBreaks: true) == "one\ntwo")
        #expect(MarkdownText.escape("&amp; & x") == "\\&amp; & x")
    }

    @Test("the report's HTML escapes a quote or an angle bracket with a combining mark after it")
    func html() {
        #expect(
            ReportHTML.escape("\"\(Self.acute) onload=x <\(Self.acute)b> & ✓")
                == "&quot;\(Self.acute) onload=x &lt;\(Self.acute)b&gt; &amp; ✓")
    }

    @Test(
        "a word for the shell comes back as it was, whatever it holds",
        arguments: ["/usr/local/bin/sla", "/opt/my sla/sla", "/tmp/it's/sla", "/tmp/'\u{301}; touch pwned; '/sla", "/tmp/$(id)`x`\\\"", ""])
    func shellWord(_ word: String) throws {
        let quoted = ShellWord.quoted(word)
        if word == "/usr/local/bin/sla" { #expect(quoted == word) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' \(quoted)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output == Data(word.utf8), "\(quoted)")
    }

    @Test("an iCalendar parameter value never holds a double quote, and is quoted when it holds : ; or , (combining marks or not)")
    func calendarParameter() {
        #expect(ICalendar.parameter("Lars \"\(Self.acute)x") == "Lars '\(Self.acute)x")
        #expect(ICalendar.parameter("Evil:\(Self.acute)mailto") == "\"Evil:\(Self.acute)mailto\"")
        #expect(ICalendar.parameter("Mette Hansen") == "Mette Hansen")
    }

    @Test("a diff path escapes ] and \\ in a record's identity, a combining mark after it or not")
    func diffPath() {
        let path = DiffStep.path([.field("kpis"), .record("a]\(Self.acute)b\\"), .field("target")])
        #expect(path == "kpis[a\\]\(Self.acute)b\\\\].target")
    }

    @Test("renew's edit of one scalar keeps CRLF line ends, and every other byte")
    func editCRLF() throws {
        let text = try ProjectFiles.exampleText.replacingOccurrences(of: "\n", with: "\r\n")
        let edited = try #require(
            YAMLEdit.replacingScalar(in: Data(text.utf8), path: ["validity", "effective_from"], with: "2031-07-01"))
        let expected = text.replacingOccurrences(of: "effective_from: 2027-01-01\r\n", with: "effective_from: 2031-07-01\r\n")
        #expect(expected != text)
        #expect(edited == Data(expected.utf8))
    }
}
