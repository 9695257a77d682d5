import Crypto
import Foundation
import GitKit
import SLALimits

/// An SLA repository: any git repository with agreements under `agreements/`. Maps the
/// agreement layout of DESIGN.md onto git through GitKit; every change is one commit.
public final class SLARepository {
    let git: Repository
    /// HEAD as this command first read it: what its decisions rest on (see `commit`).
    private var firstHead: ObjectID??
    /// Set by `pinSnapshot`: every read is made against this commit, never the work tree.
    private var snapshot: ObjectID??
    /// The last ledger built, kept as long as the repository is: the command line keeps its
    /// repository until the process ends, which then frees the ledger's memos (hundreds of
    /// thousands of objects after a `verify`) at once instead of one by one.
    private var lastLedger: Ledger?

    /// Whether drafts are read from the work tree (the command line) or only as committed
    /// (the web service, which shows one commit per response).
    public var readsWorkTree: Bool { snapshot == nil }

    init(git: Repository) { self.git = git }

    /// The repository containing `path` (default: the current directory).
    public static func open(at path: String?) throws -> SLARepository {
        let start = path ?? FileManager.default.currentDirectoryPath
        guard !start.isEmpty else { throw SLAError("--repo names no folder (it is empty)", kind: .badInput) }
        guard FileManager.default.fileExists(atPath: start) else {
            throw SLAError("\(start) does not exist", kind: .notFound)
        }
        do {
            return SLARepository(git: try Repository.open(containing: start))
        } catch let error as GitError where error.message.lowercased().contains("objectformat") {
            throw SLAError(
                "the repository at \(start) stores objects by SHA-256 (extensions.objectFormat); sla works with git's default SHA-1 repositories",
                kind: .refused)
        } catch let error as GitError where error.isNotFound {
            throw SLAError("\(start) is not in a git repository; run `sla init` there first, or pass --repo PATH", kind: .notFound)
        } catch {
            throw SLAError("cannot open the repository at \(start): \(error)")
        }
    }

    /// For a command that is about to commit: git's index is read on another thread while it
    /// reads the ledger and decides (only the time changes, never a result).
    public func readIndexAhead() { git.readIndexAhead() }

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
            throw SLAError("\(path) is a file, not a directory", kind: .badInput)
        }
        // The repository the path is in, if any, found from the nearest folder that exists: a
        // refusal must come before any folder is made.
        var nearest = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: nearest.path), nearest.path != "/" { nearest.deleteLastPathComponent() }
        let existing = try? Repository.open(containing: nearest.path)
        if let existing {
            let root = (existing.workDirectory ?? existing.gitDirectory)
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
            guard URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path == target else {
                // A repository inside another would leave sla opening the wrong one from here.
                throw SLAError(
                    "\(path) is inside the git repository \(root); run `sla init \(root)` to use that one, or choose a directory outside it"
                )
            }
        }
        // `agreements` there that is not a folder: refused before `git init` writes anything.
        let agreementsPath = URL(fileURLWithPath: path).appendingPathComponent("agreements").path
        if FileManager.default.fileExists(atPath: agreementsPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SLAError("\(agreementsPath) is a file, not a folder; move it away, then run `sla init` again", kind: .refused)
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SLAError("cannot create the directory \(path): \(error.localizedDescription)")
        }
        var created = false
        let git: Repository
        if let existing {
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
    /// The git directory, and the common one of linked work trees.
    public var gitDirectory: String { git.gitDirectory }
    public var commonDirectory: String { git.commonDirectory }
    public var isBare: Bool { git.isBare }

    // MARK: Reading what is committed

    /// The commit every read is made against: HEAD now, so one command sees one state.
    public func head() throws -> ObjectID? {
        if let snapshot { return snapshot }
        let head = try wrap { try git.headCommit() }
        if firstHead == nil { firstHead = .some(head) }
        return head
    }

    /// Reads HEAD once and answers every later read from that commit, drafts included, so a
    /// response of the web service is one consistent state even while commits arrive.
    /// Returns the commit's id in hex, nil while the branch has no commit.
    @discardableResult
    public func pinSnapshot() throws -> String? {
        let head = try wrap { try git.headCommit() }
        snapshot = .some(head)
        return head?.hex
    }

    /// Changes whenever a version tag is created, moved or deleted (see `TagRefs.stateDigest`).
    public func tagsStateDigest() -> String { TagRefs.stateDigest(in: git) }

    /// The ids of every agreement committed at `commit` or with a draft in the work tree.
    public func agreementIDs(at commit: ObjectID? = nil) throws -> [String] {
        var ids: Set<String> = []
        if let commit = try commit ?? head() {
            for name in try wrap({ try git.entryNames(under: "agreements", inCommit: commit) }) where AgreementDecoder.isValidID(name) {
                ids.insert(name)
            }
        }
        ids.formUnion(try workTreeDrafts())
        return ids.sorted()
    }

    /// What the folder of agreement `id` holds at `commit` (default HEAD), classified by the layout.
    public func files(of id: String, at commit: ObjectID? = nil) throws -> AgreementFiles {
        guard let commit = try commit ?? head() else { return AgreementFiles() }
        return try wrap {
            let tree = try git.graphCommit(commit).tree
            guard let agreements = try git.treeEntry(named: "agreements", in: tree), agreements.kind == .tree else {
                return AgreementFiles()
            }
            return try AgreementFiles.read(try git.treeEntry(named: id, in: agreements.id), reuse: nil, objects: git)
        }
    }

    /// Version numbers and blob ids of `versions/vN.yaml` at `commit`.
    public func versions(of id: String, at commit: ObjectID? = nil) throws -> [Int: ObjectID] {
        try files(of: id, at: commit).versions
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
            throw SLAError("agreement \(id) has no version v\(n)", kind: .notFound)
        }
        return data
    }

    /// The draft as the user has it: the work-tree file, tracked or not (the committed one in a bare repository).
    public func draftData(_ id: String) throws -> Data? {
        let path = AgreementPaths(id).draft
        guard readsWorkTree, let work = git.workDirectory else { return try file(path) }
        let url = URL(fileURLWithPath: work).appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Self.readAgreementFile(url, shown: path)
    }

    /// An agreement file from disk: a regular file of at most 1 MiB, refused before reading
    /// anything else (a FIFO, a device, a sparse terabyte).
    static func readAgreementFile(_ url: URL, shown: String) throws -> Data {
        func refuse(_ message: String) -> SLAError {
            SLAError(
                "\(shown) cannot be read as an agreement", kind: .badInput,
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
            throw refuse("file is \(size) bytes; agreement files may be at most \(Limits.describe(bytes: YAMLReader.maximumSize))")
        }
        do {
            let data = try Data(contentsOf: url)
            guard data.count <= YAMLReader.maximumSize else {
                throw refuse(
                    "file is \(data.count) bytes; agreement files may be at most \(Limits.describe(bytes: YAMLReader.maximumSize))")
            }
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
            throw SLAError(
                "\(path) is not a valid agreement (\(diagnostics.errors.count) error\(diagnostics.errors.count == 1 ? "" : "s"))",
                kind: .badInput, diagnostics: diagnostics)
        }
        return (agreement, diagnostics.warnings)
    }

    /// Checks the id and that the agreement exists (a version or a draft).
    public func requireAgreement(_ id: String) throws {
        guard AgreementDecoder.isValidID(id) else {
            throw SLAError.invalidID(id)
        }
        guard try agreementIDs().contains(id) else {
            throw SLAError("there is no agreement '\(id)' in \(root)", kind: .notFound)
        }
    }

    // MARK: Writing

    /// One commit with exactly these changes, by the user's git identity, after checking
    /// that none of the paths has uncommitted changes. Nothing is written when it throws.
    @discardableResult
    func commit(
        _ changes: [String: FileWrite], message: String, now: Date, allowUncommitted: Set<String> = [],
        tag: CommandJournal.TagPlan? = nil, untrackedDraft: (path: String, bytes: Data)? = nil
    ) throws -> ObjectID {
        // As `git commit` does: a bare repository is a server's copy, and a commit made in it
        // directly would never pass its pre-receive hook.
        guard !git.isBare else {
            throw SLAError(
                "\(root) is a bare repository (a server's copy); commit in a clone of it and push (`sla sync`), so that its hook checks the commit",
                kind: .refused)
        }
        let identity = try self.identity(now: now)
        // One sla command commits at a time in a repository: the branch moves by compare-and-swap
        // anyway, but the index is read, changed and written, and two writers would lose one's entry.
        let lock = try exclusiveLock()
        defer { lock.release() }
        // What a killed command left undone is finished first (the command line has said so when
        // it opened the repository; this catches one killed since). This command decided on the
        // HEAD it read, which finishing does not move.
        _ = try finishInterruptedCommand(now: now)
        // What this command decided (an entry to append, a signature to add) rests on the HEAD
        // it read; if another command committed since, deciding again is the only safe thing.
        if let basis = firstHead, try wrap({ try git.headCommit() }) != basis {
            throw SLAError(
                "the repository changed while this command ran (another sla command or git committed); nothing was written, run it again",
                kind: .refused)
        }
        if try wrap({ try git.headBranch() }) == "HEAD" {
            throw SLAError(
                "HEAD is detached (no branch is checked out), so the commit would belong to no branch and nothing would change for anyone; "
                    + "check out your branch first, e.g. `git checkout main`", kind: .refused)
        }
        let dirty = try wrap { try git.uncommittedPaths(changes.keys.sorted()) }.filter { !allowUncommitted.contains($0) }
        if !dirty.isEmpty {
            let list = dirty.joined(separator: " ")
            throw SLAError(
                "refusing to write over uncommitted changes in \(dirty.joined(separator: ", ")); keep them with `git add \(list) && git commit`, or throw them away with `git checkout -- \(list)` (or delete the file if git does not know it)"
            )
        }
        try checkWritable(changes.sorted { $0.key < $1.key }.map { ($0.key, $0.value.isDelete) }, tag: tag?.name)
        let command = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
        let commitID: ObjectID
        var planned: CommitPlan?
        do {
            commitID = try wrap {
                try git.commit(changes: changes, message: message, author: identity, committer: identity) { plan in
                    planned = plan
                    try self.writeJournal(
                        CommandJournal(
                            command: command, plan: plan, tag: tag,
                            untrackedDraft: untrackedDraft.map { .init(path: $0.path, blob: ObjectID.blobID(of: $0.bytes)) }))
                }
            }
        } catch {
            guard let planned, try wrap({ try git.reference(planned.branch) }) == planned.commit else {
                // The branch did not move: nothing happened.
                removeJournal()
                throw error
            }
            // The commit landed but the index step failed (a lock file, say): the record stays, so
            // the next sla command finishes the step once the cause is gone.
            throw SLAError(
                "committed \(planned.commit.short), but could not bring the index and work tree up to date: \(error). "
                    + "The next sla command finishes that.")
        }
        if let untrackedDraft, let work = git.workDirectory {
            // An untracked draft is not in the commit; it now lives on as the version.
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: work).appendingPathComponent(untrackedDraft.path).path)
        }
        if let tag {
            do {
                try git.createAnnotatedTag(name: tag.name, target: commitID, message: tag.message, tagger: identity)
            } catch {
                removeJournal()
                throw SLAError("committed \(commitID.short), but could not create tag \(tag.name): \(error)")
            }
        }
        removeJournal()
        return commitID
    }

    /// What would make the commit land but its index, files or tag not: refused before anything
    /// is written. A folder on the way to a path that is a symbolic link (git never writes
    /// through one; sla would write outside the repository, and `git status` would show the
    /// file deleted), or a file that is a link or a folder; git's index locked by a running git
    /// command; a lock left on the tag's ref.
    func checkWritable(_ paths: [(path: String, delete: Bool)], tag: String?) throws {
        if let work = git.workDirectory {
            for (path, delete) in paths {
                var prefix = ""
                for component in path.split(separator: "/") {
                    prefix += prefix.isEmpty ? String(component) : "/" + component
                    var status = stat()
                    guard lstat(URL(fileURLWithPath: work).appendingPathComponent(prefix).path, &status) == 0 else { break }
                    let kind = status.st_mode & S_IFMT
                    let last = prefix.count == path.count
                    // Deleting a link removes the link, never what it names.
                    if last && delete { break }
                    if kind == S_IFLNK || (last ? kind != S_IFREG : kind != S_IFDIR) {
                        throw SLAError(
                            "\(prefix) is \(kind == S_IFLNK ? "a symbolic link" : last ? "not a regular file" : "not a folder") in the work tree, "
                                + "so \(path) cannot be written there (git does not write through links either); move it away and run the command again",
                            kind: .refused)
                    }
                }
            }
        }
        var locks = [URL(fileURLWithPath: git.gitDirectory).appendingPathComponent("index.lock")]
        if let tag { locks.append(URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("refs/tags/\(tag).lock")) }
        if let lock = locks.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw SLAError("nothing was written: " + lockFileAdvice(lock.path), kind: .refused)
        }
    }

    /// Holds `.git/sla/commit.lock` (flock) for one command that commits; waits up to 20 s for
    /// another, then says the repository is busy. The kernel drops the lock if a process dies.
    func exclusiveLock(attempts: Int = 200) throws -> ProcessLock {
        let url = URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("sla/commit.lock")
        return try ProcessLock.acquire(url, attempts: attempts) {
            "another sla command is changing this repository (it holds \(url.path)); try again in a moment"
        }
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
    /// The ledger of the checked history: HEAD's, or that of `ref` (a branch, tag or commit).
    /// `verify` checks every commit and signature and needs a commit to check; other commands
    /// start from the cache under `.git/` and check only what is new.
    public func ledger(ref: String? = nil, verify: Bool = false, after previous: Ledger? = nil) throws -> Ledger {
        let commit: ObjectID?
        if let ref {
            guard let resolved = try wrap({ try git.resolveCommit(ref) }) else {
                throw SLAError("'\(ref)' names no commit here; \(try branchList())", kind: .notFound)
            }
            commit = resolved
        } else {
            commit = try head()
            if commit == nil, verify {
                let branch = try wrap { try git.headBranch() }
                throw SLAError(
                    "there is nothing to verify: HEAD names \(branch), which has no commits; \(try branchList())."
                        + " Pass --ref BRANCH, or push to that branch first", kind: .notFound)
            }
        }
        let quarantined = ProcessInfo.processInfo.environment["GIT_QUARANTINE_PATH"] != nil
        let ledger = try wrap {
            try Ledger.build(git: git, commit: commit, trustCache: !verify, writeCache: ref == nil && !quarantined, previous: previous)
        }
        lastLedger = ledger
        return ledger
    }

    private func branchList() throws -> String {
        let branches = try wrap { try git.branchNames() }
        return branches.isEmpty ? "this repository has no branches" : "its branches: \(branches.joined(separator: ", "))"
    }

    /// The agreement as the ledger has it; one that exists only as a draft in the work tree
    /// has no history yet. Throws when there is no such agreement.
    public func agreement(_ id: String, in ledger: Ledger) throws -> AgreementLedger {
        guard AgreementDecoder.isValidID(id) else { throw SLAError.invalidID(id) }
        if let found = try ledger.agreement(id) { return found }
        guard try draftData(id) != nil else {
            throw SLAError("there is no agreement '\(id)' in \(root)", kind: .notFound)
        }
        return .draftOnly(id, in: ledger)
    }

    /// The bytes a selector names: a committed version or the draft. `active` reads the ledger
    /// and fails closed on a faulted agreement.
    public func versionBytes(_ id: String, _ selector: VersionSelector, today: LocalDate) throws -> (version: Int?, data: Data) {
        switch selector {
        case .draft:
            guard let data = try draftData(id) else {
                throw SLAError("agreement '\(id)' has no open draft", kind: .notFound)
            }
            return (nil, data)
        case .number, .latest, .active:
            let agreement = try self.agreement(id, in: try ledger())
            let n = try agreement.select(selector, today: today)
            guard let blob = agreement.state.files.versions[n] else {
                throw SLAError("agreement '\(id)' has no version v\(n)", kind: .notFound)
            }
            return (n, try self.blob(blob))
        }
    }
}

extension AgreementLedger {
    /// The version number a selector names (not `draft`): `active` is the version in force at
    /// `today` and fails closed on a faulted agreement.
    public func select(_ selector: VersionSelector, today: LocalDate) throws -> Int {
        switch selector {
        case .number(let n):
            guard state.files.versions[n] != nil else {
                throw SLAError("agreement '\(id)' has no version v\(n)", kind: .notFound)
            }
            return n
        case .latest:
            guard let n = latestVersion else {
                throw SLAError("agreement '\(id)' has no version yet", kind: .notFound)
            }
            return n
        case .active:
            guard let version = try inForce(today: today) else {
                var message = "no version of '\(id)' is in force on \(today.iso)"
                if let next = try status(today: today, hasDraft: false).scheduled.first {
                    message += "; v\(next.version) is scheduled to take effect on \(next.effectiveFrom.iso)"
                }
                throw SLAError(message, kind: .notFound)
            }
            return version.number
        case .draft:
            throw SLAError("the draft is not a committed version", kind: .badInput)
        }
    }
}

/// `sla show --format json`: a version (or the draft) with its bytes and their SHA-256.
public struct ShownVersion: Sendable, Encodable {
    public let agreement: String
    /// nil for the draft.
    public let version: Int?
    public let draft: Bool
    public let sha256: String
    public let yaml: String

    public init(agreement: String, version: Int?, data: Data) {
        self.agreement = agreement
        self.version = version
        self.draft = version == nil
        self.sha256 = data.sha256Hex
        self.yaml = String(decoding: data, as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey { case agreement, version, draft, sha256, yaml }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agreement, forKey: .agreement)
        try c.encode(version, forKey: .version)
        try c.encode(draft, forKey: .draft)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(yaml, forKey: .yaml)
    }
}

/// A held `flock`; released explicitly or when the process ends.
struct ProcessLock {
    let fd: Int32

    /// Holds `url` (flock, the file made when missing); tries `attempts` times 100 ms apart,
    /// then refuses with `busy`. The kernel drops the lock if the process dies.
    static func acquire(_ url: URL, attempts: Int = 200, busy: () -> String) throws -> ProcessLock {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = Glibc.open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SLAError("cannot open \(url.path) to lock it: \(String(cString: strerror(errno)))", kind: .refused) }
        for attempt in 0..<attempts {
            if attempt > 0 { usleep(50_000) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return ProcessLock(fd: fd) }
            usleep(50_000)
        }
        close(fd)
        throw SLAError(busy(), kind: .refused)
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
