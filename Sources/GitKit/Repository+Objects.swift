import CLibGit2
import Foundation

// Reading commits, trees and blobs, and walking history.
extension Repository {
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        let commit = try lookupCommit(id)
        defer { git_commit_free(commit) }
        return Self.commitInfo(commit)
    }

    /// The bytes of a blob.
    public func blob(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        var blob: OpaquePointer?
        try explaining("Cannot read blob \(id)") {
            try check("git_blob_lookup") { git_blob_lookup(&blob, pointer, &oid) }
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// The blob id at `path` in a commit's tree; nil when there is no file there
    /// (nothing, or a directory or submodule).
    public func fileID(at path: String, inCommit commitID: ObjectID) throws -> ObjectID? {
        let tree = try lookupTree(ofCommit: commitID)
        defer { git_tree_free(tree) }
        guard let (id, type, _) = try entry(at: path, in: tree), type == GIT_OBJECT_BLOB else { return nil }
        return id
    }

    /// The contents of the file at `path` in a commit; nil when absent.
    public func file(at path: String, inCommit commitID: ObjectID) throws -> Data? {
        guard let id = try fileID(at: path, inCommit: commitID) else { return nil }
        return try blob(id)
    }

    /// All files (blobs, recursively) below directory `prefix` of a tree, keyed by full
    /// repository-relative path. `prefix` "" means the whole tree; a prefix that is missing or
    /// is not a directory gives [:].
    public func files(under prefix: String, inTree treeID: ObjectID) throws -> [String: ObjectID] {
        let root = try lookupTree(treeID)
        defer { git_tree_free(root) }
        let directory = Self.normalizedDirectory(prefix)
        var result: [String: ObjectID] = [:]
        if directory.isEmpty {
            try collectBlobs(in: root, prefix: "", into: &result)
            return result
        }
        guard let (id, type, _) = try entry(at: directory, in: root), type == GIT_OBJECT_TREE else { return [:] }
        let subtree = try lookupTree(id)
        defer { git_tree_free(subtree) }
        try collectBlobs(in: subtree, prefix: directory + "/", into: &result)
        return result
    }

    /// The names of the entries directly in directory `prefix` of a commit (files, directories
    /// and submodule entries alike); [] when it is missing or not a directory.
    public func entryNames(under prefix: String, inCommit commitID: ObjectID) throws -> [String] {
        guard let tree = try subtree(at: Self.normalizedDirectory(prefix), ofCommit: commitID) else { return [] }
        defer { git_tree_free(tree) }
        return (0..<git_tree_entrycount(tree)).compactMap { index in
            git_tree_entry_byindex(tree, index).map { String(cString: git_tree_entry_name($0)) }
        }
    }

    /// The id of the tree at directory `path` of a commit, nil when absent: equal ids mean
    /// nothing below changed, so history walks can skip a commit without diffing it.
    public func treeID(at path: String, inCommit commitID: ObjectID) throws -> ObjectID? {
        let directory = Self.normalizedDirectory(path)
        if directory.isEmpty { return try commit(commitID).tree }
        let root = try lookupTree(ofCommit: commitID)
        defer { git_tree_free(root) }
        guard let (id, type, _) = try entry(at: directory, in: root), type == GIT_OBJECT_TREE else { return nil }
        return id
    }

    public func files(under prefix: String, inCommit commitID: ObjectID) throws -> [String: ObjectID] {
        try files(under: prefix, inTree: commit(commitID).tree)
    }

    /// Files added, deleted or modified between two commits, sorted by path. `old` nil means the
    /// empty tree; `prefix` limits the comparison to one directory (nil or "" = everything).
    /// No rename detection: a rename is a deletion plus an addition. Submodule entries are not
    /// files: one replacing a file shows as that file's deletion; a file replaced by a symlink
    /// (or the reverse) shows as a deletion plus an addition.
    public func changes(from old: ObjectID?, to new: ObjectID, under prefix: String?) throws -> [TreeChange] {
        let directory = Self.normalizedDirectory(prefix ?? "")
        // Diffing the subtrees, rather than filtering with a pathspec, keeps the prefix literal
        // (no glob characters) and skips everything outside it.
        let oldTree = try old.flatMap { try subtree(at: directory, ofCommit: $0) }
        defer { git_tree_free(oldTree) }
        let newTree = try subtree(at: directory, ofCommit: new)
        defer { git_tree_free(newTree) }

        var options = git_diff_options()
        try check("git_diff_options_init") { git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)) }
        var diff: OpaquePointer?
        try check("git_diff_tree_to_tree") { git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options) }
        defer { git_diff_free(diff) }

        let pathPrefix = directory.isEmpty ? "" : directory + "/"
        var result: [TreeChange] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let oldFile = delta.old_file
            let newFile = delta.new_file
            var kind: TreeChange.Kind
            switch delta.status {
            case GIT_DELTA_ADDED: kind = .added
            case GIT_DELTA_DELETED: kind = .deleted
            case GIT_DELTA_MODIFIED, GIT_DELTA_TYPECHANGE: kind = .modified
            default: continue
            }
            // Only blobs count: a gitlink (submodule, mode 160000) is no file. A file replaced by a
            // gitlink is a deletion of the file, so it can never vanish unseen.
            let gitlink = UInt16(GIT_FILEMODE_COMMIT.rawValue)
            let oldIsFile = kind != .added && oldFile.mode != gitlink
            let newIsFile = kind != .deleted && newFile.mode != gitlink
            switch (oldIsFile, newIsFile) {
            case (false, false): continue
            case (true, false): kind = .deleted
            case (false, true): kind = .added
            case (true, true): break
            }
            let path = String(cString: kind == .deleted ? oldFile.path : newFile.path)
            result.append(
                TreeChange(
                    path: pathPrefix + path,
                    kind: kind,
                    oldID: kind == .added ? nil : ObjectID(oldFile.id),
                    newID: kind == .deleted ? nil : ObjectID(newFile.id)
                ))
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Visits `from` and its ancestors newest first (topological, then commit time order).
    /// `body` returns false to stop early.
    public func walk(from start: ObjectID, _ body: (CommitInfo) throws -> Bool) throws {
        try revwalk(from: start, hiding: [], sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue) { oid in
            try body(commit(oid))
        }
    }

    /// The one revwalk loop: `body` gets each commit id in the order asked for, and returns
    /// false to stop.
    func revwalk(from start: ObjectID, hiding: [ObjectID], sorting: UInt32, _ body: (ObjectID) throws -> Bool) throws {
        var walker: OpaquePointer?
        try check("git_revwalk_new") { git_revwalk_new(&walker, pointer) }
        defer { git_revwalk_free(walker) }
        try check("git_revwalk_sorting") { git_revwalk_sorting(walker, sorting) }
        var startOID = start.oid
        try explaining("Cannot walk history from \(start)") {
            try check("git_revwalk_push") { git_revwalk_push(walker, &startOID) }
        }
        for hidden in hiding {
            var oid = hidden.oid
            try check("git_revwalk_hide") { git_revwalk_hide(walker, &oid) }
        }
        var oid = git_oid()
        while true {
            let rc = try check("git_revwalk_next") {
                let rc = git_revwalk_next(&oid, walker)
                return rc == GIT_ITEROVER.rawValue ? 1 : rc
            }
            if rc == 1 { return }
            guard try body(ObjectID(oid)) else { return }
        }
    }

    /// Whether `commit` has `ancestor` in its history. Also true when they are the same commit,
    /// like `git merge-base --is-ancestor` (unlike git_graph_descendant_of).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        if commit == ancestor { return true }
        var commitOID = commit.oid
        var ancestorOID = ancestor.oid
        return try check("git_graph_descendant_of") {
            git_graph_descendant_of(pointer, &commitOID, &ancestorOID)
        } == 1
    }

    /// The best common ancestor of two commits; nil when their histories are unrelated.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var aOID = a.oid
        var bOID = b.oid
        var out = git_oid()
        return try nilIfNotFound {
            try check("git_merge_base") { git_merge_base(&out, pointer, &aOID, &bOID) }
            return ObjectID(out)
        }
    }

    // MARK: Helpers (handles returned here are freed by the caller)

    func lookupCommit(_ id: ObjectID) throws -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        try explaining("Cannot read commit \(id)") {
            try check("git_commit_lookup") { git_commit_lookup(&commit, pointer, &oid) }
        }
        return commit!
    }

    /// The caller frees the tree it gets. The last few trees stay open here, and a repeated
    /// lookup hands out another reference to the same parsed tree.
    func lookupTree(_ id: ObjectID) throws -> OpaquePointer {
        if let index = recentTrees.firstIndex(where: { $0.id == id }) {
            var copy: OpaquePointer?
            if git_object_dup(&copy, recentTrees[index].tree) == 0, let copy { return copy }
        }
        var oid = id.oid
        var tree: OpaquePointer?
        try explaining("Cannot read tree \(id)") {
            try check("git_tree_lookup") { git_tree_lookup(&tree, pointer, &oid) }
        }
        var kept: OpaquePointer?
        if git_object_dup(&kept, tree) == 0, let kept {
            recentTrees.append((id, kept))
            if recentTrees.count > 32 { git_tree_free(recentTrees.removeFirst().tree) }
        }
        return tree!
    }

    func lookupTree(ofCommit id: ObjectID) throws -> OpaquePointer {
        let commit = try lookupCommit(id)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check("git_commit_tree") { git_commit_tree(&tree, commit) }
        return tree!
    }

    /// The tree at directory `path` in a commit (the root for ""); nil when absent or not a tree.
    private func subtree(at path: String, ofCommit id: ObjectID) throws -> OpaquePointer? {
        let root = try lookupTree(ofCommit: id)
        if path.isEmpty { return root }
        defer { git_tree_free(root) }
        guard let (entryID, type, _) = try entry(at: path, in: root), type == GIT_OBJECT_TREE else { return nil }
        return try lookupTree(entryID)
    }

    /// The id, type and mode of the entry at `path` below `tree`; nil when there is none.
    func entry(at path: String, in tree: OpaquePointer?) throws -> (ObjectID, git_object_t, git_filemode_t)? {
        try nilIfNotFound {
            var entry: OpaquePointer?
            try check("git_tree_entry_bypath") { git_tree_entry_bypath(&entry, tree, path) }
            defer { git_tree_entry_free(entry) }
            return (ObjectID(git_tree_entry_id(entry)), git_tree_entry_type(entry), git_tree_entry_filemode(entry))
        }
    }

    private func collectBlobs(in tree: OpaquePointer?, prefix: String, into result: inout [String: ObjectID]) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let path = prefix + String(cString: git_tree_entry_name(entry))
            let id = ObjectID(git_tree_entry_id(entry))
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_BLOB:
                result[path] = id
            case GIT_OBJECT_TREE:
                let subtree = try lookupTree(id)
                defer { git_tree_free(subtree) }
                try collectBlobs(in: subtree, prefix: path + "/", into: &result)
            default:
                continue  // submodule commits
            }
        }
    }

    /// "a/b/" and "/a/b" mean directory "a/b"; "" and "/" the root.
    static func normalizedDirectory(_ prefix: String) -> String {
        prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    static func commitInfo(_ commit: OpaquePointer?) -> CommitInfo {
        CommitInfo(
            id: ObjectID(git_commit_id(commit)),
            tree: ObjectID(git_commit_tree_id(commit)),
            parents: (0..<git_commit_parentcount(commit)).compactMap { index in
                git_commit_parent_id(commit, index).map { ObjectID($0) }
            },
            author: GitSignature(git_commit_author(commit)),
            committer: GitSignature(git_commit_committer(commit)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? ""
        )
    }
}
