import Foundation

/// A value on one side of a change: what `old` and `new` hold in the diff JSON.
/// Records keep their fields in the schema's order (for people); JSON sorts the keys.
public indirect enum DiffValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case number(Decimal)
    case date(LocalDate)
    case list([DiffValue])
    /// A whole record, its fields under the YAML's snake_case keys in schema order;
    /// absent optional fields are left out, as in the YAML.
    case object([Field])

    public struct Field: Sendable, Hashable {
        public let key: String
        public let value: DiffValue

        public init(_ key: String, _ value: DiffValue) {
            self.key = key
            self.value = value
        }
    }

    /// The field under `key` of an object, nil otherwise.
    public subscript(key: String) -> DiffValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// The value as a person reads it in one line: numbers without grouping, dates ISO.
    public var plainText: String {
        switch self {
        case .string(let s): s
        case .integer(let n): String(n)
        case .number(let d): DiffValue.format(d)
        case .date(let d): d.iso
        case .list(let items): items.map(\.plainText).joined(separator: ", ")
        case .object(let fields): fields.map { "\($0.key): \($0.value.plainText)" }.joined(separator: ", ")
        }
    }

    /// `Decimal`'s own description is plain digits with a `.`, never grouped or in exponent
    /// form, so it is valid JSON and reads the same in both languages.
    static func format(_ decimal: Decimal) -> String {
        decimal.description
    }
}
