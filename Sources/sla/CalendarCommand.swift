import ArgumentParser
import Foundation
import SLAKit

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Export the renewal meetings and the dates new versions take effect as an iCalendar file.",
        discussion: """
            RFC 5545: one all-day event per renewal due date (of the latest activated version) and per scheduled effective_from, with the owner and the signatories as attendees and one alarm per remind_days_before. UIDs are stable, so importing it again updates the same events.
            Example: sla calendar --out sla.ics
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var today: TodayOption

    @Option(name: .long, help: ArgumentHelp("Write the calendar to this file (default: stdout).", valueName: "file"))
    var out: String?

    func run() async throws {
        try perform {
            let repo = try repository.open()
            let result = try repo.calendar(today: try today.date())
            let text = ICalendar.document(result.events, name: "SLA")
            if let out {
                // Through a symbolic link to the file it names (a published calendar keeps
                // updating), replaced whole; never over a device, a folder or a pipe.
                let target = FilePaths.followingLinks(URL(fileURLWithPath: out))
                try FilePaths.requireFolder(of: target, named: out)
                var status = stat()
                if lstat(target.path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
                    throw SLAError("cannot write \(out): \(target.path) is not a regular file", kind: .badInput)
                }
                do {
                    try Data(text.utf8).write(to: target, options: .atomic)
                } catch {
                    throw SLAError("cannot write \(out): \(error.localizedDescription)", kind: .badInput)
                }
                Terminal.line("Wrote \(result.events.count) event\(result.events.count == 1 ? "" : "s") to \(out).")
            } else {
                Terminal.output(text)
            }
            for status in result.faulted {
                Terminal.error("error: \(status.id) skipped: it is faulted: \(status.fault ?? "")")
            }
            if !result.faulted.isEmpty { throw ExitCode(1) }
        }
    }
}
