import Foundation

/// How plain git shows agreement files: the `sla` diff driver.
extension SLARepository {
    /// The attributes lines that route agreement files (drafts and versions) to the driver.
    public static let diffAttributes = ["agreements/*/draft.yaml diff=sla", "agreements/*/versions/*.yaml diff=sla"]

    /// Sets `diff.sla.command` to this `sla` and adds the attributes line to
    /// `.git/info/attributes` (local to this clone, nothing committed; in the common git
    /// directory, which every linked work tree reads). Returns what it did.
    public func installDiffDriver(executable: String) throws -> [String] {
        var done: [String] = []
        let command = "\(ShellWord.quoted(executable)) git-diff"
        if try wrap({ try git.config("diff.sla.command") }) != command {
            try wrap { try git.setConfig("diff.sla.command", command) }
            try wrap { try git.setConfig("diff.sla.binary", "false") }
        }
        done.append("git config diff.sla.command \(command)")
        let info = URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("info")
        try FileManager.default.createDirectory(at: info, withIntermediateDirectories: true)
        let attributes = info.appendingPathComponent("attributes")
        var text = (try? String(contentsOf: attributes, encoding: .utf8)) ?? ""
        let present = Set(text.split(separator: "\n").map(String.init))
        let missing = Self.diffAttributes.filter { !present.contains($0) }
        if !missing.isEmpty {
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += missing.map { $0 + "\n" }.joined()
            try Data(text.utf8).write(to: attributes, options: .atomic)
        }
        done.append("\(Self.diffAttributes.joined(separator: ", ")) in \(attributes.path)")
        return done
    }
}

/// git's external diff: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
public enum GitDiffDriver {
    /// The section diff of two agreement files, or nil when either side is not a valid agreement
    /// (the caller then falls back to a line diff).
    public static func sectionDiff(path: String, old: Data?, new: Data?) -> (text: String?, problems: [Diagnostic]) {
        let parts = path.split(separator: "/").map(String.init)
        var id: String?
        if parts.count >= 3, parts[0] == "agreements", AgreementDecoder.isValidID(parts[1]) { id = parts[1] }
        guard let old, let new else { return (nil, []) }
        let (a, oldDiagnostics) = AgreementDecoder.decode(old, file: "a/\(path)", expectedID: id)
        let (b, newDiagnostics) = AgreementDecoder.decode(new, file: "b/\(path)", expectedID: id)
        guard let a, let b else { return (nil, (oldDiagnostics + newDiagnostics).errors) }
        let diff = AgreementDiff(from: a, to: b)
        let body = DiffRenderer.render(diff, agreement: b.id, from: "a/\(path)", to: "b/\(path)", language: b.language, format: .text)
        return ("diff --sla a/\(path) b/\(path)\n" + body, [])
    }
}
