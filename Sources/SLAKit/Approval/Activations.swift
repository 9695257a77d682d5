import Foundation

/// One entry of `activations.yaml`.
public struct ActivationRecord: Sendable, Equatable {
    /// The same entry, wherever it stands in the file.
    public func sameEntry(as other: ActivationRecord) -> Bool {
        version == other.version && sha256 == other.sha256 && activatedAt == other.activatedAt && activatedBy == other.activatedBy
    }

    public let version: Int
    public let sha256: String
    public let activatedAt: LocalDate
    public let activatedBy: String
    public let position: SourcePosition

    /// The entry as `activate` appends it.
    public static func yaml(version: Int, sha256: String, activatedAt: LocalDate, activatedBy: String) -> String {
        """
        - version: \(version)
          sha256: \(sha256)
          activated_at: \(activatedAt.iso)
          activated_by: \(AgreementTemplate.yamlScalar(activatedBy))

        """
    }
}

public enum ActivationsFile {
    /// Reads every entry; a malformed file or entry is a diagnostic, and only well-formed
    /// entries before the first malformed one are returned (order matters: it is a log).
    public static func parse(_ data: Data, path: String) -> (records: [ActivationRecord], problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        func problem(_ position: SourcePosition, _ message: String) {
            problems.append(Diagnostic(.error, file: path, position: position, message: message))
        }
        let (root, yamlProblems) = YAMLReader.read(data)
        for p in yamlProblems { problem(p.position, p.message) }
        guard let root, yamlProblems.isEmpty else { return ([], problems) }
        guard case .sequence(let sequence) = root else {
            problem(root.position, "activations.yaml must be a list of activations")
            return ([], problems)
        }
        var records: [ActivationRecord] = []
        for (index, item) in sequence.items.enumerated() {
            guard case .mapping(let mapping) = item else {
                problem(item.position, "activation \(index + 1) must be a mapping")
                break
            }
            let keys = mapping.entries.map(\.key.text)
            guard keys == ["version", "sha256", "activated_at", "activated_by"] else {
                problem(item.position, "activation \(index + 1) must have exactly version, sha256, activated_at, activated_by, in that order")
                break
            }
            func scalar(_ key: String) -> YAMLScalar? {
                if case .scalar(let s)? = mapping[key], !s.isNull { return s }
                return nil
            }
            guard let v = scalar("version"), v.isPlain, let version = VersionSelector.versionNumber("v" + v.text) else {
                problem(mapping[ "version"]?.position ?? item.position, "activation \(index + 1): version must be a version number")
                break
            }
            guard let sha = scalar("sha256"), SignatureFile.isSHA256Hex(sha.text) else {
                problem(mapping["sha256"]?.position ?? item.position, "activation \(index + 1): sha256 must be 64 lower-case hex digits")
                break
            }
            guard let at = scalar("activated_at"), let date = LocalDate(iso: at.text) else {
                problem(mapping["activated_at"]?.position ?? item.position, "activation \(index + 1): activated_at must be a date YYYY-MM-DD")
                break
            }
            guard let by = scalar("activated_by") else {
                problem(mapping["activated_by"]?.position ?? item.position, "activation \(index + 1): activated_by is missing")
                break
            }
            records.append(ActivationRecord(version: version, sha256: sha.text, activatedAt: date, activatedBy: by.text, position: item.position))
        }
        return (records, problems)
    }
}

/// Whether an activation entry holds: its version exists, its sha256 matches, the version was
/// approved (rule 3 against the previous entry that holds), and it is newer than every earlier
/// entry that holds. An entry that does not hold counts for nothing.
public struct ActivationVerdict: Sendable {
    public let record: ActivationRecord
    public let problem: String?
    public var holds: Bool { problem == nil }
}

extension AgreementTemplate {
    /// A YAML scalar for a plain string value: bare when safe, double-quoted otherwise.
    static func yamlScalar(_ text: String) -> String {
        let safe = text.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._+@-]*/) != nil
            && !["null", "true", "false", "yes", "no", "on", "off", "~"].contains(text.lowercased())
        return safe ? text : "\"\(doubleQuotedContent(text))\""
    }
}
