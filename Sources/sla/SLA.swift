import ArgumentParser
import GitKit
import SLAKit

@main
struct SLA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Keep Sales & Marketing Service Level Agreements in git: revise, diff, sign, activate, renew.",
        discussion: """
            The SLA owner opens a revision (sla new, sla revise), proposes it as a version (sla propose); every party's signatories sign it with their SSH key, and it can be activated only once all of them have. See README.md for the workflow.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, New.self, Revise.self, Renew.self, Check.self, Propose.self, Diff.self, Show.self,
            Sign.self, AllowedSigners.self, Activate.self, Verify.self, Status.self, Remind.self, CalendarCommand.self, Log.self,
            Render.self, Report.self, Serve.self, Sync.self, Hooks.self, Hook.self, GitDiff.self,
        ]
    )

    func run() async throws {
        throw ValidationError("name a command, e.g. `sla check`; `sla --help` lists them all")
    }

    /// `sla --repo X log` works as `sla log --repo X`: every command takes `--repo`. libgit2
    /// starts on the other core while the arguments are parsed (see `Libgit2Start`), except for
    /// `--help` and `--version`, which never need it; the process never exits before it is done.
    static func main() async {
        let arguments = movingRepoOption(Array(CommandLine.arguments.dropFirst()))
        let startsGit = needsGit(arguments)
        if startsGit { Libgit2Start.begin() }
        do {
            try checkHelpAndVersion(arguments)
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if startsGit { Libgit2Start.finish() }
            exit(withError: error)
        }
        if startsGit { Libgit2Start.finish() }
    }

    /// `sla help NAME…` names a command that exists, and `--version` comes alone: ArgumentParser
    /// would print the root's help, or the version, for anything else and exit 0 (wrong usage
    /// exits 64).
    static func checkHelpAndVersion(_ arguments: [String]) throws {
        if arguments.first == "--version", arguments.count > 1 {
            throw ValidationError("--version takes nothing else: `sla --version`")
        }
        guard arguments.first == "help" else { return }
        var commands = configuration.subcommands
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            guard let command = commands.first(where: { $0._commandName == name }) else {
                throw ValidationError("there is no command '\(name)'; `sla --help` lists them all")
            }
            commands = command.configuration.subcommands
        }
    }

    /// Whether these arguments can name a command that opens a repository: not help or the
    /// version (a wrong guess costs time, never a result).
    static func needsGit(_ arguments: [String]) -> Bool {
        guard let first = arguments.first, first != "help" else { return false }
        return !arguments.contains { ["--help", "-h", "--version"].contains($0) }
    }

    /// `--repo PATH` (or `--repo=PATH`) given before the command name moves to its end (before a `--`).
    static func movingRepoOption(_ arguments: [String]) -> [String] {
        var rest = arguments
        var moved: [String] = []
        while let first = rest.first, first.hasPrefix("--repo") {
            if first == "--repo", rest.count >= 2 {
                moved += rest.prefix(2)
                rest.removeFirst(2)
            } else if first.hasPrefix("--repo=") {
                moved.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        guard !moved.isEmpty, !rest.isEmpty else { return arguments }
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: moved, at: end)
        return rest
    }
}
