import ArgumentParser
import Foundation
import SLAKit

struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new agreement from the built-in template.",
        discussion: """
            Writes and commits agreements/ID/draft.yaml from the Danish or English template; the comments in it are the template's help questions. Fill it in, then propose it.
            Example: sla new acme-sales-marketing --lang da --company "Acme ApS"
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Argument(help: "The agreement id: lower-case letters, digits and '-'.")
    var id: String

    @Option(name: .long, help: "The template's language: da or en.")
    var lang: Language = .da

    @Option(name: .long, help: "The company's name.")
    var company: String = ""

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let repo = try repository.open(committing: true)
            let effective = Schedule.defaultStart(today: try today.date())
            let path = try repo.newAgreement(id, language: lang, company: company, effectiveFrom: effective, now: Date())
            Terminal.line("Created \(path) from the \(lang == .da ? "Danish" : "English") template.")
            Terminal.line("Fill it in, check it with `sla check \(id)`, then propose it with `sla propose \(id)`.")
        }
    }
}

extension Language: ExpressibleByArgument {}
