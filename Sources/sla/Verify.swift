import ArgumentParser
import Foundation
import SLAKit

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every version, signature and activation as committed; exit 1 on any fault.",
        discussion: """
        Versions unchanged since proposed, every signature file well-formed and valid for its name,
        every activation approved and in increasing order, every sla/ID/vN tag on its version.
        Example: sla verify acme-sales-marketing
        """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id (default: every agreement).")
    var id: String?

    func run() async throws {
        try perform {
            let only = try id.map(agreementID)
            let report = try repository.open().verify(only)
            if format.format == .json {
                try JSON.print(report)
            } else {
                for fault in report.faults { Terminal.error("fault: \(fault)") }
                Terminal.line("\(report.agreements) agreement\(report.agreements == 1 ? "" : "s"), \(report.versions) version\(report.versions == 1 ? "" : "s"), \(report.validSignatures) of \(report.signatures) signature\(report.signatures == 1 ? "" : "s") valid, \(report.activations) activation\(report.activations == 1 ? "" : "s"): \(report.faults.isEmpty ? "no faults" : "\(report.faults.count) fault\(report.faults.count == 1 ? "" : "s")")")
            }
            if !report.faults.isEmpty {
                throw ExitCode(1)
            }
        }
    }
}
