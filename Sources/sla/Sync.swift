import ArgumentParser
import Foundation
import SLAKit

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share this clone's work through its git remote: fetch, merge, push.",
        discussion: """
            Fetches the remote; fast-forwards to it, or merges when both sides only changed different files (two people signing at once); then pushes your branch and every sla/ version tag the remote lacks. A refused push or a conflict leaves your branch as it was and says what to do. Run it before you sign or activate, and after.
            Example: sla sync
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: "The remote to share through.")
    var remote: String = "origin"

    func run() async throws {
        try perform {
            let repo = try repository.open()
            let result = try repo.sync(remote: remote, now: Date())
            switch result.merge {
            case .upToDate: Terminal.line("Up to date with \(result.remote)/\(result.branch).")
            case .fastForward(let to): Terminal.line("Updated \(result.branch) to \(result.remote)/\(result.branch) (\(to.short)).")
            case .merged(let commit): Terminal.line("Merged \(result.remote)/\(result.branch) into \(result.branch) (\(commit.short)).")
            case .localAhead: break
            }
            if result.pushed.isEmpty {
                Terminal.line("Nothing to push.")
            } else {
                Terminal.line("Pushed to \(result.remote): \(result.pushed.joined(separator: ", ")).")
            }
        }
    }
}
