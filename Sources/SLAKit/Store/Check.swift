import Foundation

/// `sla check`: validation of drafts and versions, or of any file.
extension SLARepository {
    /// What `check` found; `--format json` prints it as `{files, errors, warnings}`, each
    /// problem `{file, line, column, message}`.
    public struct CheckResult: Sendable, Encodable {
        public var files: [String] = []
        public var diagnostics: [Diagnostic] = []

        private struct Problem: Encodable {
            let file: String
            let line: Int
            let column: Int
            let message: String
            init(_ d: Diagnostic) {
                (file, line, column, message) = (d.file, d.position.line, d.position.column, d.message)
            }
        }

        enum CodingKeys: String, CodingKey { case files, errors, warnings }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(files, forKey: .files)
            try c.encode(diagnostics.errors.map(Problem.init), forKey: .errors)
            try c.encode(diagnostics.warnings.map(Problem.init), forKey: .warnings)
        }
    }

    /// What an unfilled (or half-filled) draft still lacks: its "must not be empty" errors
    /// counted per section of the agreement, in section order, for each file that has any.
    public func leftToFill(_ result: CheckResult) -> [(file: String, sections: [(title: String, count: Int)])] {
        var out: [(file: String, sections: [(title: String, count: Int)])] = []
        for file in result.files {
            let empty = result.diagnostics.errors.filter { $0.file == file && $0.message.hasSuffix("must not be empty") }
            guard !empty.isEmpty,
                let text = try? String(contentsOf: URL(fileURLWithPath: root).appendingPathComponent(file), encoding: .utf8)
            else { continue }
            // Where each top-level key starts: a line that begins with `key:`.
            var starts: [(line: Int, section: Int)] = []
            var language = Language.da
            // By scalar: as Characters, CRLF is not "\n" and a CRLF file would be one line.
            for (index, scalars) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = Substring(scalars)
                guard let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") else { continue }
                let key = String(line[..<colon])
                starts.append((index + 1, Vocabulary.sectionNumber(key)))
                if key == "language", line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).hasPrefix("en") {
                    language = .en
                }
            }
            var counts: [Int: Int] = [:]
            for diagnostic in empty {
                let section = starts.last { $0.line <= diagnostic.position.line }?.section ?? 0
                counts[section, default: 0] += 1
            }
            out.append((file, counts.keys.sorted().map { (Vocabulary.sectionTitle($0, language: language), counts[$0]!) }))
        }
        return out
    }

    /// - Parameter target: nil for every agreement, an agreement id, or a file path
    ///   (relative to `workingDirectory`).
    public func check(_ target: String?, workingDirectory: String) throws -> CheckResult {
        var result = CheckResult()
        let known = try agreementIDs()
        if let target, !known.contains(target) {
            try checkFile(target, workingDirectory: workingDirectory, into: &result)
            return result
        }
        if target == nil { result.diagnostics += misplacedFiles() }
        for id in target.map({ [$0] }) ?? known {
            let paths = AgreementPaths(id)
            for (n, blob) in try versions(of: id).sorted(by: { $0.key < $1.key }) {
                // A proposed version is frozen: its warnings would repeat on every run with
                // nothing to do about them (`sla check FILE` still shows them); errors stay.
                record(try self.blob(blob), path: paths.version(n), id: id, into: &result, warnings: false)
            }
            do {
                if let draft = try draftData(id) { record(draft, path: paths.draft, id: id, into: &result) }
            } catch let error as SLAError where !error.diagnostics.isEmpty {
                result.files.append(paths.draft)
                result.diagnostics += error.diagnostics
            }
        }
        return result
    }

    /// Warnings for what the work tree holds under `agreements/` that sla reads as no agreement
    /// or no agreement file: a folder whose name is not an id (ignored), and a file outside the
    /// layout in an agreement's folder (a fault, once committed).
    private func misplacedFiles() -> [Diagnostic] {
        guard let work = git.workDirectory else { return [] }
        let folder = URL(fileURLWithPath: work).appendingPathComponent("agreements")
        let manager = FileManager.default
        var warnings: [Diagnostic] = []
        for name in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where !name.hasPrefix(".") {
            let path = "agreements/\(name)"
            guard AgreementDecoder.isValidID(name) else {
                warnings.append(
                    Diagnostic(
                        .warning, file: path, position: .start,
                        message: "'\(name)' is not an agreement id (lower-case letters, digits and -), so sla ignores this folder"))
                continue
            }
            // Every file, classified by the one home of the layout.
            let inside = folder.appendingPathComponent(name)
            let files = manager.enumerator(at: inside, includingPropertiesForKeys: [.isDirectoryKey])?.compactMap { item -> String? in
                guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true else { return nil }
                return String(url.standardizedFileURL.path.dropFirst(inside.standardizedFileURL.path.count + 1))
            }
            for file in (files ?? []).sorted() where AgreementFiles.Role(path: file) == .stray {
                warnings.append(
                    Diagnostic(
                        .warning, file: "\(path)/\(file)", position: .start,
                        message:
                            "does not belong in an agreement's folder (draft.yaml, activations.yaml, versions/vN.yaml, signatures/vN/FILE); sla does not read it, and committing it is a fault"
                    ))
            }
        }
        return warnings
    }

    /// `sla check FILE` outside any repository: the file on its own.
    public static func checkStandalone(_ target: String, workingDirectory: String) throws -> CheckResult {
        var result = CheckResult()
        try checkFile(target, workingDirectory: workingDirectory, root: workingDirectory, into: &result)
        return result
    }

    private func checkFile(_ target: String, workingDirectory: String, into result: inout CheckResult) throws {
        try Self.checkFile(target, workingDirectory: workingDirectory, root: root, into: &result)
    }

    private static func checkFile(_ target: String, workingDirectory: String, root: String, into result: inout CheckResult) throws {
        guard !target.isEmpty else {
            throw SLAError(
                "the agreement id or file to check is empty; name one, or run `sla check` alone to check every agreement", kind: .badInput)
        }
        let url = URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: workingDirectory)).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            if isDirectory.boolValue {
                throw SLAError(
                    "\(target) is a folder; name an agreement id or a file, or run `sla check` alone to check every agreement",
                    kind: .badInput)
            }
            if AgreementDecoder.isValidID(target) {
                throw SLAError("there is no agreement '\(target)' in \(root), and no file of that name", kind: .notFound)
            }
            throw SLAError("\(target) is neither an agreement id nor a file", kind: .notFound)
        }
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
        let shown = url.path.hasPrefix(rootPath) ? String(url.path.dropFirst(rootPath.count)) : target
        // agreements/ID/draft.yaml and agreements/ID/versions/vN.yaml must carry their folder's id.
        let parts = url.pathComponents
        var expectedID: String?
        if let index = parts.lastIndex(of: "agreements"), index + 2 < parts.count {
            let rest = Array(parts[(index + 2)...])
            if rest == ["draft.yaml"] || (rest.count == 2 && rest[0] == "versions") { expectedID = parts[index + 1] }
        }
        result.files.append(shown)
        do {
            let data = try SLARepository.readAgreementFile(url, shown: shown)
            result.diagnostics += AgreementDecoder.decode(data, file: shown, expectedID: expectedID).diagnostics
        } catch let error as SLAError {
            result.diagnostics += error.diagnostics
        }
    }

    private func record(_ data: Data, path: String, id: String, into result: inout CheckResult, warnings: Bool = true) {
        result.files.append(path)
        result.diagnostics += AgreementDecoder.decode(data, file: path, expectedID: id).diagnostics.filter {
            warnings || $0.severity != .warning
        }
    }
}
