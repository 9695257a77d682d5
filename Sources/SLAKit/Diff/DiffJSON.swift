import Foundation

/// The `diff --format json` document, written by hand so that it is byte-stable: keys sorted
/// (by UTF-8), two-space indentation, numbers as the YAML wrote them, non-ASCII text as UTF-8,
/// a final newline.
///
/// ```json
/// {
///   "agreement": "acme-sales-marketing",
///   "changes": [
///     { "kind": "changed", "new": 1, "old": 2, "path": "ideal_customer.criteria[Branche].importance",
///       "section": "ideal_customer" }
///   ],
///   "from": "v1",
///   "to": "draft"
/// }
/// ```
/// `old`/`new` are null where absent; dates are "YYYY-MM-DD" strings; a whole record is an
/// object under the YAML's snake_case keys (absent optional fields left out); `required` is
/// "all" or a number.
enum DiffJSON {

    indirect enum Value {
        case null
        case string(String)
        case number(String)
        case array([Value])
        case object([(String, Value)])
    }

    static func document(_ diff: AgreementDiff, agreement: String, from: String, to: String) -> String {
        let changes: [Value] = diff.changes.map { change in
            .object([
                ("section", .string(change.section)),
                ("path", .string(change.path)),
                ("kind", .string(change.kind.rawValue)),
                ("old", value(change.old)),
                ("new", value(change.new)),
            ])
        }
        let root = Value.object([
            ("agreement", .string(agreement)),
            ("from", .string(from)),
            ("to", .string(to)),
            ("changes", .array(changes)),
        ])
        var out = ""
        write(root, indent: "", to: &out)
        return out + "\n"
    }

    static func value(_ value: DiffValue?) -> Value {
        guard let value else { return .null }
        switch value {
        case .string(let s): return .string(s)
        case .integer(let n): return .number(String(n))
        case .number(let d): return .number(DiffValue.format(d))
        case .date(let d): return .string(d.iso)
        case .list(let items): return .array(items.map { self.value($0) })
        case .object(let fields): return .object(fields.map { ($0.key, self.value($0.value)) })
        }
    }

    static func write(_ value: Value, indent: String, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .number(let n): out += n
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            let inner = indent + "  "
            for (n, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, to: &out)
                out += n < items.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let fields):
            guard !fields.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            let inner = indent + "  "
            let sorted = fields.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (n, field) in sorted.enumerated() {
                out += inner
                writeString(field.0, to: &out)
                out += ": "
                write(field.1, indent: inner, to: &out)
                out += n < sorted.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where DisplayControl.isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
