import CLibGit2
import Foundation

/// git's index, read on another thread while a command that will commit does its other work:
/// reading it (about 6,000 entries for 200 agreements, checksummed with collision-detecting
/// SHA-1) is the largest single cost of `sla activate`. The read is a plain `git_index_open` of
/// the file, with no repository handle, so it shares nothing with the caller's thread; the
/// repository adopts it before its first use of the index, and re-reads the file then if it
/// changed on disk meanwhile (as it does for an index it read itself).
final class IndexReadAhead: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the reading thread before it signals `done`; read only after `done`.
    private var index: OpaquePointer?
    private var taken = false

    init(path: String) {
        Thread { [self] in
            ensureLibgit2()
            var out: OpaquePointer?
            // A failure is not reported here: the repository then reads the index itself and
            // reports it with its context.
            if git_index_open(&out, path) == 0 { index = out }
            done.signal()
        }.start()
    }

    /// Returns once the reading thread is done (for tests that change the file afterwards).
    func waitUntilRead() {
        done.wait()
        done.signal()
    }

    /// The index once it is read (nil when reading it failed), owned by the caller; once only.
    func take() -> OpaquePointer? {
        precondition(!taken, "IndexReadAhead.take() called twice")
        taken = true
        done.wait()
        return index
    }
}

extension Repository {
    /// Starts reading git's index on another thread, for a command that is about to commit
    /// (a work tree only: a bare repository has no index). Nothing changes in what any call
    /// returns; the first call that needs the index waits for the read if it is not done.
    public func readIndexAhead() {
        guard indexAhead == nil, !isBare else { return }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_repository_item_path(&buffer, pointer, GIT_REPOSITORY_ITEM_INDEX) == 0, let path = buffer.ptr else { return }
        indexAhead = IndexReadAhead(path: String(cString: path))
    }

    /// Gives libgit2's repository handle the index read ahead, if there is one, with the
    /// capabilities (case, file modes, symlinks) its config sets, as libgit2 does for an index
    /// it opens itself. Called before every call that uses the repository's index.
    func adoptIndexReadAhead() {
        guard let ahead = indexAhead else { return }
        indexAhead = nil
        guard let index = ahead.take() else { return }
        defer { git_index_free(index) }  // the repository holds its own reference
        guard git_repository_set_index(pointer, index) == 0 else { return }
        _ = git_index_set_caps(index, GIT_INDEX_CAPABILITY_FROM_OWNER.rawValue)
    }
}
