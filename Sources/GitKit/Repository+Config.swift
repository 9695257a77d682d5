import CLibGit2
import Foundation

// Configuration and the user's identity.
extension Repository {
    /// A config value as git sees it (repository, then global/XDG, then system); nil when unset.
    public func config(_ key: String) throws -> String? {
        // Reading strings requires a snapshot, which also gives one consistent view.
        var snapshot: OpaquePointer?
        try check("git_repository_config_snapshot") { git_repository_config_snapshot(&snapshot, pointer) }
        defer { git_config_free(snapshot) }
        return try nilIfNotFound {
            var value: UnsafePointer<CChar>?
            try explaining("Cannot read git config \(key)") {
                try check("git_config_get_string") { git_config_get_string(&value, snapshot, key) }
            }
            return value.map { String(cString: $0) }
        }
    }

    /// Sets a value in the repository's own config (.git/config), like `git config key value`.
    public func setConfig(_ key: String, _ value: String) throws {
        var config: OpaquePointer?
        try check("git_repository_config") { git_repository_config(&config, pointer) }
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try check("git_config_open_level") { git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL) }
        defer { git_config_free(local) }
        try explaining("Cannot set git config \(key) in \(gitDirectory)/config") {
            try check("git_config_set_string") { git_config_set_string(local, key, value) }
        }
    }

    /// The user's signature from user.name and user.email, at `time` in the local time zone.
    /// Unlike the git CLI it ignores GIT_AUTHOR_* / GIT_COMMITTER_* and never guesses from the
    /// host name: a missing or empty key throws a GitError (isNotFound) saying how to set it.
    public func identity(at time: Date) throws -> GitSignature {
        func required(_ key: String, example: String) throws -> String {
            guard let value = try config(key), !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw GitError(
                    code: GIT_ENOTFOUND.rawValue,
                    function: "identity",
                    message: "config value '\(key)' is not set",
                    hint: "Git \(key) is not configured (needed to record who made the change); "
                        + "set it with `git config --global \(key) \"\(example)\"`"
                )
            }
            return value
        }
        let name = try required("user.name", example: "Your Name")
        let email = try required("user.email", example: "you@example.com")
        let offset = TimeZone.current.secondsFromGMT(for: time) / 60
        return GitSignature(name: name, email: email, time: time, offsetMinutes: offset)
    }

    /// Makes this handle read config only from the repository's own config file and, if given,
    /// `globalFile` as the global level, as if $HOME held nothing else. Per handle, unlike
    /// libgit2's process-wide search paths (derived from $HOME once, at git_libgit2_init), so
    /// tests can isolate themselves while others run in parallel.
    func isolateConfig(globalFile: String?) throws {
        var config: OpaquePointer?
        try check("git_config_new") { git_config_new(&config) }
        defer { git_config_free(config) }
        try check("git_config_add_file_ondisk") {
            git_config_add_file_ondisk(config, gitDirectory + "/config", GIT_CONFIG_LEVEL_LOCAL, pointer, 0)
        }
        if let globalFile {
            try check("git_config_add_file_ondisk") {
                git_config_add_file_ondisk(config, globalFile, GIT_CONFIG_LEVEL_GLOBAL, pointer, 0)
            }
        }
        try check("git_repository_set_config") { git_repository_set_config(pointer, config) }
    }
}
