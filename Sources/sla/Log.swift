import ArgumentParser
import Foundation
import SLAKit

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit trail of an agreement: proposals, signatures, activations.",
        discussion: """
            One line per change to the agreement's files, newest first, with the commit, its author and date.
            Example: sla log acme-sales-marketing --format json
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("The history of this branch, tag or commit instead of HEAD.", valueName: "ref"))
    var ref: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let repo = try repository.open()
            let events = try repo.auditLog(id, ref: ref)
            switch format.format {
            case .json:
                try JSON.print(events)
            case .text:
                let rows = events.map { event -> [String] in
                    let what: String
                    switch event.kind {
                    case .created: what = "opened the draft"
                    case .draftEdited: what = "edited the draft"
                    case .draftRemoved: what = "closed the draft"
                    case .proposed: what = "proposed v\(event.version ?? 0)" + (event.changes.map { ": \($0)" } ?? "")
                    case .signed: what = "v\(event.version ?? 0) signed by \(signer(event.path))"
                    case .signatureReplaced:
                        what = "replaced a signature of v\(event.version ?? 0) (\(event.path.split(separator: "/").last ?? ""))"
                    case .signatureRemoved:
                        what = "REMOVED a signature of v\(event.version ?? 0) (\(event.path.split(separator: "/").last ?? ""))"
                    case .activated:
                        what =
                            event.counts == true
                            ? "activated v\(event.version ?? 0)"
                            : "DOES NOT COUNT: an entry for v\(event.version ?? 0) (\(event.problem ?? "not approved"))"
                    case .activationsChanged: what = "REWROTE or REMOVED activations.yaml (append-only)"
                    case .versionChanged: what = "CHANGED the frozen v\(event.version ?? 0)"
                    case .versionRemoved: what = "DELETED the frozen v\(event.version ?? 0)"
                    case .fault: what = "FAULT: \(event.path): \(event.problem ?? "")"
                    case .stray: what = "added \(event.path), which does not belong in the agreement's folder"
                    }
                    return [event.date, String(event.commit.prefix(7)), "\(event.author) <\(event.email)>", what]
                }
                Terminal.output(Table.render(rows))
            }
        }
    }
}

/// The signer a signature file is named for (`PRINCIPAL.sig` or `PRINCIPAL.FPR.sig`).
private func signer(_ path: String) -> String {
    let name = String(path.split(separator: "/").last ?? "")
    guard let parsed = SignatureFileName(fileName: name) else { return name }
    return parsed.fingerprint.map { "\(parsed.principal) (key \($0))" } ?? parsed.principal
}

enum Table {
    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func render(_ rows: [[String]], header: [String]? = nil) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.map(\.count).max(), columns > 0 else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + (all.isEmpty ? "" : "\n")
    }
}
