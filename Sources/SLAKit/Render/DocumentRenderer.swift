import Foundation
import Mustache

/// The formats `sla render` writes.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case markdown, html
}

/// Fills the document templates. Values are escaped by the template's content type: HTML's,
/// or `MarkdownText` for markdown, so a `|` or `*` in an agreement never breaks the layout.
public enum DocumentRenderer {
    private static let library: MustacheLibrary = {
        MustacheContentTypes.register(MarkdownText(), named: "MARKDOWN")
        var library = MustacheLibrary()
        do {
            try library.register(DocumentTemplates.markdown, named: "markdown")
            try library.register(DocumentTemplates.html, named: "html")
            try library.register(DocumentTemplates.style, named: "documentStyle")
            try library.register(DocumentTemplates.body, named: "documentBody")
        } catch {
            // The templates are constants of this program; every test of render parses them.
            fatalError("sla's own document template does not parse: \(error)")
        }
        return library
    }()

    public static func render(_ document: AgreementDocument, as format: DocumentFormat) -> String {
        tidy(library.render(document, withTemplate: format.rawValue) ?? "")
    }

    /// The document without its page, for the web service to show inside its own.
    public static func htmlBody(_ document: AgreementDocument) -> String {
        tidy(library.render(document, withTemplate: "documentBody") ?? "")
    }

    /// The document's style sheet.
    public static var htmlStyle: String { DocumentTemplates.style }

    /// At most one empty line in a row, and one newline at the end.
    private static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace), lines.last?.isEmpty ?? true { continue }
            lines.append(line.allSatisfy(\.isWhitespace) ? "" : line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Markdown's escaping of inline text: every character with a meaning in CommonMark or in a
/// GFM table is backslash-escaped, and a line break inside a value becomes `<br>` so a table
/// row stays one line.
struct MarkdownText: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let character = rest.popFirst() {
            switch character {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "~":
                out.append("\\")
                out.append(character)
            case "&" where rest.first.map { $0.isLetter || $0.isNumber || $0 == "#" } ?? false:
                // `&amp;` in the text is those five characters, not an entity to decode.
                out.append("\\&")
            case "\r\n", "\n", "\r":
                out.append("<br>")
            default:
                out.append(character)
            }
        }
        return out
    }
}
