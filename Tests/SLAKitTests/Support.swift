import Foundation
import Testing

@testable import SLAKit

/// The repository's own files, found from this source file (tests run from anywhere).
enum ProjectFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let exampleID = "acme-sales-marketing"
    static let examplePath = "agreements/acme-sales-marketing/draft.yaml"

    static var exampleText: String {
        get throws { try String(contentsOf: root.appendingPathComponent(examplePath), encoding: .utf8) }
    }
}

/// Decodes YAML text as if it were the example agreement's draft.
func decode(_ text: String, id: String = ProjectFiles.exampleID) -> (Agreement?, [Diagnostic]) {
    AgreementDecoder.decode(Data(text.utf8), file: "agreements/\(id)/draft.yaml", expectedID: id)
}

extension String {
    /// The text with `old` replaced exactly once; records a test failure if `old` is not there
    /// exactly once, so a mutation that silently did nothing cannot pass.
    func replacingOnce(_ old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let parts = components(separatedBy: old)
        if parts.count != 2 {
            Issue.record("expected exactly one '\(old)' in the text, found \(parts.count - 1)", sourceLocation: sourceLocation)
        }
        return parts.joined(separator: new)
    }

    /// 1-based line and column of the first occurrence of `needle`.
    func position(of needle: String) -> SourcePosition? {
        guard let range = range(of: needle) else { return nil }
        let before = self[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { index(after: $0) } ?? startIndex
        return SourcePosition(line: line, column: self[lineStart..<range.lowerBound].unicodeScalars.count + 1)
    }
}
