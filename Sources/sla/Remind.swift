import ArgumentParser
import Foundation
import SLAKit

struct Remind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver the reminders due today: renewals coming up or overdue, missing signatures, activations.",
        discussion: """
            Each reminder is delivered once: what was delivered is recorded in .git/sla/reminders (or the file --state names), so a second run the same day delivers nothing, and a run after days without one catches up once. Without --exec, printing a reminder is its delivery; with --exec, CMD runs through /bin/sh once per reminder with its JSON on stdin (and SLA_REMINDER_KIND, SLA_AGREEMENT, SLA_VERSION, SLA_DATE, SLA_RECIPIENTS, SLA_SUBJECT, SLA_TEXT in its environment); a reminder whose CMD fails stays pending. hooks/ in the project holds two such commands: e-mail through sendmail, and a chat webhook.
            Example: sla remind --exec /usr/local/share/sla/hooks/remind-sendmail
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption
    @OptionGroup var today: TodayOption

    @Option(name: .long, help: ArgumentHelp("Deliver each reminder by running CMD with /bin/sh, its JSON on stdin.", valueName: "cmd"))
    var exec: String?

    @Flag(name: .long, help: "Show what is due; deliver nothing, record nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("The delivery record (default: .git/sla/reminders in the repository).", valueName: "path"))
    var state: String?

    func run() async throws {
        try perform {
            let repo = try repository.open()
            let date = try today.date()
            let stateFile = state.map {
                URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            }
            if let stateFile, let given = state { try FilePaths.requireFolder(of: FilePaths.followingLinks(stateFile), named: given) }
            let printAsDelivered = exec == nil && format.format == .text && !dryRun
            let result = try repo.remind(today: date, log: stateFile, dryRun: dryRun) { reminder in
                if let exec { return ReminderDelivery.run(exec, reminder) }
                if printAsDelivered, let problem = Terminal.tryOutput(ReminderDelivery.text(reminder)) {
                    return "cannot print it: \(problem)"
                }
                return nil
            }
            switch format.format {
            case .json:
                try JSON.print(result.delivered)
            case .text:
                if dryRun {
                    Terminal.line(
                        result.delivered.isEmpty
                            ? "No reminders due on \(date.iso)." : "Due on \(date.iso) (dry run: nothing delivered, nothing recorded):\n")
                    for reminder in result.delivered { Terminal.output(ReminderDelivery.text(reminder)) }
                } else if exec != nil {
                    for reminder in result.delivered {
                        Terminal.line(
                            "Delivered \(reminder.kind.rawValue) for \(reminder.agreement) v\(reminder.version) to "
                                + reminder.recipients.map(\.principal).joined(separator: ", "))
                    }
                }
                if result.delivered.isEmpty && result.failed.isEmpty && !dryRun { Terminal.line("No reminders due on \(date.iso).") }
                if !result.failed.isEmpty {
                    let count = result.failed.count
                    Terminal.line(
                        "\(count) reminder\(count == 1 ? "" : "s") not delivered (see the errors); pending for the next run."
                    )
                }
            }
            for (reminder, reason) in result.failed {
                Terminal.error(
                    "error: \(reminder.kind.rawValue) for \(reminder.agreement) v\(reminder.version) was not delivered: \(reason); it stays pending for the next run"
                )
            }
            for status in result.faulted {
                Terminal.error("error: \(status.id) skipped: it is faulted: \(status.fault ?? "")")
            }
            if !result.failed.isEmpty || !result.faulted.isEmpty { throw ExitCode(1) }
        }
    }
}

/// Printing and running the delivery command: the command line's part of `remind`.
enum ReminderDelivery {
    static func text(_ r: Reminder) -> String {
        let to = r.recipients.map { "\($0.name) <\($0.principal)>" }.joined(separator: ", ")
        return """
            \(r.kind.rawValue) \(r.agreement) v\(r.version) \(r.date.iso) (fell due \(r.dueOn.iso))
            To: \(to)
            Subject: \(r.subject)

            \(r.text)


            """
    }

    /// Runs `/bin/sh -c command` with the reminder's JSON on stdin; nil when it exits 0.
    static func run(_ command: String, _ reminder: Reminder) -> String? {
        signal(SIGPIPE, SIG_IGN)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(reminder) else { return "cannot encode it" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["SLA_REMINDER_KIND"] = reminder.kind.rawValue
        environment["SLA_AGREEMENT"] = reminder.agreement
        environment["SLA_VERSION"] = String(reminder.version)
        environment["SLA_DATE"] = reminder.date.iso
        environment["SLA_DUE_ON"] = reminder.dueOn.iso
        environment["SLA_LANGUAGE"] = reminder.language.rawValue
        environment["SLA_RECIPIENTS"] = reminder.recipients.map(\.principal).joined(separator: " ")
        environment["SLA_SUBJECT"] = reminder.subject
        environment["SLA_TEXT"] = reminder.text
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        // The command's own output is diagnostics here: stdout carries sla's data.
        process.standardOutput = FileHandle.standardError
        do {
            try process.run()
        } catch {
            return "cannot run /bin/sh: \(error.localizedDescription)"
        }
        // A command that exits without reading its input is its own business.
        try? input.fileHandleForWriting.write(contentsOf: json + Data("\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { return "`\(command)` was killed by signal \(process.terminationStatus)" }
        return process.terminationStatus == 0 ? nil : "`\(command)` exited \(process.terminationStatus)"
    }
}
