import Foundation
import SLALimits

/// One entry of `activations.yaml`.
public struct ActivationEntry: Sendable, Equatable, Codable {
    public let version: Int
    public let sha256: String
    public let activatedAt: LocalDate
    public let activatedBy: String
    /// The line of its `- version:` line, counting from 1.
    public let line: Int

    /// The entry exactly as `activate` appends it: four lines, LF.
    public static func text(version: Int, sha256: String, activatedAt: LocalDate, activatedBy: String) -> String {
        "- version: \(version)\n  sha256: \(sha256)\n  activated_at: \(activatedAt.iso)\n  activated_by: \(activatedBy)\n"
    }

    /// What `activated_by` may hold: a principal's characters, so the entry stays one plain line.
    public static func isValidActivator(_ text: String) -> Bool {
        Characters.isPrincipalText(text)
    }
}

/// `activations.yaml`, read strictly (History rule 3): nothing but entries in exactly the form
/// `activate` writes. The file is a log, so its entries are those before the first byte that
/// does not fit; that byte is a problem.
public struct ActivationLog: Sendable, Equatable {
    public let entries: [ActivationEntry]
    /// Where the first byte that does not fit stands, and why; nil when every byte fits.
    public let problem: (line: Int, message: String)?

    public static func == (a: ActivationLog, b: ActivationLog) -> Bool {
        a.entries == b.entries && a.problem?.line == b.problem?.line && a.problem?.message == b.problem?.message
    }

    public init(parsing data: Data) {
        guard data.count <= Limits.activationLogBytes else {
            // Nothing of an oversized log is read: it is a fault as a whole.
            self.entries = []
            self.problem = (
                1, "the file is \(data.count) bytes; activations.yaml may be at most \(Limits.describe(bytes: Limits.activationLogBytes))"
            )
            return
        }
        var entries: [ActivationEntry] = []
        var problem: (line: Int, message: String)?
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // A final LF leaves one empty piece after it; anything else there is an unterminated line.
        let unterminated = lines.last.map { !$0.isEmpty } ?? false
        if !unterminated { lines.removeLast() }
        var index = 0
        // Byte for byte: every value the form allows is ASCII, so nothing is decoded (a decoder
        // could quietly drop a byte-order mark or normalise a character).
        func value(_ k: Int, _ prefix: String) -> String? {
            guard k < lines.count else { return nil }
            let line = lines[k]
            let head = Array(prefix.utf8)
            guard line.count >= head.count, line.prefix(head.count).elementsEqual(head),
                line.dropFirst(head.count).allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
            else { return nil }
            return String(decoding: line.dropFirst(head.count), as: UTF8.self)
        }
        while index < lines.count {
            let line = index + 1
            guard index + 4 <= lines.count else {
                problem = (line, "an entry must have exactly four lines: version, sha256, activated_at, activated_by")
                break
            }
            guard let v = value(index, "- version: "), let version = VersionSelector.versionNumber("v" + v) else {
                problem = (line, "expected '- version: N', N a version number from 1 to 999999999 without leading zeros")
                break
            }
            guard let sha = value(index + 1, "  sha256: "), Characters.isLowerHex(sha, count: 64) else {
                problem = (line + 1, "expected '  sha256: ' and 64 lower-case hex digits")
                break
            }
            guard let at = value(index + 2, "  activated_at: "), let date = LocalDate(iso: at) else {
                problem = (line + 2, "expected '  activated_at: YYYY-MM-DD'")
                break
            }
            guard let by = value(index + 3, "  activated_by: "), ActivationEntry.isValidActivator(by) else {
                problem = (line + 3, "expected '  activated_by: ' and an email of the characters A-Z a-z 0-9 . _ + @ -")
                break
            }
            entries.append(ActivationEntry(version: version, sha256: sha, activatedAt: date, activatedBy: by, line: line))
            index += 4
        }
        if unterminated, problem == nil || problem!.line > lines.count {
            // The last line lacks its line break: the entry holding it is not in the form either.
            if let last = entries.last, last.line + 3 == lines.count { entries.removeLast() }
            problem = (lines.count, "the file must end with a line break")
        }
        self.entries = entries
        self.problem = problem
    }
}
