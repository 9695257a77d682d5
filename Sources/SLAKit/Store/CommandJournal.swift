import Foundation
import GitKit

/// Crash safety for the commands that commit. A command is three steps that cannot be one
/// atomic write: move the branch (compare-and-swap), update the index and work tree, and for
/// `propose` delete an untracked draft and create the tag. If the process dies between them,
/// git is consistent (HEAD is the old or the new commit) but the index is not: `git status`
/// would show the new version or signature as a staged deletion, which a plain `git commit -a`
/// would then commit. So before moving the branch a command writes what it is about to do to
/// `.git/sla/interrupted-command.json`, and deletes it when everything is done; the next sla
/// command that finds one (holding the commit lock, so never one still running) completes
/// the remaining steps, or drops the record when the branch never moved.
struct CommandJournal: Codable {
    /// The commit message's first line, to name the command in the note.
    let command: String
    let plan: CommitPlan
    /// `propose`'s annotated tag: name and message (the tagger is the committer).
    let tag: TagPlan?
    /// `propose`'s untracked draft, deleted once its bytes are committed as `blob`.
    let untrackedDraft: UntrackedFile?

    struct TagPlan: Codable {
        let name: String
        let message: String
    }

    struct UntrackedFile: Codable {
        let path: String
        let blob: ObjectID
    }

    static func url(_ git: Repository) -> URL {
        URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("sla/interrupted-command.json")
    }
}

extension SLARepository {
    /// What an earlier sla command left undone because it was killed after moving the branch;
    /// completes it and returns a note for the user (nil when there was nothing to do). Call it
    /// while holding `exclusiveLock()`.
    func finishInterruptedCommand(now: Date) throws -> String? {
        let url = CommandJournal.url(git)
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let journal = try? JSONDecoder().decode(CommandJournal.self, from: data),
            try wrap({ try git.headBranch() }) == journal.plan.branch,
            try wrap({ try git.reference(journal.plan.branch) }) == journal.plan.commit
        else {
            // The branch never moved (or has moved on since, or another branch is checked out,
            // whose index is not that commit's): nothing of that command needs finishing here.
            try? FileManager.default.removeItem(at: url)
            return nil
        }
        // Kept until every step is done: if one fails (a lock file left by the killed process),
        // the next command tries again.
        var done: [String] = []
        let paths = try wrap { try git.finishIndexUpdate(journal.plan) }
        if !paths.isEmpty { done.append("brought \(paths.joined(separator: ", ")) in the index and work tree up to date") }
        if let draft = journal.untrackedDraft, let work = git.workDirectory {
            let path = URL(fileURLWithPath: work).appendingPathComponent(draft.path).path
            if let bytes = FileManager.default.contents(atPath: path), ObjectID.blobID(of: bytes) == draft.blob {
                try? FileManager.default.removeItem(atPath: path)
                done.append("removed \(draft.path), which it had committed")
            }
        }
        if let tag = journal.tag, try wrap({ try git.tag(named: tag.name) }) == nil {
            try wrap {
                try git.createAnnotatedTag(name: tag.name, target: journal.plan.commit, message: tag.message, tagger: identity(now: now))
            }
            done.append("created the tag \(tag.name)")
        }
        try? FileManager.default.removeItem(at: url)
        guard !done.isEmpty else { return nil }
        return "an earlier `\(journal.command)` was stopped after it committed \(journal.plan.commit.short); sla "
            + done.joined(separator: "; ") + "."
    }

    /// `finishInterruptedCommand` for commands that do not commit: only when no other sla
    /// command holds the lock (a running command's record is not left over).
    public func finishInterruptedCommandIfIdle(now: Date) -> String? {
        guard FileManager.default.fileExists(atPath: CommandJournal.url(git).path), let lock = try? exclusiveLock(attempts: 1) else {
            return nil
        }
        defer { lock.release() }
        do {
            return try finishInterruptedCommand(now: now)
        } catch {
            return "an earlier sla command was stopped after it committed, and finishing its work failed: \(error)"
        }
    }

    /// Writes the record before the branch moves (atomically: temporary file, then rename).
    func writeJournal(_ journal: CommandJournal) throws {
        let url = CommandJournal.url(git)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try JSONEncoder().encode(journal).write(to: url, options: .atomic)
        } catch {
            throw SLAError("cannot write \(url.path), which makes the commit safe to interrupt: \(error)")
        }
    }

    func removeJournal() {
        try? FileManager.default.removeItem(at: CommandJournal.url(git))
    }
}
