import SLAKit

/// The picture of an agreement's validity: one bar per activated version from its
/// `effective_from` to the next one's (the last to its renewal due date), a mark at each
/// renewal due date, and today. Coordinates are computed here; `PageTemplates.timeline` draws.
struct Timeline {
    struct Bar {
        let y: Int
        let x: Int
        let width: Int
        let label: String
        let range: String
        let kind: String  // "in-force", "scheduled", "past"
    }

    struct Mark {
        let x: Int
        let y1: Int
        let y2: Int
        let label: String
    }

    struct Tick {
        let x: Int
        let label: String
    }

    let width = 760
    let height: Int
    let axisY: Int
    let bars: [Bar]
    let renewals: [Mark]
    let ticks: [Tick]
    let today: Mark

    /// Versions in order of activation, each with its validity.
    init?(versions: [(number: Int, validity: Validity)], inForce: Int?, today: LocalDate) {
        guard !versions.isEmpty else { return nil }
        let windows = versions.enumerated().map { index, version in
            let start = version.validity.effectiveFrom
            let due = Schedule.renewalDue(version.validity)
            let end = index + 1 < versions.count ? versions[index + 1].validity.effectiveFrom : due
            return (number: version.number, start: start, end: max(start, end), due: due)
        }
        let first = min(windows.map(\.start).min()!, today).adding(days: -20)
        let last = max(windows.map(\.due).max()!, windows.map(\.end).max()!, today).adding(days: 20)
        let left = 70
        let span = Double(max(1, first.days(until: last)))
        let usable = Double(width - left - 20)
        func x(_ date: LocalDate) -> Int { left + Int((Double(first.days(until: date)) / span * usable).rounded()) }
        let rowHeight = 26
        let top = 28
        bars = windows.enumerated().map { row, window in
            let kind = window.number == inForce ? "in-force" : window.start > today ? "scheduled" : "past"
            return Bar(
                y: top + row * rowHeight, x: x(window.start), width: max(2, x(window.end) - x(window.start)), label: "v\(window.number)",
                range: "\(window.start.iso) – \(window.end.iso)", kind: kind)
        }
        let bottom = top + windows.count * rowHeight
        renewals = windows.map { Mark(x: x($0.due), y1: top - 6, y2: bottom, label: $0.due.iso) }
        self.today = Mark(x: x(today), y1: 14, y2: bottom + 4, label: today.iso)
        axisY = bottom + 22
        height = axisY + 10
        // A tick at every half-year boundary (1 January, 1 July) inside the picture.
        var ticks: [Tick] = []
        var month = first.month <= 6 ? LocalDate(year: first.year, month: 7, day: 1)! : LocalDate(year: first.year + 1, month: 1, day: 1)!
        while month <= last {
            ticks.append(Tick(x: x(month), label: String(month.iso.prefix(7))))
            month = month.adding(months: 6)
        }
        self.ticks = ticks
    }
}
