import ArgumentParser
import Foundation
import SLAKit

struct Hooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up git integration in a repository.",
        subcommands: [Install.self]
    )

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the section diff driver for agreement files.",
            discussion: """
            Sets diff.sla.command to this sla and adds `agreements/**/*.yaml diff=sla` to
            .git/info/attributes, so `git diff` shows agreements section by section
            (`git log -p --ext-diff`, `git show --ext-diff` for history).
            Example: sla hooks install
            """
        )

        @OptionGroup var repository: RepositoryOptions

        func run() async throws {
            try perform {
                let repo = try repository.open()
                let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
                for line in try repo.installDiffDriver(executable: executable) {
                    Terminal.line("installed: \(line)")
                }
            }
        }
    }
}
