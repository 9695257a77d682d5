import ArgumentParser
import Foundation
import GitKit
import SLAKit
import SLALimits

struct Hooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up git integration in a repository: the hooks and the section diff driver.",
        subcommands: [Install.self]
    )

    func run() async throws {
        throw ValidationError("name what to do: `sla hooks install [--server]`")
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the git hooks and the section diff driver.",
            discussion: """
                In a clone: the pre-commit and pre-merge-commit hooks (commits and merges that break the SLA rules are refused), and the diff driver (diff.sla.command, and agreement files in .git/info/attributes), so `git diff` shows agreements section by section (`git log -p --ext-diff` for history). With --server, or in a bare repository: the pre-receive hook, which refuses pushes that break the rules, and receive.fsckObjects. The hooks run `sla` from PATH, or --sla PATH.
                Example: sla hooks install --server --repo /srv/git/acme-sla.git
                """
        )

        @OptionGroup var repository: RepositoryOptions

        @Flag(name: .long, help: "Install the server-side pre-receive hook.")
        var server = false

        @Option(name: .long, help: ArgumentHelp("The sla the hooks run (default: sla on PATH).", valueName: "path"))
        var sla: String?

        static func onPath(_ name: String) -> Bool {
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
            }
        }

        func run() async throws {
            try perform {
                let repo = try repository.open()
                if let sla, !FileManager.default.isExecutableFile(atPath: sla) {
                    throw SLAError("--sla \(sla) is not an executable file", kind: .badInput)
                }
                // `sla` from PATH where it is there, so moving the binary breaks nothing; else this one.
                let this =
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
                let binary = sla ?? (Self.onPath("sla") ? nil : this)
                if sla == nil, let binary {
                    Terminal.line(
                        "note: sla is not on PATH, so the hooks run \(binary); install sla on PATH or pass --sla PATH if it moves")
                }
                for line in try repo.installHooks(server: server, sla: binary) {
                    Terminal.line("installed: \(line)")
                }
                if repo.isBare { return }
                let executable = binary ?? "sla"
                for line in try repo.installDiffDriver(executable: executable) {
                    Terminal.line("installed: \(line)")
                }
            }
        }
    }
}

/// `sla hook pre-receive|pre-commit`: what the installed hooks run. Any error refuses (exit 1).
struct Hook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a git hook's checks (the installed hooks call this).",
        discussion: """
            pre-receive reads git's `OLD NEW REF` lines on stdin and refuses the whole push (exit 1, naming the ref, the commit, the file and the reason) if any new commit breaks an SLA rule against any of its parents, or the refs break the rules for the main branch and sla/ tags. pre-commit checks the staged change the same way.
            """
    )

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case preReceive = "pre-receive"
        case preCommit = "pre-commit"
    }

    @Argument(help: "pre-receive or pre-commit.")
    var name: Name

    /// The commits `git merge` merges: it names each to its hooks as `GITHEAD_<id>` in the
    /// environment (the pre-merge-commit hook runs before MERGE_HEAD is written).
    static func mergedHeads() -> [ObjectID] {
        ProcessInfo.processInfo.environment.keys.sorted().compactMap { key in
            guard key.hasPrefix("GITHEAD_") else { return nil }
            return ObjectID(hex: String(key.dropFirst("GITHEAD_".count)))
        }
    }

    func run() async throws {
        try perform {
            let repo = try SLARepository.openFromEnvironment()
            let merged = Self.mergedHeads()
            let refusals: [HookRefusal]
            switch name {
            case .preReceive:
                // One byte more than the limit is enough to know the input is too long.
                let input = try FileHandle.standardInput.read(upToCount: Limits.hookInputBytes + 1) ?? Data()
                refusals = try repo.preReceive(try RefUpdate.parse(input))
            case .preCommit:
                refusals = try repo.preCommit(merging: merged)
            }
            guard !refusals.isEmpty else { return }
            let what = name == .preReceive ? "push" : "commit"
            Terminal.error("sla: this \(what) is refused: it breaks the rules of the SLA repository (DESIGN.md, History).")
            for refusal in refusals { Terminal.error("  \(refusal)") }
            switch name {
            case .preCommit where repo.isMerging || !merged.isEmpty:
                Terminal.error(
                    "Nothing was committed. If the branch being merged brings the fault, give up the merge (git merge --abort) "
                        + "and ask whoever made that branch to redo the work with sla; if it is in your conflict resolution, mend it and commit again."
                )
            case .preCommit:
                Terminal.error(
                    "Nothing was committed. Undo the change (git restore --staged PATH; git restore PATH), and use sla to make it.")
            case .preReceive:
                Terminal.error("Nothing was changed on the server.")
                if refusals.contains(where: { !$0.ref.hasPrefix("refs/tags/") && $0.redoWithSLA }) {
                    Terminal.error(
                        "Reset your branch to the server's (git fetch; git reset --hard origin/BRANCH) and redo the work with sla.")
                }
                if refusals.contains(where: { $0.ref.hasPrefix("refs/tags/") }) {
                    Terminal.error(
                        "Take the server's version tags (git fetch --tags --force) instead of yours; sla creates every tag itself.")
                }
            }
            throw ExitCode(1)
        }
    }
}
