import ArgumentParser
import Foundation
import SLAKit

extension DocumentFormat: ExpressibleByArgument {}

struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an agreement as a document: markdown, or one HTML file that prints on A4.",
        discussion: """
            The document has the seven numbered sections with their tables, the lead matrix as a \
            grid, the validity block and the signature block (who signed, when, with which key, \
            and whether the signature verifies). VERSION is vN, latest (the default), active (in \
            force at --today) or draft.
            Example: sla render acme-sales-marketing active --format html > sla.html
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Option(name: .long, help: "Output format: markdown or html.")
    var format: DocumentFormat = .markdown

    @Option(name: .long, help: "The document's language: da or en (default: the agreement's own).")
    var lang: Language?

    @OptionGroup var target: VersionArguments

    func run() async throws {
        try perform {
            let (id, selector) = try target.parsed()
            let repo = try repository.open()
            let document = try repo.document(id, selector, today: try today.date(), language: lang)
            Terminal.output(DocumentRenderer.render(document, as: format))
        }
    }
}
