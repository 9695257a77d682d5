import CLibGit2
import Foundation

/// One entry of a tree, as stored: its name, object and what kind of thing it is.
public struct TreeEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A regular file (mode 100644 or 100755).
        case file
        case symlink
        case tree
        /// A submodule commit (mode 160000).
        case gitlink
        /// A mode other than git's five (100644, 100755, 120000, 040000, 160000), such as
        /// 120755 or 100664. git and libgit2 read such a mode differently (libgit2 takes 120755
        /// for an executable file, git for a symbolic link), so it is never taken for any of them.
        case unusual(mode: UInt32)
    }

    public let name: String
    public let id: ObjectID
    public let kind: Kind

    public init(name: String, id: ObjectID, kind: Kind) {
        self.name = name
        self.id = id
        self.kind = kind
    }
}

/// A commit's place in the graph: just what a fold over history needs.
public struct GraphCommit: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]

    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID]) {
        self.id = id
        self.tree = tree
        self.parents = parents
    }
}

// Reading the commit graph and trees entry by entry, for folds over the whole history.
extension Repository {
    /// The entries directly in a tree, in git's order.
    public func treeEntries(_ treeID: ObjectID) throws -> [TreeEntry] {
        let tree = try lookupTree(treeID)
        defer { git_tree_free(tree) }
        return (0..<git_tree_entrycount(tree)).compactMap { index in
            guard let entry = git_tree_entry_byindex(tree, index) else { return nil }
            return Self.treeEntry(entry)
        }
    }

    /// The entry called `name` directly in a tree; nil when there is none.
    public func treeEntry(named name: String, in treeID: ObjectID) throws -> TreeEntry? {
        let tree = try lookupTree(treeID)
        defer { git_tree_free(tree) }
        guard let entry = git_tree_entry_byname(tree, name) else { return nil }
        return Self.treeEntry(entry)
    }

    static func treeEntry(_ entry: OpaquePointer) -> TreeEntry {
        // The mode as written: libgit2's `git_tree_entry_filemode` normalises it its own way.
        let kind: TreeEntry.Kind
        switch git_tree_entry_filemode_raw(entry) {
        case GIT_FILEMODE_TREE: kind = .tree
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: kind = .file
        case GIT_FILEMODE_LINK: kind = .symlink
        case GIT_FILEMODE_COMMIT: kind = .gitlink
        case let mode: kind = .unusual(mode: mode.rawValue)
        }
        return TreeEntry(name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry)), kind: kind)
    }

    /// The commit, its tree and its parents.
    public func graphCommit(_ id: ObjectID) throws -> GraphCommit {
        let commit = try lookupCommit(id)
        defer { git_commit_free(commit) }
        return GraphCommit(
            id: id, tree: ObjectID(git_commit_tree_id(commit)),
            parents: (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map { ObjectID($0) } })
    }

    /// Every commit reachable from `start` but not from any of `hiding`, parents before
    /// children (reverse topological order). Iterative: history depth costs memory for the ids
    /// only, never stack.
    public func commitsParentsFirst(from start: ObjectID, hiding: [ObjectID] = []) throws -> [GraphCommit] {
        var result: [GraphCommit] = []
        try revwalk(from: start, hiding: hiding, sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue) { oid in
            result.append(try graphCommit(oid))
            return true
        }
        return result
    }

    /// Every commit reachable from `start` (one walk; membership is then a set lookup, where
    /// `isDescendant` walks the graph on every call).
    public func reachableCommits(from start: ObjectID) throws -> Set<ObjectID> {
        var found: Set<ObjectID> = []
        try revwalk(from: start, hiding: [], sorting: GIT_SORT_NONE.rawValue) { oid in
            found.insert(oid)
            return true
        }
        return found
    }

    /// How many commits `start` has that `hidden` lacks (stops counting at `limit`).
    public func countCommits(from start: ObjectID, hiding hidden: ObjectID, limit: Int = 1000) throws -> Int {
        var count = 0
        try revwalk(from: start, hiding: [hidden], sorting: GIT_SORT_NONE.rawValue) { _ in
            count += 1
            return count < limit
        }
        return count
    }

    /// Whether the repository is a shallow clone (part of its history is missing).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The commit a revision names (`main`, `origin/main`, `HEAD~2`, a commit id, a tag); nil
    /// when it names nothing or something that is not a commit.
    public func resolveCommit(_ revision: String) throws -> ObjectID? {
        try nilIfNotFound {
            var object: OpaquePointer?
            do {
                try check("git_revparse_single") { git_revparse_single(&object, pointer, revision) }
            } catch let error as GitError where error.code == GIT_EINVALIDSPEC.rawValue || error.code == GIT_EAMBIGUOUS.rawValue {
                return nil
            }
            defer { git_object_free(object) }
            var commit: OpaquePointer?
            // A tree or a blob cannot be peeled to a commit: it names no commit.
            let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
            if peeled == GIT_EPEEL.rawValue || peeled == GIT_EINVALIDSPEC.rawValue { return nil }
            try check("git_object_peel") { peeled }
            defer { git_object_free(commit) }
            return ObjectID(git_object_id(commit))
        }
    }

    /// The names of every local branch (without "refs/heads/"), sorted.
    public func branchNames() throws -> [String] {
        try referenceNames(glob: "refs/heads/*").map { String($0.dropFirst("refs/heads/".count)) }.sorted()
    }

    /// Full names of the references matching a glob such as "refs/tags/sla/*".
    public func referenceNames(glob: String) throws -> [String] {
        var iterator: OpaquePointer?
        try check("git_reference_iterator_glob_new") { git_reference_iterator_glob_new(&iterator, pointer, glob) }
        defer { git_reference_iterator_free(iterator) }
        var names: [String] = []
        var name: UnsafePointer<CChar>?
        while true {
            let rc = try check("git_reference_next_name") {
                let rc = git_reference_next_name(&name, iterator)
                return rc == GIT_ITEROVER.rawValue ? 1 : rc
            }
            if rc == 1 { return names }
            names.append(String(cString: name!))
        }
    }
}

/// One name whose entry differs between two trees (one level, no recursion).
public struct TreeEntryChange: Sendable, Equatable {
    public let name: String
    /// nil when the name is new.
    public let old: TreeEntry?
    /// nil when the name is gone.
    public let new: TreeEntry?

    public init(name: String, old: TreeEntry?, new: TreeEntry?) {
        self.name = name
        self.old = old
        self.new = new
    }
}

extension Repository {
    /// The entries of two trees that differ by object or mode, one level deep; nil trees are
    /// empty. Equal entries are compared as raw ids, so a large folder in which one entry
    /// changed costs little.
    public func entryChanges(from oldTree: ObjectID?, to newTree: ObjectID?) throws -> [TreeEntryChange] {
        if oldTree == newTree { return [] }
        let old = try oldTree.map { try lookupTree($0) }
        defer { if let old { git_tree_free(old) } }
        let new = try newTree.map { try lookupTree($0) }
        defer { if let new { git_tree_free(new) } }
        var changes: [TreeEntryChange] = []
        // Both trees are sorted in git's order: one pass over both, comparing in that order.
        let oldCount = old.map { git_tree_entrycount($0) } ?? 0
        let newCount = new.map { git_tree_entrycount($0) } ?? 0
        var i = 0
        var j = 0
        while i < oldCount || j < newCount {
            let a = i < oldCount ? git_tree_entry_byindex(old, i) : nil
            let b = j < newCount ? git_tree_entry_byindex(new, j) : nil
            if let a, let b {
                let order = strcmp(git_tree_entry_name(a), git_tree_entry_name(b)) == 0 ? 0 : git_tree_entry_cmp(a, b)
                if order == 0 {
                    if git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) != 1
                        || git_tree_entry_filemode_raw(a) != git_tree_entry_filemode_raw(b)
                    {
                        let changed = Self.treeEntry(b)
                        changes.append(TreeEntryChange(name: changed.name, old: Self.treeEntry(a), new: changed))
                    }
                    i += 1
                    j += 1
                } else if order < 0 {
                    let gone = Self.treeEntry(a)
                    changes.append(TreeEntryChange(name: gone.name, old: gone, new: nil))
                    i += 1
                } else {
                    let added = Self.treeEntry(b)
                    changes.append(TreeEntryChange(name: added.name, old: nil, new: added))
                    j += 1
                }
            } else if let a {
                let gone = Self.treeEntry(a)
                changes.append(TreeEntryChange(name: gone.name, old: gone, new: nil))
                i += 1
            } else if let b {
                let added = Self.treeEntry(b)
                changes.append(TreeEntryChange(name: added.name, old: nil, new: added))
                j += 1
            } else {
                break
            }
        }
        return changes
    }
}

extension Repository {
    /// The names in a tree that break git's rules for trees: listed twice, or out of git's
    /// order. git fsck rejects such a tree, and git and libgit2 may then read different
    /// entries for one path (a lookup by name searches; a listing does not), so the ledger
    /// must not trust either view. Empty for a well-formed tree.
    public func malformedNames(inTree treeID: ObjectID) throws -> [String] {
        let tree = try lookupTree(treeID)
        defer { git_tree_free(tree) }
        var names: [String] = []
        let count = git_tree_entrycount(tree)
        guard count > 1 else { return [] }
        for index in 1..<count {
            guard let previous = git_tree_entry_byindex(tree, index - 1), let entry = git_tree_entry_byindex(tree, index) else { continue }
            if git_tree_entry_cmp(previous, entry) >= 0 || strcmp(git_tree_entry_name(previous), git_tree_entry_name(entry)) == 0 {
                names.append(String(cString: git_tree_entry_name(entry)))
            }
        }
        return names
    }
}
