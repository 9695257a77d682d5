import ArgumentParser
import Foundation
import SLAKit

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every version, signature and activation as committed; exit 1 on any fault.",
        discussion: """
            Every commit reachable from HEAD (or --ref) against each of its parents: versions and signatures never changed or deleted, every new signature valid for its name, the activation log only appended to, every entry judged where it is new, every sla/ID/vN tag on its version. Ignores the cache under .git/ and checks every signature again.
            Example: sla verify acme-sales-marketing
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id (default: every agreement).")
    var id: String?

    @Option(name: .long, help: ArgumentHelp("Check the history of this branch, tag or commit instead of HEAD.", valueName: "ref"))
    var ref: String?

    func run() async throws {
        try perform {
            let only = try id.map(agreementID)
            let report = try repository.open().verify(only, ref: ref)
            if format.format == .json {
                try JSON.print(report)
            } else {
                for fault in report.faults { Terminal.error("fault: \(fault)") }
                for name in report.ignored {
                    Terminal.error(
                        "warning: agreements/\(name) is not an agreement id (lower-case letters, digits and -), so sla ignores it")
                }
                Terminal.line(
                    "\(report.commits) commit\(report.commits == 1 ? "" : "s") up to \(report.commit.prefix(7)), \(report.agreements) agreement\(report.agreements == 1 ? "" : "s"), \(report.versions) version\(report.versions == 1 ? "" : "s"), \(report.validSignatures) of \(report.signatures) signature\(report.signatures == 1 ? "" : "s") valid, \(report.countedActivations) of \(report.activations) activation\(report.activations == 1 ? "" : "s") counting: \(report.faults.isEmpty ? "no faults" : "\(report.faults.count) fault\(report.faults.count == 1 ? "" : "s")")"
                )
            }
            if !report.faults.isEmpty {
                throw ExitCode(1)
            }
        }
    }
}
