import ArgumentParser
import Foundation
import SLAKit

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which version of each agreement is in force, when its renewal is due, and who still has to sign.",
        discussion: """
            One row per agreement: its state (faulted, overdue, awaiting-signatures, renewal-due, active, scheduled, draft or none: the first that applies), the version in force and from when, the renewal due date and the days left, and the signatories a proposed version still needs. --check exits 1 when any agreement is faulted, overdue or has nothing in force (for cron or CI).
            Example: sla status --today 2027-06-01
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption
    @OptionGroup var today: TodayOption

    @Argument(help: "Only this agreement.")
    var id: String?

    @Flag(name: .long, help: "Exit 1 when any agreement is faulted, overdue or has nothing in force.")
    var check = false

    func run() async throws {
        try perform {
            let id = try self.id.map(agreementID)
            let repo = try repository.open()
            if let note = repo.remoteAheadNote() { Terminal.error(note) }
            let rows = try repo.status(id, today: try today.date())
            switch format.format {
            case .json: try JSON.print(rows)
            case .text:
                let colour = Terminal.colourOnStdout
                let table = StatusTable.text(rows, colour: colour)
                if colour { Terminal.outputPainted(table) } else { Terminal.output(table) }
            }
            if check, let failing = rows.first(where: \.failsCheck) {
                let others = rows.filter(\.failsCheck).count - 1
                Terminal.error(
                    "status --check: \(failing.id) is \(failing.state.rawValue)\(failing.inForceVersion == nil && failing.state != .faulted ? " with nothing in force" : "")"
                        + (others > 0 ? " (and \(others) more)" : ""))
                throw ExitCode(1)
            }
        }
    }
}

/// The aligned table of `sla status`; colour (the state only) on a terminal.
enum StatusTable {
    static func text(_ rows: [AgreementStatus], colour: Bool) -> String {
        guard !rows.isEmpty else { return "No agreements yet; start one with `sla new ID`.\n" }
        let header = ["ID", "STATE", "IN FORCE", "VALID FROM", "RENEWAL DUE", "DAYS LEFT", "NEXT"]
        let cells = rows.map { row -> [String] in
            [
                row.id, row.state.rawValue, row.inForceVersion.map { "v\($0)" } ?? "-", row.effectiveFrom?.iso ?? "-",
                row.renewalDue?.iso ?? "-", row.daysLeft.map(String.init) ?? "-", next(row),
            ].map(DisplayControl.visible)  // a fault names a file, which may hold anything: measured as shown
        }
        var widths = header.map(\.count)
        for line in cells {
            for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func render(_ line: [String], state: AgreementStatus.State?) -> String {
            var out = ""
            for (i, cell) in line.enumerated() {
                let last = i == line.count - 1
                let padded = last ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
                if i == 1, colour, let state {
                    out += paint(state) + cell + "\u{1B}[0m" + String(padded.dropFirst(cell.count))
                } else {
                    out += padded
                }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out + "\n"
        }
        return render(header, state: nil) + zip(rows, cells).map { render($1, state: $0.state) }.joined()
    }

    /// What comes next for the agreement, in a few words.
    static func next(_ row: AgreementStatus) -> String {
        if let fault = row.fault { return fault }
        var parts: [String] = []
        if let pending = row.pendingVersion {
            if row.missing.isEmpty {
                parts.append("v\(pending) approved, not activated")
            } else {
                parts.append("v\(pending) needs: " + row.missing.map(\.name).joined(separator: ", "))
            }
        }
        for version in row.scheduled {
            parts.append("v\(version.version) takes effect \(version.effectiveFrom.iso)")
        }
        return parts.joined(separator: "; ")
    }

    private static func paint(_ state: AgreementStatus.State) -> String {
        switch state {
        case .faulted, .overdue: "\u{1B}[31m"
        case .awaitingSignatures, .renewalDue: "\u{1B}[33m"
        case .active: "\u{1B}[32m"
        case .scheduled: "\u{1B}[36m"
        case .draft, .none: "\u{1B}[2m"
        }
    }
}
