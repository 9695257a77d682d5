import Foundation

/// The draft `sla new` writes: a built-in template with its placeholders filled in.
public enum AgreementTemplate {
    public static func text(language: Language, id: String, company: String, effectiveFrom: LocalDate) -> String {
        let template =
            switch language {
            case .da: AgreementTemplates.danish
            case .en: AgreementTemplates.english
            }
        return
            template
            .replacingOccurrences(of: "{{id}}", with: id)
            .replacingOccurrences(of: "{{company}}", with: doubleQuotedContent(company))
            .replacingOccurrences(of: "{{effective_from}}", with: effectiveFrom.iso)
    }

    /// Escapes text for the inside of a YAML double-quoted scalar.
    static func doubleQuotedContent(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
