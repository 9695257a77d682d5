import ArgumentParser
import Foundation
import SLAKit

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a directory an SLA repository.",
        discussion: """
            Runs `git init` (through libgit2) when PATH is not a repository yet, and creates agreements/.
            Example: sla init ~/sla && cd ~/sla && sla new acme-sales-marketing --company "Acme ApS"
            """
    )

    @Argument(help: "The directory (default: the current one).")
    var path: String?

    func run() async throws {
        try perform {
            let (repository, created) = try SLARepository.initialize(at: path ?? ".")
            Terminal.line(
                created
                    ? "Initialised an SLA repository in \(repository.root)"
                    : "\(repository.root) is already a git repository; agreements/ is ready")
        }
    }
}
