import Foundation
import Testing

/// `sla propose`, `sla sign` and `sla activate` killed with SIGKILL at random moments: after
/// each kill git's objects are sound, HEAD is the old commit or its one new child, the history
/// verifies, the index and work tree show nothing of sla's own (the next command finishes what
/// the killed one left undone), and running the command again completes it — or, where git
/// left a lock file, the message names that file and what to do.
///
/// Short in the suite; `SLA_KILL_ROUNDS=400 SLA_KILL_SECONDS=900 swift test --filter CrashSafety`
/// (or `Fuzz/kill-test`) for the long mode.
@Suite(.serialized) struct CrashSafetyTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["SLA_KILL_ROUNDS"] ?? "") ?? 120
    static let budget = Double(ProcessInfo.processInfo.environment["SLA_KILL_SECONDS"] ?? "") ?? 60

    enum Step: CaseIterable {
        case propose, signMette, signSoren, activate
    }

    struct Tally {
        var killed = 0
        var finishedFirst = 0
        var movedHead = 0
        var notes = 0
        var lockMessages = 0
    }

    @Test func killedCommandsLeaveARepositoryThatWorks() throws {
        let signed = try SignedRepository()
        let box = signed.box
        let start = Date()
        var tally = Tally()
        var version = 1
        // The first round of each step runs to the end to measure it; later kills fall anywhere
        // in [0, 1.1 x] that time, half of them in its last third, where the commit happens.
        var durations: [Step: Double] = [:]
        var round = 0
        var steps = Array(Step.allCases.dropFirst())  // v1 is proposed by SignedRepository
        while round < Self.rounds, Date().timeIntervalSince(start) < Self.budget {
            guard !steps.isEmpty else {
                steps = Step.allCases
                version += 1
                // The next revision: an untracked draft one number different from the latest version.
                let latest = String(decoding: try box.read(Example.version(version - 1)), as: UTF8.self)
                try box.write(
                    latest.replacingOccurrences(of: "sql_per_month: \(38 + version)", with: "sql_per_month: \(39 + version)"),
                    to: Example.draft)
                continue
            }
            let step = steps.removeFirst()
            round += 1
            let arguments = Self.arguments(step, signed, version)
            let before = try signed.head()
            let delay: Double? = durations[step].map { duration in
                round % 2 == 0 ? Double.random(in: 0...(1.1 * duration)) : Double.random(in: (0.66 * duration)...(1.1 * duration))
            }
            let (killed, elapsed) = try Self.runAndKill(box, arguments, after: delay)
            if delay == nil { durations[step] = elapsed }
            if killed { tally.killed += 1 } else { tally.finishedFirst += 1 }

            let context = "round \(round) (\(arguments.joined(separator: " ")), killed: \(killed))"
            // HEAD is the old commit or one new commit on top of it.
            let after = try signed.head()
            if after != before {
                tally.movedHead += 1
                let parent = try box.git("rev-parse", "HEAD^").trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(parent == before, "\(context): HEAD \(after) is not the old HEAD or a child of it")
            }
            let fsck = try box.gitResult("fsck", "--no-dangling", "--no-progress")
            #expect(fsck.status == 0, "\(context): git fsck: \(fsck)")

            // The next command works (and finishes what the killed one left undone).
            let verify = try Self.untilUnlocked(box, ["verify"], &tally, context)
            #expect(verify.status == 0, "\(context): verify: \(verify)")
            let seen = "\(context), verify said: \(verify.stderr)"
            if verify.stderr.contains("was stopped after it committed") { tally.notes += 1 }
            let status = try box.git("status", "--porcelain", "--untracked-files=all")
            let expected = step == .propose && after == before ? "?? \(Example.draft)\n" : ""
            #expect(status == expected, "\(seen): git status after the next command:\n\(status)")
            if step == .propose, after != before {
                let tag = try box.gitResult("rev-parse", "-q", "--verify", "refs/tags/sla/\(Example.id)/v\(version)^{commit}")
                #expect(tag.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == after, "\(context): tag of v\(version): \(tag)")
            }

            // Running it again completes it, or says it is done.
            let again = try Self.untilUnlocked(box, arguments, &tally, context)
            #expect(again.status == 0 || (step == .propose && after != before && again.status == 1), "\(context): again: \(again)")
            #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "", "\(context): git status after running again")
            if step == .propose { #expect(box.exists(Example.version(version)), "\(context): v\(version) missing") }
        }
        let final = try box.sla("verify")
        #expect(final.status == 0, "\(final)")
        // The last version activated is in force (the one being worked on, once its activation ran).
        let activated = steps.isEmpty ? version : version - 1
        if activated > 0 { #expect(try signed.inForce(today: "2030-01-01") == "v\(activated)") }
        #expect(tally.killed > 0, "no command was killed: \(tally)")
        print(
            "crash safety: \(round) rounds in \(Int(Date().timeIntervalSince(start))) s: \(tally.killed) killed, "
                + "\(tally.finishedFirst) finished first, HEAD moved \(tally.movedHead), interrupted commands finished \(tally.notes), "
                + "lock files reported \(tally.lockMessages)")
    }

    static func arguments(_ step: Step, _ signed: SignedRepository, _ version: Int) -> [String] {
        switch step {
        case .propose: ["propose", Example.id]
        case .signMette: ["sign", Example.id, "v\(version)", "--key", signed.mette.path]
        case .signSoren: ["sign", Example.id, "v\(version)", "--key", signed.soren.path]
        case .activate: ["activate", Example.id, "v\(version)", "--today", "2026-12-0\(min(version, 9))"]
        }
    }

    /// Starts `sla`; sends SIGKILL after `delay` seconds (nil: lets it finish). Returns whether
    /// the signal ended it, and how long it ran.
    static func runAndKill(_ box: Sandbox, _ arguments: [String], after delay: Double?) throws -> (killed: Bool, seconds: Double) {
        let process = Process()
        process.executableURL = Sandbox.slaBinary
        process.arguments = arguments
        process.currentDirectoryURL = box.repo
        process.environment = box.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        if let delay {
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        if delay == nil, process.terminationStatus != 0 {
            throw SandboxError("sla \(arguments.joined(separator: " ")) failed when not killed (exit \(process.terminationStatus))")
        }
        return (killed, Date().timeIntervalSince(started))
    }

    /// Runs `sla`; where it names a lock file git left behind, checks the message says what to do,
    /// does it, and runs it again.
    static func untilUnlocked(_ box: Sandbox, _ arguments: [String], _ tally: inout Tally, _ context: String) throws -> RunResult {
        for _ in 0..<5 {
            let result = try box.run(Sandbox.slaBinary.path, arguments)
            // A command that commits refuses; one that only reads says it could not finish what
            // the killed command left undone.
            guard let range = result.stderr.range(of: "the lock file ") else { return result }
            tally.lockMessages += 1
            let path = String(result.stderr[range.upperBound...].prefix { $0 != " " })
            #expect(path.hasSuffix(".lock") && FileManager.default.fileExists(atPath: path), "\(context): \(result.stderr)")
            #expect(result.stderr.contains("delete it (rm '\(path)')"), "\(context): \(result.stderr)")
            try FileManager.default.removeItem(atPath: path)
        }
        throw SandboxError("\(context): sla \(arguments.joined(separator: " ")) still reports a lock file")
    }
}

/// The window the journal closes, made exactly: `propose` killed after moving the branch and
/// before updating the index, removing its untracked draft and creating its tag.
@Suite struct InterruptedCommandTests {
    static let journal = ".git/sla/interrupted-command.json"

    /// v2 proposed, then put back the way a kill after the branch moved leaves it, with the
    /// command's record (`journal`) or without; returns the ids of v1's commit, v2's commit and
    /// v2's blob.
    @discardableResult
    static func interruptedProposal(_ signed: SignedRepository, journal: Bool) throws -> (parent: String, commit: String, blob: String) {
        let box = signed.box
        let parent = try signed.head()
        let v1 = String(decoding: try box.read(Example.version(1)), as: UTF8.self)
        try box.write(v1.replacingOccurrences(of: "sql_per_month: ", with: "sql_per_month: 1"), to: Example.draft)
        let draft = try box.read(Example.draft)
        let proposed = try box.sla("propose", Example.id)
        guard proposed.status == 0 else { throw SandboxError("propose failed: \(proposed)") }
        let commit = try signed.head()
        let blob = try box.git("rev-parse", "HEAD:\(Example.version(2))").trimmingCharacters(in: .whitespacesAndNewlines)
        // Undo what comes after moving the branch: index, work tree, untracked draft, tag.
        try box.git("tag", "-d", "sla/\(Example.id)/v2")
        try box.git("rm", "-q", "--cached", Example.version(2))
        try FileManager.default.removeItem(at: box.repo.appendingPathComponent(Example.version(2)))
        try box.write(draft, to: Example.draft)
        if journal {
            try box.write(
                journalText(command: "sla: propose \(Example.id) v2", commit: commit, parent: parent, blob: blob), to: Self.journal)
        }
        return (parent, commit, blob)
    }

    static func journalText(command: String, commit: String, parent: String, blob: String) -> String {
        """
        {"command": "\(command)", "plan": {"commit": "\(commit)", "parent": "\(parent)", "branch": "refs/heads/main",
          "updates": [{"path": "\(Example.version(2))", "new": "\(blob)", "executable": false}]},
         "tag": {"name": "sla/\(Example.id)/v2", "message": "sla: propose \(Example.id) v2\\n"},
         "untrackedDraft": {"path": "\(Example.draft)", "blob": "\(blob)"}}
        """
    }

    @Test func nextCommandFinishesAnInterruptedProposal() throws {
        let signed = try SignedRepository()
        let box = signed.box
        let (parent, commit, blob) = try Self.interruptedProposal(signed, journal: false)
        // Without the record this is what git shows: the new version staged as deleted.
        let broken = try box.git("status", "--porcelain", "--untracked-files=all")
        #expect(broken.contains("D  \(Example.version(2))"), "\(broken)")
        try box.write(
            Self.journalText(command: "sla: propose \(Example.id) v2", commit: commit, parent: parent, blob: blob), to: Self.journal)

        let status = try box.sla("status")
        #expect(status.status == 0, "\(status)")
        #expect(
            status.stderr.contains("an earlier `sla: propose \(Example.id) v2` was stopped after it committed \(commit.prefix(7))"),
            "\(status.stderr)")
        #expect(status.stderr.contains("created the tag sla/\(Example.id)/v2"), "\(status.stderr)")
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")
        #expect(try box.read(Example.version(2)) == (try box.git("cat-file", "blob", blob)).data(using: .utf8))
        #expect(!box.exists(Example.draft))
        #expect(!box.exists(Self.journal))
        let tag = try box.git("rev-parse", "sla/\(Example.id)/v2^{commit}").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(tag == commit)
        #expect(try box.sla("verify").status == 0)
        // Said once: the next command has nothing to finish.
        #expect(!(try box.sla("status").stderr.contains("was stopped")))
    }

    @Test func aTagLockLeftByTheKilledProposalIsNamedAndTheRecordKept() throws {
        let signed = try SignedRepository()
        let box = signed.box
        try Self.interruptedProposal(signed, journal: true)
        // Killed while creating the tag: git's lock file for the tag's ref stays behind.
        let lock = box.repo.appendingPathComponent(".git/refs/tags/sla/\(Example.id)/v2.lock")
        try FileManager.default.createDirectory(at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: lock.path, contents: Data()))
        let first = try box.sla("status")
        #expect(
            first.stderr.contains("the lock file \(lock.path) exists") && first.stderr.contains("delete it (rm '\(lock.path)')"), "\(first)"
        )
        #expect(box.exists(Self.journal), "the record must stay until its work is done")
        try FileManager.default.removeItem(at: lock)
        let second = try box.sla("status")
        #expect(second.stderr.contains("created the tag sla/\(Example.id)/v2"), "\(second)")
        #expect(!box.exists(Self.journal))
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")
    }

    @Test func aDraftEditedSinceIsKept() throws {
        let signed = try SignedRepository()
        let box = signed.box
        try Self.interruptedProposal(signed, journal: true)
        // The user edited the draft before any sla command ran again: it is theirs now.
        let edited = String(decoding: try box.read(Example.draft), as: UTF8.self) + "# more\n"
        try box.write(edited, to: Example.draft)
        let status = try box.sla("status")
        #expect(status.status == 0, "\(status)")
        #expect(!status.stderr.contains("removed \(Example.draft)"), "\(status.stderr)")
        #expect(String(decoding: try box.read(Example.draft), as: UTF8.self) == edited)
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "?? \(Example.draft)\n")
    }

    @Test func aCommandWhoseBranchNeverMovedLeavesNothingToFinish() throws {
        let signed = try SignedRepository()
        let box = signed.box
        let head = try signed.head()
        // A journal whose commit never became the branch tip (killed before the compare-and-swap).
        let blob = try box.git("rev-parse", "HEAD:\(Example.version(1))").trimmingCharacters(in: .whitespacesAndNewlines)
        let never = try box.git("commit-tree", "-p", head, "-m", "never", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        try box.write(Self.journalText(command: "sla: propose \(Example.id) v2", commit: never, parent: head, blob: blob), to: Self.journal)
        let before = try box.snapshot()
        let status = try box.sla("status")
        #expect(status.status == 0 && !status.stderr.contains("was stopped"), "\(status)")
        #expect(try box.snapshot() == before)
        #expect(!box.exists(Self.journal))
        #expect(try box.gitResult("rev-parse", "-q", "--verify", "refs/tags/sla/\(Example.id)/v2").status != 0)
    }

    @Test func anotherBranchCheckedOutSinceIsLeftAlone() throws {
        let signed = try SignedRepository()
        let box = signed.box
        try Self.interruptedProposal(signed, journal: true)
        // Another branch at the same commit: its index is not the interrupted command's to finish.
        try box.git("checkout", "-q", "-b", "other")
        let before = try box.snapshot()
        let status = try box.sla("status")
        #expect(status.status == 0 && !status.stderr.contains("was stopped"), "\(status)")
        #expect(try box.snapshot() == before)
        #expect(!box.exists(Self.journal))
    }

    @Test func aLockFileLeftBehindIsNamedWithWhatToDo() throws {
        let signed = try SignedRepository()
        let box = signed.box
        let lock = box.repo.appendingPathComponent(".git/index.lock")
        #expect(FileManager.default.createFile(atPath: lock.path, contents: Data()))
        let before = try signed.head()
        let sign = try signed.sign(signed.mette)
        #expect(sign.status == 1, "\(sign)")
        #expect(sign.stderr.contains("the lock file \(lock.path) exists"), "\(sign.stderr)")
        #expect(sign.stderr.contains("delete it (rm '\(lock.path)')"), "\(sign.stderr)")
        // Refused before committing; once the lock is gone the command works.
        try FileManager.default.removeItem(at: lock)
        #expect(try signed.head() == before)
        #expect(try box.git("status", "--porcelain", "--untracked-files=all") == "")
        #expect(try signed.sign(signed.mette).status == 0)
        #expect(try box.sla("verify").status == 0)
    }
}
