import CYaml
import Foundation
import SLALimits

/// Reads agreement files with libyaml's event parser directly rather than through Yams'
/// node builder: an alias is refused the moment it appears, so an alias bomb is never
/// expanded or hashed, and duplicate keys are reported with both positions.
public enum YAMLReader {
    /// Files above this size are refused before parsing.
    public static let maximumSize = Limits.agreementFileBytes
    /// Deeper nesting than any agreement needs is refused, so no walker can run out of stack.
    public static let maximumDepth = Limits.yamlDepth

    /// Parses one YAML document. Problems that still leave a usable tree (duplicate keys,
    /// anchors, aliases, tags) are returned as errors beside it; a syntax error returns no tree.
    public static func read(_ data: Data) -> (root: YAMLNode?, problems: [YAMLProblem]) {
        if data.count > maximumSize {
            return (
                nil,
                [YAMLProblem(.start, "file is \(data.count) bytes; agreement files may be at most \(Limits.describe(bytes: maximumSize))")]
            )
        }
        if let offset = UTF8Validation.firstInvalidByte(in: data) {
            let position = UTF8Validation.position(ofByte: offset, in: data)
            return (nil, [YAMLProblem(position, "text is not valid UTF-8 (byte \(offset))")])
        }
        if let offset = UTF8Validation.firstStrayLineBreak(in: data) {
            // libyaml would count it as a line break where editors and `sla check` do not, so
            // every position after it would name the wrong line (found by fuzzing).
            let position = UTF8Validation.position(ofByte: offset, in: data)
            return (
                nil,
                [
                    YAMLProblem(
                        position,
                        "a line break other than LF or CRLF (a lone carriage return, U+0085, U+2028 or U+2029); end lines with LF")
                ]
            )
        }
        // Windows editors often start UTF-8 files with a byte-order mark; it carries no text.
        let text = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        var reader = EventReader()
        return reader.read(Data(text))
    }
}

public struct YAMLProblem: Sendable, Equatable {
    public let position: SourcePosition
    public let message: String

    init(_ position: SourcePosition, _ message: String) {
        self.position = position
        self.message = message
    }
}

private struct EventReader {
    private var problems: [YAMLProblem] = []
    /// The text, to say what a syntax error is in the user's terms (split only then).
    private var text = Data()

    /// A collection being built; the reader keeps its own stack, never recursion. Frames are
    /// changed in place on the stack (no copy of their lists per event).
    private struct Frame {
        let position: SourcePosition
        let isMapping: Bool
        var items: [YAMLNode] = []
        var entries: [YAMLMapping.Entry] = []
        var pendingKey: YAMLScalar?
        /// Where each key was first seen, once a mapping is large enough that searching its
        /// entries would cost more than hashing.
        var firstSeen: [String: SourcePosition]?

        init(mapping position: SourcePosition) {
            self.position = position
            isMapping = true
        }

        init(sequence position: SourcePosition) {
            self.position = position
            isMapping = false
        }

        /// Where a key of this mapping was first seen, if it was.
        func firstSeen(_ key: String) -> SourcePosition? {
            if let firstSeen { return firstSeen[key] }
            return entries.first { $0.key.text == key }?.key.position
        }

        /// Records a key just added to `entries`.
        mutating func remember(_ key: YAMLScalar) {
            if firstSeen != nil {
                firstSeen![key.text] = key.position
            } else if entries.count > 16 {
                firstSeen = Dictionary(entries.map { ($0.key.text, $0.key.position) }, uniquingKeysWith: { first, _ in first })
            }
        }

        var node: YAMLNode {
            isMapping
                ? .mapping(YAMLMapping(entries: entries, position: position)) : .sequence(YAMLSequence(items: items, position: position))
        }
    }

    mutating func read(_ data: Data) -> (root: YAMLNode?, problems: [YAMLProblem]) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [YAMLProblem(.start, "out of memory")])
        }
        defer { yaml_parser_delete(&parser) }
        text = data

        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            return run(&parser)
        }
    }

    private mutating func run(_ parser: inout yaml_parser_t) -> (root: YAMLNode?, problems: [YAMLProblem]) {
        var stack: [Frame] = []
        var root: YAMLNode?
        var documents = 0

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                problems.append(syntaxProblem(parser))
                return (nil, problems)
            }
            defer { yaml_event_delete(&event) }
            let position = SourcePosition(
                line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)

            switch event.type {
            case YAML_STREAM_END_EVENT:
                if documents == 0 {
                    problems.append(YAMLProblem(.start, "the file is empty"))
                }
                return (root, problems)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    problems.append(YAMLProblem(position, "only one YAML document is allowed; found a second one here"))
                    return (nil, problems)
                }
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                problems.append(YAMLProblem(position, "aliases (*\(name)) are not allowed; write the value out"))
                add(.scalar(YAMLScalar(text: "", isPlain: true, position: position)), to: &stack, root: &root)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                checkAnchorAndTag(anchor: scalar.anchor, tag: scalar.tag, at: position)
                let bytes = UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
                if let control = DisplayControl.firstControl(in: bytes) {
                    problems.append(
                        YAMLProblem(
                            position,
                            String(format: "the text holds the control character U+%04X, ", control.value)
                                + "which a terminal acts on instead of showing it; remove it (or its escape)"))
                }
                let text = String(decoding: bytes, as: UTF8.self)
                let node = YAMLScalar(text: text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, position: position)
                add(.scalar(node), to: &stack, root: &root)
            case YAML_SEQUENCE_START_EVENT:
                checkAnchorAndTag(anchor: event.data.sequence_start.anchor, tag: event.data.sequence_start.tag, at: position)
                guard push(Frame(sequence: position), onto: &stack, at: position) else { return (nil, problems) }
            case YAML_MAPPING_START_EVENT:
                checkAnchorAndTag(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag, at: position)
                guard push(Frame(mapping: position), onto: &stack, at: position) else { return (nil, problems) }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                add(frame.node, to: &stack, root: &root)
            default:
                continue
            }
        }
    }

    private mutating func push(_ frame: Frame, onto stack: inout [Frame], at position: SourcePosition) -> Bool {
        guard stack.count < YAMLReader.maximumDepth else {
            problems.append(YAMLProblem(position, "nesting is deeper than \(YAMLReader.maximumDepth) levels"))
            return false
        }
        stack.append(frame)
        return true
    }

    private mutating func add(_ node: YAMLNode, to stack: inout [Frame], root: inout YAMLNode?) {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            // This node is a key.
            if case .scalar(let scalar) = node {
                stack[top].pendingKey = scalar
            } else {
                problems.append(YAMLProblem(node.position, "a key must be plain text, not \(node.kindName)"))
                stack[top].pendingKey = YAMLScalar(text: "", isPlain: true, position: node.position)
            }
            return
        }
        stack[top].pendingKey = nil
        if let first = stack[top].firstSeen(key.text) {
            problems.append(YAMLProblem(key.position, "duplicate key '\(key.text)' (first at line \(first.line))"))
        } else {
            stack[top].entries.append(YAMLMapping.Entry(key: key, value: node))
            stack[top].remember(key)
        }
    }

    private mutating func checkAnchorAndTag(
        anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, at position: SourcePosition
    ) {
        if let name = string(anchor) {
            problems.append(YAMLProblem(position, "anchors (&\(name)) are not allowed; write the value out"))
        }
        if let tag = string(tag) {
            problems.append(YAMLProblem(position, "YAML tags (\(tag)) are not allowed"))
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func syntaxProblem(_ parser: yaml_parser_t) -> YAMLProblem {
        var problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        var line = Int(parser.problem_mark.line) + 1
        var column = Int(parser.problem_mark.column) + 1
        if parser.error == YAML_READER_ERROR {
            // The reader (bad bytes, control characters) gives a byte offset, not a mark.
            let position = UTF8Validation.position(ofByte: Int(parser.problem_offset), in: text)
            (line, column) = (position.line, position.column)
            if parser.problem_value >= 0, parser.problem_value <= 0x10FFFF {
                problem += String(format: " (U+%04X)", parser.problem_value)
            }
            // The character itself is the problem: no guess about quotes or tabs before it.
            return YAMLProblem(SourcePosition(line: line, column: column), "YAML syntax: \(problem)")
        }
        let contextLine = Int(parser.context_mark.line) + 1
        let contextColumn = Int(parser.context_mark.column) + 1
        return YAMLReader.explain(
            problem: problem, context: context, at: SourcePosition(line: line, column: column),
            contextAt: SourcePosition(line: contextLine, column: contextColumn),
            // By scalar: as Characters, CRLF is not "\n" and a CRLF file would be one line.
            lines: String(decoding: text, as: UTF8.self).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                .map { Substring($0) })
    }
}

extension YAMLReader {
    /// The column of a value's opening quote (after `key: ` or `- `) that the line never closes.
    static func unclosedQuote(in line: Substring) -> Int? {
        let characters = Array(line)
        var index = 0
        while index < characters.count, characters[index] == " " { index += 1 }
        if index < characters.count, characters[index] == "-" { index += 1 }
        while index < characters.count, characters[index] != "\"", characters[index] != "'" {
            if characters[index] == "#" { return nil }
            index += 1
        }
        guard index < characters.count, index == 0 || characters[index - 1] == " " else { return nil }
        let quote = characters[index]
        var cursor = index + 1
        while cursor < characters.count {
            if quote == "\"" && characters[cursor] == "\\" {
                cursor += 2
                continue
            }
            if characters[cursor] == quote {
                if quote == "'", cursor + 1 < characters.count, characters[cursor + 1] == "'" {
                    cursor += 2
                    continue
                }
                return nil
            }
            cursor += 1
        }
        return index + 1
    }

    /// libyaml's words turned into the user's: what is wrong, where, and the fix.
    static func explain(
        problem: String, context: String?, at position: SourcePosition, contextAt: SourcePosition,
        lines: [Substring]
    ) -> YAMLProblem {
        let text = position.line <= lines.count ? lines[position.line - 1] : ""
        let leading = text.prefix { $0 == " " || $0 == "\t" }
        if leading.contains("\t") || (problem.contains("cannot start any token") && text.contains("\t")) {
            return YAMLProblem(
                SourcePosition(
                    line: position.line,
                    column: (leading.firstIndex(of: "\t").map { leading.distance(from: leading.startIndex, to: $0) } ?? 0) + 1),
                "a tab character in the indentation; YAML indents with spaces only: replace the tab with spaces")
        }
        if problem.lowercased().contains("nesting level") {
            // libyaml's own limit (deeper than any file sla reads): its words name its C API.
            return YAMLProblem(position, "nesting is deeper than \(YAMLReader.maximumDepth) levels")
        }
        if problem.contains("mapping values are not allowed") {
            return YAMLProblem(
                position,
                "a colon followed by a space inside a value makes YAML read a new key there; "
                    + "put the whole text in quotes, e.g. key: \"text: with a colon\"")
        }
        if let context, context.contains("quoted scalar") {
            return YAMLProblem(
                contextAt,
                "the quote opened at line \(contextAt.line), column \(contextAt.column) is never closed; close it at the end of the text")
        }
        // A quote left open makes libyaml read on to a later line and complain there: find the
        // line between where the failing structure starts and the error whose quote never closes.
        let first = max(1, min(contextAt.line, position.line))
        let last = min(position.line, lines.count)
        if first <= last {
            for number in first...last {
                if let column = unclosedQuote(in: lines[number - 1]) {
                    return YAMLProblem(
                        SourcePosition(line: number, column: column),
                        "the quote opened at line \(number), column \(column) is never closed; close it at the end of the text")
                }
            }
        }
        var message = "YAML syntax: \(problem)"
        if let context { message += " (\(context) at line \(contextAt.line))" }
        return YAMLProblem(position, message)
    }
}

enum UTF8Validation {
    /// The offset of the first line break YAML knows but LF-counting does not: a carriage return
    /// not followed by a line feed, NEL (U+0085), LINE SEPARATOR (U+2028), PARAGRAPH SEPARATOR
    /// (U+2029). Call on valid UTF-8.
    static func firstStrayLineBreak(in data: Data) -> Int? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var i = 0
            while i < n {
                // Eight bytes at a time where they are ASCII without a carriage return.
                if i + 8 <= n {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if word & highBits == 0, !hasByte(0x0D, in: word) {
                        i += 8
                        continue
                    }
                }
                defer { i += 1 }
                switch bytes[i] {
                case 0x0D where i + 1 == n || bytes[i + 1] != 0x0A: return i
                case 0xC2 where i + 1 < n && bytes[i + 1] == 0x85: return i
                case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9): return i
                default: continue
                }
            }
            return nil
        }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes of an ASCII word equals `byte` (< 0x80).
    private static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & highBits != 0
    }

    /// The offset of the first byte that does not belong to well-formed UTF-8, or nil.
    static func firstInvalidByte(in data: Data) -> Int? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            let n = bytes.count
            while i < n {
                // Eight ASCII bytes at a time.
                if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits == 0 {
                    i += 8
                    continue
                }
                let b = bytes[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                let length: Int
                var minimum: UInt32
                var scalar: UInt32
                switch b {
                case 0xC2...0xDF:
                    length = 2
                    minimum = 0x80
                    scalar = UInt32(b & 0x1F)
                case 0xE0...0xEF:
                    length = 3
                    minimum = 0x800
                    scalar = UInt32(b & 0x0F)
                case 0xF0...0xF4:
                    length = 4
                    minimum = 0x10000
                    scalar = UInt32(b & 0x07)
                default: return i
                }
                guard i + length <= n else { return i }
                for k in 1..<length {
                    let c = bytes[i + k]
                    guard c & 0xC0 == 0x80 else { return i }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
                i += length
            }
            return nil
        }
    }

    /// Where the byte at `offset` is: its line, and its column in characters (as libyaml counts
    /// them), both from 1.
    static func position(ofByte offset: Int, in data: Data) -> SourcePosition {
        var line = 1
        var column = 1
        for byte in data.prefix(max(offset, 0)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1  // the first byte of a character
            }
        }
        return SourcePosition(line: line, column: column)
    }
}
