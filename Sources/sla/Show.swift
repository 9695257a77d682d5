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

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "vN, latest, active or draft.")
    var version: String = "latest"

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let selector = try versionSelector(version)
            let repo = try repository.open()
            let shown = try repo.versionBytes(id, selector, today: try today.date())
            switch format.format {
            case .json:
                try JSON.print(ShownVersion(agreement: id, version: shown.version, data: shown.data))
            case .text:
                FileHandle.standardOutput.write(shown.data)
            }
        }
    }
}
