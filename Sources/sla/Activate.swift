import ArgumentParser
import Foundation
import SLAKit

struct Activate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record that an approved version is activated.",
        discussion: """
            Appends an entry to agreements/ID/activations.yaml and commits, only if every party has signed the version byte for byte (and, when it changes who signs, the signatories of the version in force approved it too) and it is newer than every activated version. Otherwise it names every missing or invalid signature and changes nothing.
            Example: sla activate acme-sales-marketing v2
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "The version, vN (default: the latest).")
    var version: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let n = try version.map(versionNumber)
            let date = try today.date()
            let repo = try repository.open(committing: true)
            if let note = repo.remoteAheadNote() { Terminal.error(note) }
            let result = try repo.activate(id, version: n, today: date, now: Date())
            if format.format == .json {
                try JSON.print(result)
                return
            }
            let when =
                result.scheduled
                ? "it is scheduled: in force from \(result.effectiveFrom.iso)"
                : "in force from \(result.effectiveFrom.iso)"
            if let commit = result.commit {
                Terminal.line("Activated \(id) v\(result.version) on \(result.activatedAt.iso) (commit \(commit.prefix(7))); \(when).")
            } else {
                Terminal.line("\(id) v\(result.version) is already activated (on \(result.activatedAt.iso)); \(when). Nothing to do.")
            }
        }
    }
}
