import ArgumentParser
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

    /// `sla --repo X log` works as `sla log --repo X`: every command takes `--repo`.
    static func main() async {
        await main(movingRepoOption(Array(CommandLine.arguments.dropFirst())))
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
