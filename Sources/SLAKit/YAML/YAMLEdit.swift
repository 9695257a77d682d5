import Foundation

/// Changes one scalar of a YAML file in place, keeping every other byte, so that a
/// renewal differs from its version by exactly that value.
public enum YAMLEdit {
    public static func replacingScalar(in data: Data, path: [String], with newText: String) -> Data? {
        guard case (let root?, let problems) = YAMLReader.read(data), problems.isEmpty,
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        var node = root
        for key in path {
            guard case .mapping(let mapping) = node, let next = mapping[key] else { return nil }
            node = next
        }
        guard case .scalar(let scalar) = node else { return nil }
        // Split by scalar: as Characters, CRLF is one that is not "\n", and a file with CRLF
        // line ends would be one line. The CR stays at the end of its line, after the value.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        guard scalar.position.line - 1 < lines.count else { return nil }
        let line = lines[scalar.position.line - 1]
        let scalars = Array(line.unicodeScalars)
        let start = scalar.position.column - 1
        let length = scalar.isPlain ? scalar.text.unicodeScalars.count : scalar.text.unicodeScalars.count + 2
        guard start >= 0, start + length <= scalars.count else { return nil }
        let original = String(String.UnicodeScalarView(scalars[start..<start + length]))
        guard original == scalar.text || original.dropFirst().dropLast() == Substring(scalar.text) else { return nil }
        var replaced = String.UnicodeScalarView(scalars[..<start])
        replaced.append(contentsOf: newText.unicodeScalars)
        replaced.append(contentsOf: scalars[(start + length)...])
        lines[scalar.position.line - 1] = String(replaced)
        return Data(lines.joined(separator: "\n").utf8)
    }
}
