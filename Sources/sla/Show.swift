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

    struct Output: Encodable {
        let agreement: String
        let version: String
        let sha256: String
        let yaml: String
    }

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let selector = try versionSelector(version)
            let repo = try repository.open()
            try repo.requireAgreement(id)
            let (name, data) = try repo.versionBytes(id, selector, today: try today.date())
            switch format.format {
            case .json:
                try JSON.print(Output(agreement: id, version: name, sha256: data.sha256Hex, yaml: String(decoding: data, as: UTF8.self)))
            case .text:
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
