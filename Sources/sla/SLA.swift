import ArgumentParser
import SLAKit

@main
struct SLA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Keep Sales & Marketing Service Level Agreements in git: revise, diff, sign, activate, renew.",
        discussion: """
        The SLA owner opens a revision (sla new, sla revise), proposes it as a version (sla propose);
        every party's signatories sign it with their SSH key, and it can be activated only once
        all of them have. See README.md for the workflow.
        """,
        version: "0.1.0",
        subcommands: [
            Init.self, New.self, Revise.self, Renew.self, Check.self, Propose.self, Diff.self, Show.self,
            Sign.self, AllowedSigners.self, Activate.self, Verify.self, Status.self, Remind.self, CalendarCommand.self, Log.self,
            Sync.self, Hooks.self, Hook.self, GitDiff.self,
        ]
    )

    func run() async throws {
        throw ValidationError("name a command, e.g. `sla check`; `sla --help` lists them all")
    }
}
