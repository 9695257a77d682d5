import ArgumentParser
import Foundation
import SLAKit

struct Revise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a revision: the draft as a copy of the latest version.",
        discussion: """
            Writes and commits agreements/ID/draft.yaml, byte for byte the latest version. Edit it, see what changed with `sla diff ID`, then `sla propose ID`.
            Example: sla revise acme-sales-marketing
            To abandon an open revision: sla revise acme-sales-marketing --discard (refused while the draft has edits that are not committed, unless --force)
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The agreement id.")
    var id: String

    @Flag(name: .long, help: "Abandon the open revision instead: delete the draft (one commit).")
    var discard = false

    @Flag(name: .long, help: "With --discard: abandon it even though the draft has edits that are not committed (they are lost).")
    var force = false

    func validate() throws {
        // --force alone would open a revision and ignore it: a slip worth saying.
        if force && !discard { throw ValidationError("--force is only for --discard") }
    }

    func run() async throws {
        try perform {
            let repo = try repository.open(committing: true)
            if discard {
                let path = try repo.discardRevision(try agreementID(id), force: force, now: Date())
                Terminal.line("Abandoned the revision of \(id): \(path) is gone.")
                return
            }
            let (path, from) = try repo.revise(try agreementID(id), now: Date())
            Terminal.line("Opened a revision of \(id) from v\(from) in \(path).")
        }
    }
}
