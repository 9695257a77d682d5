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
    func escapeText(_ text: String) -> String { Self.escape(text) }

    /// With `keepingLineBreaks`, for text that goes on over several lines of a list item (the
    /// diff's), line breaks stay as they are.
    static func escape(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // By scalar, not by Character: a combining mark after `|` or `[` makes one Character
        // that no case below would match, and a markdown reader still sees the `|` or `[`.
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            switch scalar {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "~":
                out.append("\\")
                out.append(scalar)
            case "&" where next.map { CharacterSet.alphanumerics.contains($0) || $0 == "#" } ?? false:
                // `&amp;` in the text is those five characters, not an entity to decode.
                out.append(contentsOf: "\\&".unicodeScalars)
            case "\r", "\n":
                if keepingLineBreaks {
                    out.append(scalar)
                } else {
                    out.append(contentsOf: "<br>".unicodeScalars)
                    if scalar == "\r", next == "\n" { next = scalars.next() }
                }
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
