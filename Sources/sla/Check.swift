import ArgumentParser
import Foundation
import SLAKit

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate agreements: every problem with its file, line and column.",
        discussion: """
            Without an argument checks every draft and version in the repository; with an id, that agreement's; with a path, that file. Errors exit 1; warnings (numbers that disagree) do not.
            Example: sla check acme-sales-marketing
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "An agreement id or a file.")
    var target: String?

    func run() async throws {
        try perform {
            let here = FileManager.default.currentDirectoryPath
            let result: SLARepository.CheckResult
            do {
                result = try repository.open().check(target, workingDirectory: here)
            } catch let error as SLAError {
                // A file someone sent you can be checked anywhere, repository or not.
                guard let target, repository.repo == nil, FileManager.default.fileExists(atPath: target) else { throw error }
                result = try SLARepository.checkStandalone(target, workingDirectory: here)
            }
            // In JSON the diagnostics are data on stdout; saying them again on stderr would be noise.
            if format.format == .text {
                for diagnostic in result.diagnostics { Terminal.error(diagnostic.description) }
            }
            let errors = result.diagnostics.errors
            switch format.format {
            case .json:
                try JSON.print(result)
            case .text:
                if errors.isEmpty {
                    let warnings = result.diagnostics.warnings.count
                    Terminal.line(
                        "\(result.files.count) file\(result.files.count == 1 ? "" : "s") checked: no errors"
                            + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
                }
            }
            if !errors.isEmpty {
                if format.format == .json { throw ExitCode(1) }
                if let repo = try? repository.open() {
                    for (file, sections) in repo.leftToFill(result) {
                        Terminal.error("left to fill in \(file):")
                        for (title, count) in sections { Terminal.error("  \(title): \(count)") }
                    }
                }
                let files = Set(errors.map(\.file)).count
                throw SLAError(
                    "\(errors.count) error\(errors.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")", kind: .badInput)
            }
        }
    }
}
