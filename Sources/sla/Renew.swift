import ArgumentParser
import Foundation
import SLAKit

struct Renew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a revision that changes only validity.effective_from.",
        discussion: """
            The draft is the latest activated version (in force or scheduled) with effective_from set to --effective, by default that version's renewal due date (12 / renewals_per_year calendar months after its effective_from); a date not after its effective_from is refused. Every other byte stays as it was; propose, sign and activate it as usual.
            Example: sla renew acme-sales-marketing --effective 2027-07-01
            """
    )

    @OptionGroup var repository: RepositoryOptions
    /// Accepted as on every other command; a renewal's dates come from the version, not from today.
    @OptionGroup var today: TodayOption
    @Argument(help: "The agreement id.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("The new effective_from, YYYY-MM-DD.", valueName: "date"))
    var effective: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let repo = try repository.open(committing: true)
            let date = try effective.map { try parseDate($0, option: "--effective") }
            let renewal = try repo.renew(id, effectiveFrom: date, now: Date())
            Terminal.line("Opened a renewal of \(id) v\(renewal.from) taking effect \(renewal.effectiveFrom.iso), in \(renewal.path).")
            Terminal.line("Propose it with `sla propose \(id)`; every party signs it, then `sla activate \(id)`.")
        }
    }
}
