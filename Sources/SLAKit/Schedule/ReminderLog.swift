import Foundation

/// The record of delivered reminders that makes `sla remind` idempotent: kept under the
/// repository's `.git/sla/reminders` (never committed) or in the file `--state PATH` names.
///
/// One line per recipient of a delivered reminder, TAB-separated:
/// `KIND AGREEMENT VERSION PRINCIPAL FELL-DUE DELIVERED-ON`; lines starting with `#` are
/// comments. Rewritten whole after every delivery, atomically (temporary file, then rename),
/// so a run killed half-way keeps what it delivered. A damaged file is refused, naming its
/// line: sending every reminder again would be worse than stopping.
public struct ReminderLog: Sendable {
    public let file: URL
    public private(set) var delivered: Set<Delivery> = []
    private var lines: [String] = []

    static let header =
        "# sla remind: delivered reminders, one line per recipient (kind, agreement, version, principal, fell due, delivered on)"

    /// Reads `file`; a file that does not exist yet is an empty record.
    public init(file: URL) throws {
        self.file = file
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        // A record that exists but cannot be read must never count as empty: that would
        // deliver every reminder again.
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw SLAError("\(file.path) cannot be read as a reminder record; check its permissions, or move it away", kind: .refused)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SLAError("\(file.path) is not a reminder record (not UTF-8); move it away to start a new one", kind: .badInput)
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let delivery = Self.parse(line) else {
                throw SLAError(
                    "\(file.path):\(index + 1): not a delivered reminder (expected KIND, AGREEMENT, VERSION, PRINCIPAL, "
                        + "two dates, separated by tabs); fix or delete that line", kind: .badInput)
            }
            delivered.insert(delivery)
            lines.append(String(line))
        }
    }

    private static func parse(_ line: Substring) -> Delivery? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, let kind = Reminder.Kind(rawValue: fields[0]), AgreementDecoder.isValidID(fields[1]),
            let version = Int(fields[2]), version >= 1, Characters.isPrincipalText(fields[3]),
            let due = LocalDate(iso: fields[4]), LocalDate(iso: fields[5]) != nil
        else { return nil }
        return Delivery(kind: kind, agreement: fields[1], version: version, principal: fields[3], dueOn: due)
    }

    /// Records `reminder` as delivered to all its recipients on `today`, and writes the file.
    public mutating func record(_ reminder: Reminder, today: LocalDate) throws {
        for delivery in reminder.deliveries where delivered.insert(delivery).inserted {
            lines.append(
                [
                    delivery.kind.rawValue, delivery.agreement, String(delivery.version), delivery.principal,
                    delivery.dueOn.iso, today.iso,
                ].joined(separator: "\t"))
        }
        let text = ([Self.header] + lines).joined(separator: "\n") + "\n"
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file, options: .atomic)
        } catch {
            throw SLAError("cannot write the reminder record \(file.path): \(error.localizedDescription)", kind: .refused)
        }
    }
}
