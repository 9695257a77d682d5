import CLibGit2
import Foundation

/// What a push did to one ref: nil status when the remote took it, else its refusal.
public struct PushResult: Sendable {
    public let ref: String
    public let refusal: String?
}

/// What the remote said: per-ref results, and the text its hooks printed (git's "remote:" lines).
public struct PushReport: Sendable {
    public var results: [PushResult] = []
    public var remoteText = ""
    public var refused: [PushResult] { results.filter { $0.refusal != nil } }
}

/// Callback state shared with libgit2's C callbacks through their payload pointer.
private final class RemoteCallbackState {
    var report = PushReport()
    var credentialAttempts = 0
}

private func remoteCallbacks(_ state: RemoteCallbackState) -> git_remote_callbacks {
    var callbacks = git_remote_callbacks()
    git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
    callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
    callbacks.sideband_progress = { text, length, payload in
        guard let text, let payload else { return 0 }
        let state = Unmanaged<RemoteCallbackState>.fromOpaque(payload).takeUnretainedValue()
        state.report.remoteText += String(decoding: UnsafeRawBufferPointer(start: text, count: Int(length)), as: UTF8.self)
        return 0
    }
    callbacks.push_update_reference = { refname, status, payload in
        guard let refname, let payload else { return 0 }
        let state = Unmanaged<RemoteCallbackState>.fromOpaque(payload).takeUnretainedValue()
        state.report.results.append(PushResult(ref: String(cString: refname), refusal: status.map { String(cString: $0) }))
        return 0
    }
    // ssh: the keys in ssh-agent, once (libgit2 asks again after a failure; stop it looping).
    callbacks.credentials = { out, _, username, allowed, payload in
        guard let payload else { return GIT_PASSTHROUGH.rawValue }
        let state = Unmanaged<RemoteCallbackState>.fromOpaque(payload).takeUnretainedValue()
        state.credentialAttempts += 1
        guard state.credentialAttempts <= 1, allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
        if let username { return git_credential_ssh_key_from_agent(out, username) }
        return "git".withCString { git_credential_ssh_key_from_agent(out, $0) }
    }
    return callbacks
}

extension Repository {
    /// The URL of remote `name`, without any user:password part (safe to print); nil when
    /// there is no such remote.
    public func remoteURL(_ name: String) throws -> String? {
        try nilIfNotFound {
            var remote: OpaquePointer?
            try check("git_remote_lookup") { git_remote_lookup(&remote, pointer, name) }
            defer { git_remote_free(remote) }
            let url = git_remote_url(remote).map { String(cString: $0) } ?? ""
            return Self.withoutCredentials(url)
        }
    }

    static func withoutCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
            !url[scheme.upperBound..<at].contains("/")
        else { return url }
        return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
    }

    /// `git fetch NAME`: the remote's branches into `refs/remotes/NAME/*`, and its tags. Returns
    /// the refs the remote advertised (name and object), for a push to compare against.
    @discardableResult
    public func fetch(remote name: String) throws -> [(name: String, object: ObjectID)] {
        var remote: OpaquePointer?
        try explaining("There is no remote '\(name)' (see `git remote -v`)") {
            try check("git_remote_lookup") { git_remote_lookup(&remote, pointer, name) }
        }
        defer { git_remote_free(remote) }
        let state = RemoteCallbackState()
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.callbacks = remoteCallbacks(state)
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
        _ = try withExtendedLifetime(state) {
            try explaining(
                "Cannot fetch from '\(name)' (\(Self.withoutCredentials(git_remote_url(remote).map { String(cString: $0) } ?? "")))"
            ) {
                try check("git_remote_fetch") { git_remote_fetch(remote, nil, &options, "sla sync: fetch") }
            }
        }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check("git_remote_ls") { git_remote_ls(&heads, &count, remote) }
        var advertised: [(name: String, object: ObjectID)] = []
        for index in 0..<count {
            guard let head = heads?[index] else { continue }
            advertised.append((String(cString: head.pointee.name), ObjectID(head.pointee.oid)))
        }
        return advertised
    }

    /// `git push NAME REFSPEC…`. libgit2 returns success even when the remote refuses a ref;
    /// the report holds each ref's status and what the remote's hooks printed.
    public func push(remote name: String, refspecs: [String]) throws -> PushReport {
        var remote: OpaquePointer?
        try explaining("There is no remote '\(name)' (see `git remote -v`)") {
            try check("git_remote_lookup") { git_remote_lookup(&remote, pointer, name) }
        }
        defer { git_remote_free(remote) }
        let state = RemoteCallbackState()
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        options.callbacks = remoteCallbacks(state)
        var cStrings = refspecs.map { strdup($0) }
        defer { for string in cStrings { free(string) } }
        try cStrings.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            _ = try withExtendedLifetime(state) {
                try explaining("Cannot push to '\(name)'") {
                    try check("git_remote_push") { git_remote_push(remote, &array, &options) }
                }
            }
        }
        return state.report
    }

    /// A merge commit of `parents` with `tree` (not on any branch yet).
    public func createMergeCommit(
        tree: ObjectID, parents: [ObjectID], message: String, author: GitSignature,
        committer: GitSignature
    ) throws -> ObjectID {
        let treeObject = try lookupTree(tree)
        defer { git_tree_free(treeObject) }
        var commits: [OpaquePointer?] = try parents.map { try lookupCommit($0) }
        defer { for commit in commits { git_commit_free(commit) } }
        var oid = git_oid()
        _ = try author.withGitSignature { a in
            try committer.withGitSignature { c in
                try check("git_commit_create") {
                    git_commit_create(&oid, pointer, nil, a, c, nil, message, treeObject, commits.count, &commits)
                }
            }
        }
        return ObjectID(oid)
    }

    /// Moves the branch HEAD names from `old` to `new` (compare-and-swap) and makes the index
    /// and work tree match `new`, refusing (nothing changed) where that would overwrite
    /// uncommitted changes. Throws `isConcurrentModification` when the branch moved meanwhile.
    public func advanceBranch(from old: ObjectID, to new: ObjectID, reason: String) throws {
        let branch = try headBranch()
        if !isBare {
            let tree = try lookupTree(ofCommit: new)
            defer { git_tree_free(tree) }
            var options = git_checkout_options()
            git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
            options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
            try explaining("Your uncommitted changes are in the way of the update; commit or stash them, then sync again") {
                try check("git_checkout_tree") {
                    git_checkout_tree(pointer, tree, &options)
                }
            }
        }
        var newOID = new.oid
        var oldOID = old.oid
        var ref: OpaquePointer?
        defer { git_reference_free(ref) }
        do {
            try check("git_reference_create_matching") {
                git_reference_create_matching(&ref, pointer, branch, &newOID, 1, &oldOID, reason)
            }
        } catch {
            // Put the work tree back as it was.
            if !isBare, let tree = try? lookupTree(ofCommit: old) {
                var options = git_checkout_options()
                git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
                options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
                _ = git_checkout_tree(pointer, tree, &options)
                git_tree_free(tree)
            }
            throw error
        }
    }
}
