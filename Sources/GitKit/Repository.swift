import CLibGit2
import Foundation

/// An open git repository. Not thread-safe (libgit2 repository handles must not be shared
/// between threads), hence a non-Sendable class: open one per task.
public final class Repository {
    let pointer: OpaquePointer
    /// The trees looked up last, kept open: a walk over history reads each tree as a commit's
    /// and again as its child's parent's (see `lookupTree`).
    var recentTrees: [(id: ObjectID, tree: OpaquePointer)] = []
    /// git's index being read on another thread (see `readIndexAhead`).
    var indexAhead: IndexReadAhead?

    private init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        if let index = indexAhead?.take() { git_index_free(index) }
        for entry in recentTrees { git_tree_free(entry.tree) }
        git_repository_free(pointer)
    }

    /// Open the repository containing `path`, searching upward like git does (work tree or bare).
    public static func open(containing path: String) throws -> Repository {
        var repo: OpaquePointer?
        try explaining("No git repository at or above '\(path)'; run `git init` there or change to a repository") {
            try check("git_repository_open_ext") { git_repository_open_ext(&repo, path, 0, nil) }
        }
        return Repository(repo!)
    }

    /// Open the repository as git does inside hooks: honours GIT_DIR, GIT_OBJECT_DIRECTORY,
    /// GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_INDEX_FILE, GIT_NAMESPACE and
    /// GIT_CEILING_DIRECTORIES, so a pre-receive hook sees quarantined objects and a
    /// pre-commit hook sees the index git is committing. Without GIT_DIR it searches from
    /// the current directory. libgit2 refuses if GIT_WORK_TREE or GIT_COMMON_DIR is set.
    public static func openFromEnvironment() throws -> Repository {
        var repo: OpaquePointer?
        try explaining("Cannot open the repository described by GIT_DIR / the current directory") {
            try check("git_repository_open_ext") {
                git_repository_open_ext(&repo, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil)
            }
        }
        return Repository(repo!)
    }

    /// `git init` at `path` (creating directories as needed) with initial branch "main",
    /// unless a repository already exists exactly there, which is then opened as is.
    public static func initialize(at path: String, bare: Bool) throws -> Repository {
        var repo: OpaquePointer?
        // NO_SEARCH: a repository further up (e.g. path inside another work tree) must not count.
        let existing = try nilIfNotFound {
            try check("git_repository_open_ext") {
                git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
            }
        }
        if existing != nil, let repo { return Repository(repo) }

        var options = git_repository_init_options()
        try check("git_repository_init_options_init") {
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        }
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        // As `git init` does: the user's init.defaultBranch, else "main".
        let branch = Self.defaultBranchFromConfig() ?? "main"
        try explaining("Cannot create a git repository at '\(path)'") {
            try branch.withCString { head in
                options.initial_head = head
                try check("git_repository_init_ext") { git_repository_init_ext(&repo, path, &options) }
            }
        }
        return Repository(repo!)
    }

    /// `init.defaultBranch` from the global and system git config, when it is set and valid.
    static func defaultBranchFromConfig() -> String? {
        var config: OpaquePointer?
        guard git_config_open_default(&config) == 0 else { return nil }
        defer { git_config_free(config) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_config_get_string_buf(&buffer, config, "init.defaultBranch") == 0, let pointer = buffer.ptr else { return nil }
        let name = String(cString: pointer)
        var valid: Int32 = 0
        guard !name.isEmpty, git_reference_name_is_valid(&valid, "refs/heads/" + name) == 0, valid == 1 else { return nil }
        return name
    }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// The work tree root without a trailing slash; nil for a bare repository.
    public var workDirectory: String? {
        guard let dir = git_repository_workdir(pointer) else { return nil }
        return Self.strippingTrailingSlash(String(cString: dir))
    }

    /// The .git directory (or the bare repository itself) without a trailing slash.
    public var gitDirectory: String {
        Self.strippingTrailingSlash(String(cString: git_repository_path(pointer)))
    }

    /// Where refs and objects live: the git directory, or for a linked work tree the main one's.
    public var commonDirectory: String {
        Self.strippingTrailingSlash(String(cString: git_repository_commondir(pointer)))
    }

    private static func strippingTrailingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    // MARK: HEAD

    /// The commit HEAD resolves to; nil when HEAD's branch is unborn (no commits yet).
    public func headCommit() throws -> ObjectID? {
        if try check("git_repository_head_unborn", { git_repository_head_unborn(pointer) }) == 1 {
            return nil
        }
        var oid = git_oid()
        try check("git_reference_name_to_id") { git_reference_name_to_id(&oid, pointer, "HEAD") }
        return ObjectID(oid)
    }

    /// The full name of the branch HEAD points at (e.g. "refs/heads/main"), also when unborn.
    /// When HEAD is detached this is "HEAD" itself, which is the ref a commit then moves.
    public func headBranch() throws -> String {
        var head: OpaquePointer?
        try check("git_reference_lookup") { git_reference_lookup(&head, pointer, "HEAD") }
        defer { git_reference_free(head) }
        if let target = git_reference_symbolic_target(head) {
            return String(cString: target)
        }
        return "HEAD"
    }

    /// The tree of HEAD's commit; nil when HEAD is unborn.
    public func headTree() throws -> ObjectID? {
        guard let head = try headCommit() else { return nil }
        return try commit(head).tree
    }

    /// The resolved and peeled target of a full reference name (e.g. "refs/tags/x" gives the
    /// commit, not the tag object); nil when the reference does not exist or is unborn.
    public func reference(_ name: String) throws -> ObjectID? {
        try nilIfNotFound {
            var ref: OpaquePointer?
            try check("git_reference_lookup") { git_reference_lookup(&ref, pointer, name) }
            defer { git_reference_free(ref) }
            var object: OpaquePointer?
            try check("git_reference_peel") { git_reference_peel(&object, ref, GIT_OBJECT_ANY) }
            defer { git_object_free(object) }
            return ObjectID(git_object_id(object))
        }
    }
}
