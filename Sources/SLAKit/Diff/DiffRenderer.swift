import Crypto
import Foundation

public enum DiffFormat: String, Sendable, CaseIterable {
    case text, json, markdown
}

/// Shows an `AgreementDiff` to people (text, markdown) or programs (json). Output depends
/// only on its arguments: no clock, no terminal, colour only when asked.
public enum DiffRenderer {

    /// - Parameters:
    ///   - agreement: the agreement's id; `from`/`to` are "vN" or "draft".
    ///   - language: of the headings and field names (the agreement's `language`).
    ///   - colour: ANSI colours in `text` (the caller decides from the terminal and
    ///     `NO_COLOR`); ignored by the other formats.
    public static func render(
        _ diff: AgreementDiff, agreement: String, from: String, to: String,
        language: Language, format: DiffFormat, colour: Bool = false
    ) -> String {
        switch format {
        case .json: DiffJSON.document(diff, agreement: agreement, from: from, to: to)
        case .text: TextDiff(language: language, colour: colour).render(diff)
        case .markdown: MarkdownDiff(language: language).render(diff, agreement: agreement, from: from, to: to)
        }
    }
}

// MARK: - Labels and values shared by text and markdown

/// How a change is named for people: its record and field names joined by " › ", e.g.
/// `Part "sales" › Underskriver "soren@acme.dk" › Nøgle`.
struct ChangeLabel {
    /// Each step's name; the section's own key is left out where the heading says it.
    let parts: [String]
    /// The schema path of the last step, which says how to show values.
    let schemaPath: String
    /// Whether the change is a whole record (added or removed).
    let isRecord: Bool
    /// Whether the change is one element of a set-like list (attendees, remind_days_before).
    let isSetElement: Bool

    static let setPaths: Set<String> = ["kpis.reporting.attendees", "validity.remind_days_before"]

    init(_ change: AgreementDiff.Change, language: Language) {
        let steps = change.steps
        var parts: [String] = []
        var schema: [String] = []
        for (i, step) in steps.enumerated() {
            switch step {
            case .field(let key):
                schema.append(key)
                let last = i == steps.count - 1
                if !last, case .record = steps[i + 1] { continue }
                if i == 0, !last, Vocabulary.sectionNumber(key) != 0 { continue }
                parts.append(Vocabulary.fieldName(schema.joined(separator: "."), language: language))
            case .record(let identity):
                parts.append("\(Vocabulary.recordName(schema.joined(separator: "."), language: language)) \"\(identity)\"")
            }
        }
        self.parts = parts
        self.schemaPath = schema.joined(separator: ".")
        if case .record = steps.last { isRecord = true } else { isRecord = false }
        isSetElement = ChangeLabel.setPaths.contains(schemaPath)
    }

    var text: String { parts.joined(separator: " › ") }
}

enum DiffDisplay {
    /// A value on one line for people: keys as `ssh-keygen -l` fingerprints.
    static func scalar(_ value: DiffValue?, schemaPath: String) -> String {
        guard let value else { return "—" }
        if schemaPath.hasSuffix("signatories.key"), case .string(let key) = value {
            return fingerprint(key)
        }
        return value.plainText
    }

    /// `SHA256:…` as `ssh-keygen -l` prints it; the line itself if it is not a key.
    static func fingerprint(_ keyLine: String) -> String {
        let parts = keyLine.split(separator: " ")
        guard parts.count >= 2, let blob = Data(base64Encoded: String(parts[1])) else { return keyLine }
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The fields of a whole record as (name, value) lines, nested lists of records as
    /// sub-records, in the schema's order.
    indirect enum Line {
        case field(name: String, value: String)
        case list(name: String, items: [[Line]])
    }

    static func lines(_ value: DiffValue, schemaPath: String, language: Language) -> [Line] {
        guard case .object(let fields) = value else {
            return [
                .field(
                    name: Vocabulary.fieldName(schemaPath, language: language),
                    value: scalar(value, schemaPath: schemaPath))
            ]
        }
        return fields.map { field in
            let path = schemaPath + "." + field.key
            let name = Vocabulary.fieldName(path, language: language)
            if case .list(let items) = field.value, items.contains(where: { if case .object = $0 { true } else { false } }) {
                return .list(name: name, items: items.map { lines($0, schemaPath: path, language: language) })
            }
            return .field(name: name, value: scalar(field.value, schemaPath: path))
        }
    }

    /// Keys are compared as fingerprints, never word by word.
    static func isLongTextChange(_ change: AgreementDiff.Change, schemaPath: String) -> Bool {
        guard change.kind == .changed, !schemaPath.hasSuffix("signatories.key"), case .string(let a)? = change.old,
            case .string(let b)? = change.new
        else {
            return false
        }
        return WordDiff.isLongText(a) || WordDiff.isLongText(b)
    }
}

// MARK: - Text

private struct TextDiff {
    let language: Language
    let colour: Bool

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m" + DisplayControl.visible(text) + "\u{1B}[0m" : text
    }
    func red(_ text: String) -> String { paint(text, "31") }
    func green(_ text: String) -> String { paint(text, "32") }

    func render(_ diff: AgreementDiff) -> String {
        let words = Vocabulary.words(language)
        var out = diff.summary(language: language) + "\n"
        for (section, changes) in grouped(diff) {
            out += "\n" + paint(Vocabulary.sectionTitle(section, language: language), "1") + "\n"
            if changes.contains(where: \.affectsSigning) {
                out += paint("  ! " + words.changesWhoMustSign, "1;33") + "\n"
            }
            for change in changes { out += line(change) }
        }
        return out
    }

    func line(_ change: AgreementDiff.Change) -> String {
        let label = ChangeLabel(change, language: language)
        let path = label.schemaPath
        if label.isRecord, let whole = change.kind == .added ? change.new : change.old {
            let sign = change.kind == .added ? "+" : "-"
            var block = "  \(sign) \(label.text)\n"
            block += render(DiffDisplay.lines(whole, schemaPath: path, language: language), indent: "      ")
            return change.kind == .added ? green(block) : red(block)
        }
        if label.isSetElement {
            if change.kind == .added {
                return green("  + \(label.text): \(DiffDisplay.scalar(change.new, schemaPath: path))") + "\n"
            }
            return red("  - \(label.text): \(DiffDisplay.scalar(change.old, schemaPath: path))") + "\n"
        }
        if DiffDisplay.isLongTextChange(change, schemaPath: path), case .string(let a)? = change.old, case .string(let b)? = change.new {
            let segments = WordDiff.segments(from: a, to: b)
            let body: String
            if colour {
                body = segments.map { segment in
                    switch segment {
                    case .same(let t): t
                    case .removed(let t): red(t)
                    case .added(let t): green(t)
                    }
                }.joined()
            } else {
                body = WordDiff.plain(segments)
            }
            return "  \(label.text):\n" + indented(body, "    ") + "\n"
        }
        let old = DiffDisplay.scalar(change.old, schemaPath: path)
        let new = DiffDisplay.scalar(change.new, schemaPath: path)
        return "  \(label.text): \(red(old)) → \(green(new))\n"
    }

    func render(_ lines: [DiffDisplay.Line], indent: String) -> String {
        var out = ""
        for line in lines {
            switch line {
            case .field(let name, let value):
                out += indent + name + ": " + indented(value, indent + "  ", first: false) + "\n"
            case .list(let name, let items):
                out += indent + name + ":\n"
                for item in items {
                    let body = render(item, indent: indent + "    ")
                    // The first line of each item carries the bullet.
                    out += indent + "  - " + body.dropFirst(indent.count + 4)
                }
            }
        }
        return out
    }

    func indented(_ text: String, _ indent: String, first: Bool = true) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().map { n, line in
            (n == 0 && !first) || line.isEmpty ? String(line) : indent + line
        }.joined(separator: "\n")
    }
}

private func grouped(_ diff: AgreementDiff) -> [(Int, [AgreementDiff.Change])] {
    var sections: [(Int, [AgreementDiff.Change])] = []
    for change in diff.changes {
        if let last = sections.last, last.0 == change.sectionNumber {
            sections[sections.count - 1].1.append(change)
        } else {
            sections.append((change.sectionNumber, [change]))
        }
    }
    return sections
}

// MARK: - Markdown

private struct MarkdownDiff {
    let language: Language

    func render(_ diff: AgreementDiff, agreement: String, from: String, to: String) -> String {
        let words = Vocabulary.words(language)
        let heading = language == .da ? "Ændringer i" : "Changes to"
        var out = "# \(heading) \(escape(agreement)): \(escape(from)) → \(escape(to))\n\n"
        out += escape(diff.summary(language: language)) + "\n"
        for (section, changes) in grouped(diff) {
            out += "\n## " + Vocabulary.sectionTitle(section, language: language) + "\n\n"
            if changes.contains(where: \.affectsSigning) {
                out += "> **⚠ \(words.changesWhoMustSign).** \(words.signingExplanation)\n\n"
            }
            for change in changes { out += item(change, words: words) }
        }
        return out
    }

    func item(_ change: AgreementDiff.Change, words: Vocabulary.Words) -> String {
        let label = ChangeLabel(change, language: language)
        let path = label.schemaPath
        let name = escape(label.text)
        if label.isRecord, let whole = change.kind == .added ? change.new : change.old {
            let verb = change.kind == .added ? words.added : words.removed
            return "- **\(verb): \(name)**\n" + render(DiffDisplay.lines(whole, schemaPath: path, language: language), indent: "  ")
        }
        if label.isSetElement {
            let verb = change.kind == .added ? words.added : words.removed
            let value = change.kind == .added ? change.new : change.old
            return "- **\(name)** (\(verb.lowercased())): \(inline(DiffDisplay.scalar(value, schemaPath: path)))\n"
        }
        if DiffDisplay.isLongTextChange(change, schemaPath: path), case .string(let a)? = change.old, case .string(let b)? = change.new {
            var body = ""
            var previous: WordDiff.Segment?
            for segment in WordDiff.segments(from: a, to: b) {
                switch segment {
                case .same(let t): body += escape(t)
                case .removed(let t): body += emphasise(t, "~~")
                case .added(let t):
                    if case .removed = previous { body += " " }
                    body += emphasise(t, "**")
                }
                previous = segment
            }
            return "- **\(name)**: " + continued(body) + "\n"
        }
        let old = change.old == nil ? "—" : inline(DiffDisplay.scalar(change.old, schemaPath: path))
        let new = change.new == nil ? "—" : inline(DiffDisplay.scalar(change.new, schemaPath: path))
        return "- **\(name)**: \(old) → \(new)\n"
    }

    func render(_ lines: [DiffDisplay.Line], indent: String) -> String {
        var out = ""
        for line in lines {
            switch line {
            case .field(let name, let value):
                out += indent + "- " + escape(name) + ": " + continued(inline(value), indent: indent + "  ") + "\n"
            case .list(let name, let items):
                // One nested item per record, its fields on one line.
                out += indent + "- " + escape(name) + ":\n"
                for item in items {
                    let fields = item.map { line -> String in
                        guard case .field(let name, let value) = line else { return "" }
                        return escape(name) + ": " + inline(value)
                    }
                    out += indent + "  - " + fields.joined(separator: "; ") + "\n"
                }
            }
        }
        return out
    }

    /// Keys and other code-like values in backticks, the rest escaped.
    func inline(_ value: String) -> String {
        value.hasPrefix("SHA256:") ? "`\(value)`" : escape(value)
    }

    /// `~~words~~` or `**words**`, the markers kept against the words (CommonMark does not
    /// take `** words**` as emphasis), across lines marker by marker.
    func emphasise(_ text: String, _ marker: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return String(line) }
            return marker + escape(trimmed) + marker
        }.joined(separator: "\n")
    }

    /// A text inside a list item: its further lines indented so they stay in the item.
    func continued(_ text: String, indent: String = "  ") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { n, line in
            n == 0 || line.isEmpty ? String(line) : indent + line
        }.joined(separator: "\n")
    }

    func escape(_ text: String) -> String { MarkdownText.escape(text, keepingLineBreaks: true) }
}
