import ArgumentParser
import Foundation
import SLAKit

struct Renew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a revision that changes only validity.effective_from.",
        discussion: """
        The draft is the latest version with effective_from set to --effective, by default the renewal
        due date of the version in force (12 / renewals_per_year months after its effective_from).
        Every other byte stays as it was; propose, sign and activate it as usual.
        Example: sla renew acme-sales-marketing --effective 2027-07-01
        """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Argument(help: "The agreement id.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("The new effective_from, YYYY-MM-DD.", valueName: "date"))
    var effective: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let repo = try repository.open()
            let date: LocalDate
            if let effective {
                date = try parseDate(effective, option: "--effective")
            } else {
                guard let inForce = try repo.agreement(id, in: try repo.ledger()).inForce(today: try today.date()) else {
                    throw SLAError("no version of '\(id)' is in force, so there is no renewal date; pass --effective DATE")
                }
                date = inForce.agreement.validity.effectiveFrom.adding(months: inForce.agreement.validity.renewalIntervalMonths)
            }
            let (path, from) = try repo.renew(id, effectiveFrom: date, now: Date())
            Terminal.line("Opened a renewal of \(id) v\(from) from \(date.iso) in \(path).")
        }
    }
}
