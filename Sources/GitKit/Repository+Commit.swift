import CLibGit2
import Foundation

#if canImport(Glibc)
    import Glibc
    private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }
    private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, bytes, count) }
#elseif canImport(Darwin)
    import Darwin
    private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Darwin.open(path, flags, mode) }
    private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, bytes, count) }
#endif

// Committing file changes without going through (or disturbing) the user's index and work tree.
extension Repository {
    /// Makes one commit on the current branch containing exactly `changes` on top of HEAD's tree,
    /// leaving the user's other staged and unstaged work alone:
    ///  1. builds the new tree from HEAD's tree (an empty tree when HEAD is unborn),
    ///  2. creates the commit (parent HEAD, no message encoding header),
    ///  3. moves the branch only if it still points at that HEAD (compare-and-swap; on an unborn
    ///     branch, only if it still does not exist) — otherwise throws `isConcurrentModification`
    ///     or `isAlreadyExists` and no reference, index entry or file is changed,
    ///  4. in a non-bare repository, updates just these paths' index entries and work-tree files
    ///     (atomic replace; deleted files' emptied parent directories are removed), so
    ///     `git status` shows nothing for them afterwards.
    /// Paths are repository-relative with "/". Deleting a path HEAD does not have is a no-op
    /// (its index entry and any file there are left alone). Written files keep an existing
    /// executable bit, otherwise they are plain files; content is written verbatim (no
    /// line-ending or other filters). Returns the new commit's id.
    ///
    /// `journal`, when given, is called with the plan after the commit object exists and before
    /// the branch moves: a caller records it, so that if the process dies between moving the
    /// branch and updating the index, `finishIndexUpdate(_:)` can complete the work later.
    public func commit(
        changes: [String: FileWrite], message: String, author: GitSignature, committer: GitSignature,
        journal: ((CommitPlan) throws -> Void)? = nil
    ) throws -> ObjectID {
        try commit(
            changes: changes, message: message, author: author, committer: committer, parent: headCommit(), journal: journal)
    }

    /// `commit(changes:...)` on top of `parent`, which must still be the branch tip when the
    /// branch is moved (nil: the branch must still be unborn). Internal so tests can simulate a
    /// concurrent commit between reading HEAD and moving the branch.
    func commit(
        changes: [String: FileWrite], message: String, author: GitSignature, committer: GitSignature,
        parent: ObjectID?, journal: ((CommitPlan) throws -> Void)? = nil
    ) throws -> ObjectID {
        let paths = changes.keys.sorted()
        for path in paths { try Self.validate(path: path) }
        let branch = try headBranch()

        let baseline = try parent.map { try lookupTree(ofCommit: $0) } ?? emptyTree()
        defer { git_tree_free(baseline) }

        // Work out each path's new blob (or removal) against the baseline tree.
        var writes: [(path: String, id: ObjectID, mode: git_filemode_t, data: Data)] = []
        var deletes: [String] = []
        var updates: [IndexUpdate] = []
        for path in paths {
            let existing = try entry(at: path, in: baseline)
            if let existing, existing.1 != GIT_OBJECT_BLOB {
                throw GitError(
                    code: GIT_EINVALID.rawValue, function: "commit(changes:)",
                    message: "'\(path)' is a directory or submodule in HEAD, not a file",
                    hint: "Cannot commit a file change at '\(path)'"
                )
            }
            switch changes[path]! {
            case .write(let data):
                let mode = existing?.2 == GIT_FILEMODE_BLOB_EXECUTABLE ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
                let blob = try createBlob(data)
                writes.append((path, blob, mode, data))
                updates.append(IndexUpdate(path: path, old: existing?.0, new: blob, executable: mode == GIT_FILEMODE_BLOB_EXECUTABLE))
            case .delete:
                if let existing {
                    deletes.append(path)
                    updates.append(IndexUpdate(path: path, old: existing.0, new: nil, executable: false))
                }
            }
        }

        let treeID = try buildTree(baseline: baseline, writes: writes.map { ($0.path, $0.id, $0.mode) }, deletes: deletes)
        let commitID = try createCommit(tree: treeID, parent: parent, message: message, author: author, committer: committer)
        try journal?(CommitPlan(commit: commitID, parent: parent, branch: branch, updates: updates))
        try moveBranch(branch, to: commitID, from: parent, summary: message)

        if !isBare {
            try explaining(
                "Committed \(commitID.short) on \(branch), but updating the index and work tree failed; "
                    + "`git status` may show these paths as changed until you run `git checkout HEAD -- <path>`"
            ) {
                try updateIndexAndWorkTree(writes: writes.map { ($0.path, $0.id, $0.mode, $0.data) }, deletes: deletes)
            }
        }
        return commitID
    }

    /// The subset of `paths` whose index or work-tree state differs from HEAD (staged, unstaged,
    /// untracked, ignored-but-present, deleted, or a directory in the way): writing these would
    /// clobber the user's uncommitted work. Always [] in a bare repository.
    public func uncommittedPaths(_ paths: [String]) throws -> [String] {
        guard !isBare else { return [] }
        adoptIndexReadAhead()
        var result: [String] = []
        for path in paths {
            var flags: UInt32 = 0
            do {
                try check("git_status_file") { git_status_file(&flags, pointer, path) }
                if flags != GIT_STATUS_CURRENT.rawValue { result.append(path) }
            } catch let error as GitError where error.isNotFound {
                continue  // absent from HEAD, index and work tree alike
            } catch let error as GitError where error.code == GIT_EAMBIGUOUS.rawValue {
                result.append(path)  // a directory sits at that path
            }
        }
        return result
    }

    /// Completes the index and work-tree step of a commit whose process died after moving the
    /// branch (see `commit(changes:journal:)`), carefully: a file is written or deleted only
    /// where the work tree still holds what it held before that commit (or nothing), so edits
    /// made since are kept; index entries are set to the commit's in every case. Returns the
    /// paths it changed.
    @discardableResult
    public func finishIndexUpdate(_ plan: CommitPlan) throws -> [String] {
        guard let root = workDirectory else { return [] }
        var writes: [(path: String, id: ObjectID, mode: git_filemode_t, data: Data)] = []
        var deletes: [String] = []
        var indexOnly: [(path: String, id: ObjectID?, mode: git_filemode_t)] = []
        for update in plan.updates {
            try Self.validate(path: update.path)
            let onDisk = try workTreeBlob(root + "/" + update.path)
            let untouched = onDisk == nil || onDisk == update.old || onDisk == update.new
            let mode = update.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
            switch (update.new, untouched) {
            case (let id?, true): writes.append((update.path, id, mode, try blob(id)))
            case (nil, true): deletes.append(update.path)
            case (let id, false): indexOnly.append((update.path, id, mode))
            }
        }
        try updateIndexAndWorkTree(writes: writes, deletes: deletes, indexOnly: indexOnly)
        for update in plan.updates { Self.removeTemporaryFiles(of: root + "/" + update.path) }
        return plan.updates.map(\.path)
    }

    /// Deletes what `writeAtomically` of a killed process left beside `path`
    /// (`.NAME.PID.RANDOM.tmp`), which would otherwise show as an untracked file.
    static func removeTemporaryFiles(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = "." + (path as NSString).lastPathComponent + "."
        let own = prefix + "\(getpid())."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") && !name.hasPrefix(own) {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count).split(separator: ".")
            guard middle.count == 2, middle.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { continue }
            unlink(directory + "/" + name)
        }
    }

    /// The blob id of a work-tree file's bytes (nil when there is no regular file there).
    private func workTreeBlob(_ path: String) throws -> ObjectID? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var oid = git_oid()
        try check("git_odb_hashfile") { git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }

    /// The tree the index holds now (written to the object database), as a pre-commit hook needs.
    /// Open with `openFromEnvironment()` inside hooks so GIT_INDEX_FILE is honoured.
    public func indexTree() throws -> ObjectID {
        let index = try openIndex()
        defer { git_index_free(index) }
        var oid = git_oid()
        try explaining("Cannot turn the index into a tree (unresolved merge conflicts?)") {
            try check("git_index_write_tree") { git_index_write_tree(&oid, index) }
        }
        return ObjectID(oid)
    }

    // MARK: Steps

    private func createBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        _ = try data.withUnsafeBytes { bytes in
            try check("git_blob_create_from_buffer") {
                git_blob_create_from_buffer(&oid, pointer, bytes.baseAddress, bytes.count)
            }
        }
        return ObjectID(oid)
    }

    private func emptyTree() throws -> OpaquePointer {
        var builder: OpaquePointer?
        try check("git_treebuilder_new") { git_treebuilder_new(&builder, pointer, nil) }
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        try check("git_treebuilder_write") { git_treebuilder_write(&oid, builder) }
        return try lookupTree(ObjectID(oid))
    }

    /// The tree of `commit` with these files written in (blobs already in the object database,
    /// as regular files): what merging another side's new files into it gives.
    public func tree(of commit: ObjectID, writing files: [(path: String, blob: ObjectID)]) throws -> ObjectID {
        let baseline = try lookupTree(ofCommit: commit)
        defer { git_tree_free(baseline) }
        return try buildTree(baseline: baseline, writes: files.map { ($0.path, $0.blob, GIT_FILEMODE_BLOB) }, deletes: [])
    }

    private func buildTree(
        baseline: OpaquePointer, writes: [(String, ObjectID, git_filemode_t)], deletes: [String]
    ) throws -> ObjectID {
        // The update structs borrow C strings, so copy the paths and free them afterwards.
        var updates: [git_tree_update] = []
        defer { for update in updates { free(UnsafeMutablePointer(mutating: update.path)) } }
        for (path, id, mode) in writes {
            updates.append(git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: id.oid, filemode: mode, path: strdup(path)))
        }
        for path in deletes {
            updates.append(
                git_tree_update(action: GIT_TREE_UPDATE_REMOVE, id: git_oid(), filemode: GIT_FILEMODE_UNREADABLE, path: strdup(path)))
        }
        var oid = git_oid()
        try explaining("Cannot build the new tree") {
            try check("git_tree_create_updated") {
                git_tree_create_updated(&oid, pointer, baseline, updates.count, &updates)
            }
        }
        return ObjectID(oid)
    }

    private func createCommit(
        tree treeID: ObjectID, parent: ObjectID?, message: String, author: GitSignature, committer: GitSignature
    ) throws -> ObjectID {
        let tree = try lookupTree(treeID)
        defer { git_tree_free(tree) }
        var parents: [OpaquePointer?] = try parent.map { [try lookupCommit($0)] } ?? []
        defer { for commit in parents { git_commit_free(commit) } }
        var oid = git_oid()
        _ = try author.withGitSignature { authorSig in
            try committer.withGitSignature { committerSig in
                try check("git_commit_create") {
                    // update_ref nil: the branch is moved separately, with a compare-and-swap.
                    git_commit_create(&oid, pointer, nil, authorSig, committerSig, nil, message, tree, parents.count, &parents)
                }
            }
        }
        return ObjectID(oid)
    }

    private func moveBranch(_ branch: String, to commitID: ObjectID, from parent: ObjectID?, summary message: String) throws {
        let summary = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        var newOID = commitID.oid
        var ref: OpaquePointer?
        defer { git_reference_free(ref) }
        if let parent {
            var oldOID = parent.oid
            try explaining("\(branch) moved away from \(parent.short) while committing; nothing was changed, try again") {
                try check("git_reference_create_matching") {
                    git_reference_create_matching(&ref, pointer, branch, &newOID, 1, &oldOID, "commit: \(summary)")
                }
            }
        } else {
            try explaining("\(branch) was created by someone else while committing; nothing was changed, try again") {
                try check("git_reference_create") {
                    git_reference_create(&ref, pointer, branch, &newOID, 0, "commit (initial): \(summary)")
                }
            }
        }
    }

    private func openIndex() throws -> OpaquePointer {
        adoptIndexReadAhead()
        var index: OpaquePointer?
        try check("git_repository_index") { git_repository_index(&index, pointer) }
        // The handle may be cached from earlier (git_status_file loads it): read the file again
        // only if it changed on disk since (another git process), judged by its size, mtime and inode.
        do {
            try check("git_index_read") { git_index_read(index, 0) }
        } catch {
            git_index_free(index)
            throw error
        }
        return index!
    }

    private func updateIndexAndWorkTree(
        writes: [(path: String, id: ObjectID, mode: git_filemode_t, data: Data)], deletes: [String],
        indexOnly: [(path: String, id: ObjectID?, mode: git_filemode_t)] = []
    ) throws {
        guard let root = workDirectory else { return }
        let index = try openIndex()
        defer { git_index_free(index) }
        for entry in indexOnly {
            if let id = entry.id {
                var indexEntry = git_index_entry()
                indexEntry.mode = entry.mode.rawValue
                indexEntry.id = id.oid
                try entry.path.withCString { path in
                    indexEntry.path = path
                    try check("git_index_add") { git_index_add(index, &indexEntry) }
                }
            } else {
                try check("git_index_remove_bypath") { git_index_remove_bypath(index, entry.path) }
            }
        }

        for write in writes {
            let fullPath = root + "/" + write.path
            try Self.writeAtomically(write.data, to: fullPath, executable: write.mode == GIT_FILEMODE_BLOB_EXECUTABLE)
            // Stat data from the file just written lets git trust the entry without re-hashing.
            var info = stat()
            guard lstat(fullPath, &info) == 0 else { throw Self.posixError("lstat", fullPath) }
            var entry = git_index_entry()
            #if canImport(Darwin)
                let (ctime, mtime) = (info.st_ctimespec, info.st_mtimespec)
            #else
                let (ctime, mtime) = (info.st_ctim, info.st_mtim)
            #endif
            entry.ctime = git_index_time(
                seconds: Int32(truncatingIfNeeded: ctime.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: ctime.tv_nsec))
            entry.mtime = git_index_time(
                seconds: Int32(truncatingIfNeeded: mtime.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: mtime.tv_nsec))
            entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
            entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
            entry.uid = info.st_uid
            entry.gid = info.st_gid
            entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
            entry.mode = write.mode.rawValue
            entry.id = write.id.oid
            try write.path.withCString { path in
                entry.path = path
                try check("git_index_add") { git_index_add(index, &entry) }
            }
        }
        for path in deletes {
            try check("git_index_remove_bypath") { git_index_remove_bypath(index, path) }
            let fullPath = root + "/" + path
            if unlink(fullPath) != 0 && errno != ENOENT { throw Self.posixError("unlink", fullPath) }
            // Like git rm: directories left empty go too (rmdir fails, and we stop, at the first non-empty one).
            var directory = (path as NSString).deletingLastPathComponent
            while !directory.isEmpty, rmdir(root + "/" + directory) == 0 {
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        do {
            try check("git_index_write") { git_index_write(index) }
        } catch let error as GitError where error.code == GIT_ELOCKED.rawValue && error.hint == nil {
            // libgit2 says only "the index is locked": name the file.
            let lock = (gitDirectory as NSString).appendingPathComponent("index.lock")
            throw error.with(hint: lockFileHint("failed to create locked file '\(lock)'") ?? "")
        }
    }

    // MARK: Files

    /// Rejects paths that could escape the work tree or touch git's own files.
    static func validate(path: String) throws {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let bad =
            path.isEmpty || path.contains("\0")
            || components.contains { component in
                component.isEmpty || component == "." || component == ".." || component.lowercased() == ".git"
            }
        if bad {
            throw GitError(
                code: GIT_EINVALIDSPEC.rawValue, function: "commit(changes:)",
                message: "invalid path '\(path)'",
                hint: "Paths must be relative, '/'-separated, without empty, '.', '..' or '.git' components"
            )
        }
    }

    /// Writes via a temporary file in the same directory and rename(2), so readers see the old or
    /// the new content, never a partial file. Creates missing parent directories.
    static func writeAtomically(_ data: Data, to path: String, executable: Bool) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GitError(code: GIT_ERROR.rawValue, function: "mkdir", message: "\(error)", hint: "Cannot create directory '\(directory)'")
        }
        let temporary = directory + "/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        // The umask applies to these modes, as it does for files git checks out.
        let fd = systemOpen(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0o777 : 0o666)
        guard fd >= 0 else { throw posixError("open", temporary) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        let written: Bool = data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written else {
            let error = posixError("write", temporary)
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw posixError("close", temporary) }
        guard rename(temporary, path) == 0 else { throw posixError("rename", path) }
        renamed = true
    }

    static func posixError(_ function: String, _ path: String) -> GitError {
        GitError(code: GIT_ERROR.rawValue, function: function, message: String(cString: strerror(errno)), hint: "Cannot update '\(path)'")
    }
}
