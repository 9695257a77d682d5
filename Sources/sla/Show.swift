import ArgumentParser
import Foundation
import SLAKit

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a version of an agreement, byte for byte.",
        discussion: """
            VERSION is vN, latest (the default), active (in force at --today) or draft.
            Example: sla show acme-sales-marketing v2
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption
    @OptionGroup var today: TodayOption

    @OptionGroup var target: VersionArguments

    func run() async throws {
        try perform {
            let (id, selector) = try target.parsed()
            let repo = try repository.open()
            let shown = try repo.versionBytes(id, selector, today: try today.date())
            switch format.format {
            case .json:
                try JSON.print(ShownVersion(agreement: id, version: shown.version, data: shown.data))
            case .text:
                // Byte for byte into a pipe or a file; on a terminal, what a draft or a version that
                // does not validate may hold shows as escapes.
                if isatty(STDOUT_FILENO) == 1 {
                    Terminal.output(String(decoding: shown.data, as: UTF8.self))
                } else {
                    Terminal.outputBytes(shown.data)
                }
            }
        }
    }
}
