import ArgumentParser
import Foundation
import GitKit
import SLAKit

/// `--repo PATH`, shared by every command that works on a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SLA repository (default: the one containing the current directory).", valueName: "path"))
    var repo: String?

    /// Opens the repository, first finishing what an sla command killed after committing left
    /// undone (its index and work-tree update, `propose`'s tag), and saying so. A command that
    /// commits says so (`committing`): git's index is then read on another thread meanwhile.
    func open(committing: Bool = false) throws -> SLARepository {
        let repository = try SLARepository.open(at: repo)
        OpenRepositories.keep(repository)
        if committing { repository.readIndexAhead() }
        if let note = repository.finishInterruptedCommandIfIdle(now: Date()) { Terminal.error("sla: \(note)") }
        return repository
    }
}

/// The repositories a command opened, kept until the process ends: the operating system takes
/// back their memory at once, where freeing what a `verify` built object by object would take a
/// noticeable part of its run (see `SLARepository.lastLedger`).
enum OpenRepositories {
    nonisolated(unsafe) private static var kept: [SLARepository] = []
    private static let lock = NSLock()

    static func keep(_ repository: SLARepository) {
        lock.withLock { kept.append(repository) }
    }
}

/// `--today DATE`, for every command whose answer depends on the date.
struct TodayOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The date to act as of, YYYY-MM-DD (default: today's date here).", valueName: "date"))
    var today: String?

    /// The only place the clock is read: the domain always takes `today`.
    func date() throws -> LocalDate {
        guard let today else { return LocalDate.today(in: .current) }
        return try parseDate(today, option: "--today")
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text
}

func parseDate(_ text: String, option: String) throws -> LocalDate {
    guard let date = LocalDate(iso: text) else {
        let shaped =
            text.count == 10
            && text.enumerated().allSatisfy { [4, 7].contains($0.offset) ? $0.element == "-" : $0.element.isASCII && $0.element.isNumber }
        throw SLAError(
            shaped
                ? "\(option) \(text) is not a real date (no such day in that month)" : "\(option) \(text) is not a date written YYYY-MM-DD",
            kind: .badInput)
    }
    return date
}

extension LocalDate {
    /// The calendar day it is now in `zone`, read in the command line layer only.
    static func today(in zone: TimeZone) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// Runs a command body: an `SLAError` is printed for a person (diagnostics first) and
/// becomes exit 1; any other error too, never a Swift dump or a trap.
func perform(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw report(error)
    }
}

/// Prints an error for a person and gives the exit code it means.
func report(_ error: Error) -> ExitCode {
    switch error {
    case let error as SLAError:
        for diagnostic in error.diagnostics { Terminal.error(diagnostic.description) }
        Terminal.error("error: \(error.message)")
        return ExitCode(exitStatus(error.kind))
    case let error as ExitCode:
        return error
    default:
        Terminal.error("error: \(error)")
        return ExitCode(1)
    }
}

/// DESIGN.md: bad input, not found, refused and faults all exit 1 (64 is only for wrong usage,
/// which ArgumentParser reports itself).
func exitStatus(_ kind: SLAError.Kind) -> Int32 {
    switch kind {
    case .badInput, .notFound, .refused, .fault: 1
    default: 1
    }
}

enum Terminal {
    /// Every text `sla` prints passes here: a control character that came from a file name, an
    /// author, a CSV cell (an agreement may not hold one) is shown as an escape, so it cannot
    /// move the cursor or repaint a line such as "no faults".
    static func error(_ line: String) {
        _ = write(Data((DisplayControl.visible(line) + "\n").utf8), to: STDERR_FILENO)
    }

    /// A failed write (a full disk; a closed pipe while SIGPIPE is ignored, as under systemd)
    /// ends the command with exit 1 and a message, never a trap.
    static func output(_ text: String) {
        if let problem = tryOutput(text) { failOutput(problem) }
    }

    /// Writes `text` to stdout; the reason when it could not be written, for a caller that
    /// must know (a reminder printed as its delivery is not recorded when the print failed).
    static func tryOutput(_ text: String) -> String? {
        write(Data(DisplayControl.visible(text).utf8), to: STDOUT_FILENO)
    }

    /// Text with colour codes of its own, on a terminal: written as it is, so the caller must
    /// have made every piece from elsewhere visible (`DisplayControl.visible`) before painting
    /// it (the status table's cells; a diff, which only ever shows agreements that validate).
    static func outputPainted(_ text: String) {
        if let problem = write(Data(text.utf8), to: STDOUT_FILENO) { failOutput(problem) }
    }

    /// Bytes as they are (`show` prints the version file itself).
    static func outputBytes(_ data: Data) {
        if let problem = write(data, to: STDOUT_FILENO) { failOutput(problem) }
    }

    static func failOutput(_ problem: String) -> Never {
        error("error: cannot write to standard output: \(problem)")
        Libgit2Start.finish()
        exit(1)
    }

    /// All of `data`, retrying after a signal; the system's reason when it cannot.
    static func write(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    static func line(_ text: String = "") { output(text + "\n") }

    /// Colour only on a terminal, never with NO_COLOR set.
    static var colourOnStdout: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }
}

enum JSON {
    /// Sorted keys, ISO dates as strings, a trailing newline.
    static func print<T: Encodable>(_ value: T) throws {
        Terminal.outputBytes(try JSONOutput.data(value))
    }
}

/// Parses an agreement id argument; a malformed one is refused (exit 1) like an unknown one.
func agreementID(_ text: String) throws -> String {
    guard AgreementDecoder.isValidID(text) else {
        throw SLAError.invalidID(text)
    }
    return text
}

func versionSelector(_ text: String) throws -> VersionSelector {
    guard let selector = VersionSelector(text) else {
        throw SLAError("'\(SLAError.shown(text))' is not a version: write vN (v1, v2, …), latest, active or draft", kind: .badInput)
    }
    return selector
}

/// `ID [VERSION]` of `show` and `render`: VERSION is vN, latest (the default), active or draft.
struct VersionArguments: ParsableArguments {
    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "vN, latest, active or draft.")
    var version: String = "latest"

    /// The id and selector, refused (exit 1) when malformed.
    func parsed() throws -> (id: String, selector: VersionSelector) {
        (try agreementID(id), try versionSelector(version))
    }
}
