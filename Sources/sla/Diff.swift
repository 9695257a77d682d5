import ArgumentParser
import Foundation
import SLAKit

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed between two versions, section by section.",
        discussion: """
            FROM and TO are vN, active (in force at --today), latest or draft. By default TO is the open draft (else the latest version) and FROM the version in force (else the one before TO). Rows are matched by what they are (criteria by name, goals by metric and deadline, …), so reordering is no change; changes to who must sign are flagged.
            Example: sla diff acme-sales-marketing v1 draft --format markdown
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "vN, active, latest or draft.")
    var from: String?

    @Argument(help: "vN, active, latest or draft.")
    var to: String?

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: Format = .text

    @Flag(name: .long, help: "Exit 1 when there are changes, 0 when there are none (as git diff --exit-code).")
    var exitCode = false

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let fromSelector = try from.map(versionSelector)
            let toSelector = try to.map(versionSelector)
            let repo = try repository.open()
            let comparison = try repo.comparison(id, from: fromSelector, to: toSelector, today: try today.date())
            let diff = comparison.diff
            let format = DiffFormat(rawValue: self.format.rawValue) ?? .text
            let colour = format == .text && Terminal.colourOnStdout
            let text = DiffRenderer.render(
                diff, agreement: id, from: comparison.fromName, to: comparison.toName, language: comparison.to.language,
                format: format, colour: colour)
            // Both sides validate (no control characters); the painter escapes what it paints.
            if colour { Terminal.outputPainted(text) } else { Terminal.output(text) }
            if exitCode && !diff.isEmpty {
                throw ExitCode(1)
            }
        }
    }
}
