import CLibGit2
import Foundation

/// A failed libgit2 call (or a GitKit precondition), with enough context to act on.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// libgit2's return code (a `git_error_code`, e.g. -3 for "not found").
    public let code: Int32
    /// The C function (or GitKit operation) that failed.
    public let function: String
    /// libgit2's own message for the failure, or GitKit's when it detected the problem.
    public let message: String
    /// What GitKit was doing and what the user can do about it, when known.
    public let hint: String?

    init(code: Int32, function: String, message: String, hint: String? = nil) {
        self.code = code
        self.function = function
        self.message = message
        self.hint = hint
    }

    /// The object, reference, file or config key does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    /// Something of that name exists already (e.g. a tag, or a branch that appeared meanwhile).
    public var isAlreadyExists: Bool { code == GIT_EEXISTS.rawValue }
    /// Someone else changed the reference or holds its lock: nothing was moved; retry.
    public var isConcurrentModification: Bool {
        code == GIT_EMODIFIED.rawValue || code == GIT_ELOCKED.rawValue
    }

    public var description: String {
        guard let hint else { return "\(message) (\(function), code \(code))" }
        return "\(hint) (\(message); \(function), code \(code))"
    }

    /// The same error with a human explanation of what was being attempted.
    func with(hint: String) -> GitError {
        GitError(code: code, function: function, message: message, hint: hint)
    }
}

/// libgit2 needs one global init before any other call; a global `let` runs it once, lazily and thread-safely.
private let libgit2InitCount: Int32 = {
    let count = git_libgit2_init()
    // Whole trees of up to 1 MiB stay cached: history walks read each tree twice (as a
    // commit's and as its child's parent's). 32 MiB in all bounds memory on long histories.
    _ = sla_git_set_tree_cache_limit(1 << 20)
    _ = sla_git_set_cache_max_size(32 << 20)
    // libgit2 hashes every object it reads to compare it with its id; git itself never does on
    // reading. Every object in a repository came in through git's index-pack or unpack-objects
    // (which hash what they receive) or was written here, so only someone who can write to
    // `.git/objects` could make the two differ — and they could move the refs as well. It
    // cost a tenth of `verify`'s time; `git fsck` checks the object store.
    _ = sla_git_set_strict_hash_verification(0)
    return count
}()

/// Makes sure libgit2 is initialised; `check` calls this before every libgit2 call.
func ensureLibgit2() {
    _ = libgit2InitCount
}

/// libgit2's start, which a process pays once before its first repository: Debian's libgit2 is
/// built with mbedTLS, which parses the whole system CA bundle then (about 10 ms, for every
/// command, although only a fetch or push over https needs it).
public enum Libgit2Start {
    /// Starts libgit2 on another thread and returns at once, so that its start overlaps the
    /// caller's own (argument parsing); the first libgit2 call waits for it to finish.
    public static func begin() {
        Thread { ensureLibgit2() }.start()
    }

    /// Returns once libgit2 has started: a process calls it before it exits, so that it never
    /// exits while the other thread is still inside libgit2's start.
    public static func finish() {
        ensureLibgit2()
    }
}

/// The one gate for libgit2 calls: runs `call` and turns a negative return code into a `GitError`,
/// reading `git_error_last()` at once (it is thread-local and overwritten by the next failing call).
@discardableResult
func check(_ function: String, _ call: () -> Int32) throws -> Int32 {
    ensureLibgit2()
    let rc = call()
    guard rc < 0 else { return rc }
    var message = "unknown libgit2 error"
    if let last = git_error_last(), let text = last.pointee.message {
        message = String(cString: text)
    }
    throw GitError(code: rc, function: function, message: message, hint: lockFileHint(message))
}

/// What to do about a lock file that git (or a killed process) left behind, named from
/// libgit2's message, which quotes it ("failed to create locked file '/repo/.git/index.lock':
/// File exists", "failed to lock file '/repo/.git/refs/tags/x.lock' for writing").
func lockFileHint(_ message: String) -> String? {
    guard message.contains("lock") else { return nil }
    let quoted = message.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
    guard let path = quoted.map(\.element).first(where: { $0.hasSuffix(".lock") }) else { return nil }
    return lockFileAdvice(String(path))
}

/// What a lock file left in `.git` means, and what to do: the one wording for it.
public func lockFileAdvice(_ path: String) -> String {
    "the lock file \(path) exists: another git command is using the repository, or one was stopped while writing. "
        + "If no git or sla command is running, delete it (rm '\(path)') and run the command again"
}

/// Runs `body`, adding `hint` to any GitError it throws that has none yet.
@discardableResult
func explaining<T>(_ hint: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GitError where error.hint == nil {
        throw error.with(hint: hint())
    }
}

/// Runs `body`, mapping a "not found" GitError to nil.
func nilIfNotFound<T>(_ body: () throws -> T?) throws -> T? {
    do {
        return try body()
    } catch let error as GitError where error.isNotFound {
        return nil
    }
}
