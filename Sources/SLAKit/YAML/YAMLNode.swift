/// A place in a source file, 1-based, as editors and compilers count.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = SourcePosition(line: 1, column: 1)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A YAML document as the agreement format allows it: scalars, mappings with text keys,
/// sequences; every node with its position. No anchors, aliases or tags ever reach it.
public enum YAMLNode: Sendable, Equatable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    public var position: SourcePosition {
        switch self {
        case .scalar(let s): s.position
        case .mapping(let m): m.position
        case .sequence(let s): s.position
        }
    }

    /// What a message calls this kind of node.
    var kindName: String {
        switch self {
        case .scalar(let s): s.isNull ? "nothing" : "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

public struct YAMLScalar: Sendable, Equatable {
    public let text: String
    /// Plain (unquoted) scalars are the only ones YAML gives a type to: `12`, `true`, `null`.
    public let isPlain: Bool
    public let position: SourcePosition

    /// `key:` with nothing after it, `~` or `null`, unquoted.
    public var isNull: Bool {
        isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}

public struct YAMLMapping: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let key: YAMLScalar
        public let value: YAMLNode
    }

    public let entries: [Entry]
    public let position: SourcePosition

    public subscript(key: String) -> YAMLNode? {
        entries.first { $0.key.text == key }?.value
    }
}

public struct YAMLSequence: Sendable, Equatable {
    public let items: [YAMLNode]
    public let position: SourcePosition
}
