import Crypto
import Foundation
import GitKit

/// An SLA repository: any git repository with agreements under `agreements/`. Maps the
/// agreement layout of DESIGN.md onto git through GitKit; every change is one commit.
public final class SLARepository {
    let git: Repository

    init(git: Repository) { self.git = git }

    /// The repository containing `path` (default: the current directory).
    public static func open(at path: String?) throws -> SLARepository {
        let start = path ?? FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: start) else {
            throw SLAError("\(start) does not exist")
        }
        do {
            return SLARepository(git: try Repository.open(containing: start))
        } catch let error as GitError where error.isNotFound {
            throw SLAError("\(start) is not in a git repository; run `sla init` there first, or pass --repo PATH")
        } catch {
            throw SLAError("cannot open the repository at \(start): \(error)")
        }
    }

    /// Opened the way git hooks see a repository (GIT_DIR, quarantined objects).
    public static func openFromEnvironment() throws -> SLARepository {
        do {
            return SLARepository(git: try Repository.openFromEnvironment())
        } catch {
            throw SLAError("cannot open the repository from the hook's environment: \(error)")
        }
    }

    /// `git init` if needed, plus the `agreements/` folder.
    public static func initialize(at path: String) throws -> (repository: SLARepository, created: Bool) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SLAError("\(path) is a file, not a directory")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SLAError("cannot create the directory \(path): \(error.localizedDescription)")
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        var created = false
        let git: Repository
        if let existing = try? Repository.open(containing: path) {
            let root = (existing.workDirectory ?? existing.gitDirectory)
            guard URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path == target else {
                // A repository inside another would leave sla opening the wrong one from here.
                throw SLAError("\(path) is inside the git repository \(root); run `sla init \(root)` to use that one, or choose a directory outside it")
            }
            git = existing
        } else {
            do {
                git = try Repository.initialize(at: path, bare: false)
                created = true
            } catch {
                throw SLAError("cannot create a git repository at \(path): \(error)")
            }
        }
        if let work = git.workDirectory {
            do {
                try FileManager.default.createDirectory(
                    atPath: (work as NSString).appendingPathComponent("agreements"), withIntermediateDirectories: true)
            } catch {
                throw SLAError("cannot create \(work)/agreements: \(error.localizedDescription)")
            }
        }
        return (SLARepository(git: git), created)
    }

    /// Where paths in messages are relative to: the work tree, or the git directory when bare.
    public var root: String { git.workDirectory ?? git.gitDirectory }
    public var isBare: Bool { git.isBare }

    // MARK: Reading what is committed

    /// The commit every read is made against: HEAD now, so one command sees one state.
    public func head() throws -> ObjectID? { try wrap { try git.headCommit() } }

    /// The ids of every agreement committed at `commit` or with a draft in the work tree.
    public func agreementIDs(at commit: ObjectID? = nil) throws -> [String] {
        var ids: Set<String> = []
        if let commit = try commit ?? head() {
            for name in try wrap({ try git.entryNames(under: "agreements", inCommit: commit) }) where AgreementDecoder.isValidID(name) {
                ids.insert(name)
            }
        }
        if let work = git.workDirectory {
            let folder = URL(fileURLWithPath: work).appendingPathComponent("agreements")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where AgreementDecoder.isValidID(name)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).appendingPathComponent("draft.yaml").path) {
                ids.insert(name)
            }
        }
        return ids.sorted()
    }

    /// Version numbers and blob ids of `versions/vN.yaml` at `commit`.
    public func versions(of id: String, at commit: ObjectID? = nil) throws -> [Int: ObjectID] {
        guard let commit = try commit ?? head() else { return [:] }
        let paths = AgreementPaths(id)
        var result: [Int: ObjectID] = [:]
        for (path, blob) in try wrap({ try git.files(under: paths.versionsFolder, inCommit: commit) }) {
            let name = String(path.dropFirst(paths.versionsFolder.count + 1))
            guard name.hasSuffix(".yaml"), let n = VersionSelector.versionNumber(String(name.dropLast(5))) else { continue }
            result[n] = blob
        }
        return result
    }

    public func latestVersion(of id: String, at commit: ObjectID? = nil) throws -> Int? {
        try versions(of: id, at: commit).keys.max()
    }

    public func blob(_ id: ObjectID) throws -> Data { try wrap { try git.blob(id) } }

    public func fileID(_ path: String, at commit: ObjectID) throws -> ObjectID? {
        try wrap { try git.fileID(at: path, inCommit: commit) }
    }

    public func treeID(_ path: String, at commit: ObjectID) throws -> ObjectID? {
        try wrap { try git.treeID(at: path, inCommit: commit) }
    }

    public func firstParent(of commit: ObjectID) throws -> ObjectID? {
        try wrap { try git.commit(commit).parents.first }
    }

    public func file(_ path: String, at commit: ObjectID? = nil) throws -> Data? {
        guard let commit = try commit ?? head() else { return nil }
        return try wrap { try git.file(at: path, inCommit: commit) }
    }

    public func files(under prefix: String, at commit: ObjectID? = nil) throws -> [String: ObjectID] {
        guard let commit = try commit ?? head() else { return [:] }
        return try wrap { try git.files(under: prefix, inCommit: commit) }
    }

    /// The bytes of version N as committed.
    public func versionData(_ id: String, _ n: Int, at commit: ObjectID? = nil) throws -> Data {
        guard let data = try file(AgreementPaths(id).version(n), at: commit) else {
            throw SLAError("agreement \(id) has no version v\(n)")
        }
        return data
    }

    /// The draft as the user has it: the work-tree file, tracked or not (the committed one in a bare repository).
    public func draftData(_ id: String) throws -> Data? {
        let path = AgreementPaths(id).draft
        guard let work = git.workDirectory else { return try file(path) }
        let url = URL(fileURLWithPath: work).appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Self.readAgreementFile(url, shown: path)
    }

    /// An agreement file from disk: a regular file of at most 1 MiB, refused before reading
    /// anything else (a FIFO, a device, a sparse terabyte).
    static func readAgreementFile(_ url: URL, shown: String) throws -> Data {
        func refuse(_ message: String) -> SLAError {
            SLAError("\(shown) cannot be read as an agreement",
                     diagnostics: [Diagnostic(.error, file: shown, position: .start, message: message)])
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw refuse("cannot read the file: \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw refuse("is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        guard size <= Int64(YAMLReader.maximumSize) else {
            throw refuse("file is \(size) bytes; agreement files may be at most 1 MiB")
        }
        do {
            let data = try Data(contentsOf: url)
            guard data.count <= YAMLReader.maximumSize else { throw refuse("file is \(data.count) bytes; agreement files may be at most 1 MiB") }
            return data
        } catch let error as SLAError {
            throw error
        } catch {
            throw refuse("cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Decodes bytes of an agreement file; throws with every diagnostic when it is invalid.
    public func decodeAgreement(_ data: Data, path: String, id: String) throws -> (Agreement, warnings: [Diagnostic]) {
        let (agreement, diagnostics) = AgreementDecoder.decode(data, file: path, expectedID: id)
        guard let agreement else {
            throw SLAError("\(path) is not a valid agreement (\(diagnostics.errors.count) error\(diagnostics.errors.count == 1 ? "" : "s"))",
                           diagnostics: diagnostics)
        }
        return (agreement, diagnostics.warnings)
    }

    /// Checks the id and that the agreement exists (a version or a draft).
    public func requireAgreement(_ id: String) throws {
        guard AgreementDecoder.isValidID(id) else {
            throw SLAError("'\(id)' is not a valid agreement id: use lower-case letters, digits and '-', starting with a letter or digit (at most 63)")
        }
        guard try agreementIDs().contains(id) else {
            throw SLAError("there is no agreement '\(id)' in \(root)")
        }
    }

    // MARK: Writing

    /// One commit with exactly these changes, by the user's git identity, after checking
    /// that none of the paths has uncommitted changes. Nothing is written when it throws.
    func commit(_ changes: [String: FileWrite], message: String, now: Date, allowUncommitted: Set<String> = []) throws -> ObjectID {
        let identity = try self.identity(now: now)
        let dirty = try wrap { try git.uncommittedPaths(changes.keys.sorted()) }.filter { !allowUncommitted.contains($0) }
        if !dirty.isEmpty {
            let list = dirty.joined(separator: " ")
            throw SLAError("refusing to write over uncommitted changes in \(dirty.joined(separator: ", ")); keep them with `git add \(list) && git commit`, or throw them away with `git checkout -- \(list)` (or delete the file if git does not know it)")
        }
        return try wrap { try git.commit(changes: changes, message: message, author: identity, committer: identity) }
    }

    /// The committer from git config `user.name` / `user.email`, or a message saying how to set it.
    func identity(now: Date) throws -> GitSignature {
        do {
            return try git.identity(at: now)
        } catch let error as GitError {
            throw SLAError(error.hint ?? error.description)
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SLAError {
            throw error
        } catch {
            throw SLAError("git: \(error)")
        }
    }
}

extension Data {
    /// Lower-case hex SHA-256, as signature files and activation records name version bytes.
    public var sha256Hex: String {
        SHA256.hash(data: self).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension SLARepository {
    /// The bytes a selector names: a committed version or the draft. `active` needs activations.
    public func versionBytes(_ id: String, _ selector: VersionSelector, today: LocalDate) throws -> (name: String, data: Data) {
        switch selector {
        case .number(let n):
            return ("v\(n)", try versionData(id, n))
        case .latest:
            guard let n = try latestVersion(of: id) else {
                throw SLAError("agreement '\(id)' has no version yet; only a draft")
            }
            return ("v\(n)", try versionData(id, n))
        case .draft:
            guard let data = try draftData(id) else {
                throw SLAError("agreement '\(id)' has no open draft")
            }
            return ("draft", data)
        case .active:
            guard let version = try ledger(id).inForce(today: today) else {
                throw SLAError("no version of '\(id)' is in force on \(today.iso)")
            }
            return ("v\(version.number)", version.bytes)
        }
    }
}
