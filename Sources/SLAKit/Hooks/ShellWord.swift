/// A word written into a script or a config that `/bin/sh` reads: the hooks' path of `sla`,
/// git's diff driver command.
enum ShellWord {
    /// Bare when it holds only ASCII letters and digits and `/._-+`; otherwise in single quotes,
    /// each `'` written as `'\''`. By scalar: a `'` followed by a combining mark is one Swift
    /// Character, which a comparison by Character would pass over, and the shell would not.
    static func quoted(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789/._-+".unicodeScalars.contains($0))
            }
        if plain { return text }
        var out = String.UnicodeScalarView("'".unicodeScalars)
        for scalar in text.unicodeScalars {
            if scalar == "'" { out.append(contentsOf: "'\\''".unicodeScalars) } else { out.append(scalar) }
        }
        out.append("'")
        return String(out)
    }
}
