import ArgumentParser
import SLAKit

@main
struct SLA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Keep Sales & Marketing Service Level Agreements in git.",
        version: "0.1.0",
        subcommands: []
    )
}
