import ArgumentParser
import Foundation
import SLAKit

struct Propose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Freeze the draft as the next version vN and tag it sla/ID/vN.",
        discussion: """
            Reads agreements/ID/draft.yaml from the work tree (committed or not), validates it, and commits it as agreements/ID/versions/vN.yaml, which never changes again.
            Example: sla propose acme-sales-marketing -m "Half-yearly renewal, new SQL goal"
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id.")
    var id: String

    @Option(name: .shortAndLong, help: "A message for the commit and the tag.")
    var message: String?

    struct Output: Encodable {
        let agreement: String
        let version: Int
        let commit: String
        let tag: String
    }

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let repo = try repository.open(committing: true)
            let proposal = try repo.propose(id, message: message, now: Date())
            for warning in proposal.warnings { Terminal.error(warning.description) }
            switch format.format {
            case .json:
                try JSON.print(Output(agreement: id, version: proposal.version, commit: proposal.commit, tag: proposal.tag))
            case .text:
                Terminal.line("Proposed \(id) v\(proposal.version) (commit \(proposal.commit.prefix(7)), tag \(proposal.tag)).")
                Terminal.line("Next: every party signs it with `sla sign \(id) v\(proposal.version) --key PATH`.")
            }
        }
    }
}
