import Foundation

/// A naive local date-time from an export cell, as seconds since 1970-01-01 00:00 on the
/// same clock (no time zone: DESIGN.md reads event times as naive local times).
public struct ExportTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let seconds: Int64

    /// `YYYY-MM-DD HH:MM`.
    public var description: String {
        let minutes = Int(((seconds % 86_400) + 86_400) % 86_400) / 60
        let clock = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        return "\(day.iso) \(clock)"
    }

    public init(day: LocalDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = Int64(day.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public var day: LocalDate { LocalDate(dayNumber: Int((seconds - (seconds % 86_400 + 86_400) % 86_400) / 86_400)) }

    public static func < (a: ExportTime, b: ExportTime) -> Bool { a.seconds < b.seconds }
}

/// How the numeric dates of one file are written, when they are not ISO.
public enum DateOrder: Sendable, Equatable {
    case dayFirst, monthFirst
}

/// Reads the date cells of exports: ISO (`2027-03-05`, with ` 09:30[:00]` or `T09:30…` and an
/// offset, which is dropped) always; `05-03-2027 09:30` or `3/5/2027 9:30 AM` in the order the
/// file was found to use; or a strftime pattern from the mapping.
public struct ExportDateReader: Sendable {
    public let order: DateOrder?
    public let format: String?

    public init(order: DateOrder?, format: String?) {
        self.order = order
        self.format = format
    }

    /// nil for a cell that is not a date in a form this reader knows.
    public func read(_ cell: String) -> ExportTime? {
        let text = cell.trimmingCharacters(in: .whitespaces)
        // ISO dates are read whatever the file's other form (DESIGN: "ISO … always").
        if let iso = Self.readISO(text) { return iso }
        if let format { return Self.read(text, format: format) }
        guard let numeric = Self.splitNumeric(text), let order else { return nil }
        let (day, month) = order == .dayFirst ? (numeric.first, numeric.second) : (numeric.second, numeric.first)
        guard let date = LocalDate(year: numeric.year, month: month, day: day) else { return nil }
        return ExportTime(day: date, hour: numeric.hour, minute: numeric.minute, second: numeric.seconds)
    }

    /// What a numeric cell says about the file's order: a first number over 12 makes it
    /// day-first, a second number over 12 month-first; nil when the cell allows either (or is
    /// not numeric).
    public static func evidence(_ cell: String) -> DateOrder? {
        guard let numeric = splitNumeric(cell.trimmingCharacters(in: .whitespaces)) else { return nil }
        if numeric.first > 12 { return .dayFirst }
        if numeric.second > 12 { return .monthFirst }
        return nil
    }

    /// Whether a cell is a numeric, non-ISO date (its order must be decided for the file).
    public static func isNumeric(_ cell: String) -> Bool {
        splitNumeric(cell.trimmingCharacters(in: .whitespaces)) != nil
    }

    struct Numeric {
        let first: Int
        let second: Int
        let year: Int
        let hour: Int
        let minute: Int
        let seconds: Int
    }

    static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// `A-B-YYYY`, `A/B/YYYY` or `A.B.YYYY`, then optionally ` H:MM[:SS]` and ` AM`/` PM`.
    static func splitNumeric(_ text: String) -> Numeric? {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let datePart = parts.first else { return nil }
        let pieces = datePart.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard pieces.count == 3, pieces[0].count <= 2, pieces[1].count <= 2, pieces[2].count == 4,
            let a = digits(pieces[0]), let b = digits(pieces[1]), let year = digits(pieces[2])
        else { return nil }
        var clock = (0, 0, 0)
        if parts.count == 2 {
            guard let time = readClock(parts[1]) else { return nil }
            clock = time
        }
        return Numeric(first: a, second: b, year: year, hour: clock.0, minute: clock.1, seconds: clock.2)
    }

    /// `H:MM[:SS][.fff]` with an optional ` AM`/` PM`.
    static func readClock(_ text: Substring) -> (Int, Int, Int)? {
        var body = text.trimmingCharacters(in: .whitespaces)
        var meridiem: String?
        for suffix in ["AM", "PM", "am", "pm"] where body.hasSuffix(suffix) {
            meridiem = suffix.uppercased()
            body = String(body.dropLast(2)).trimmingCharacters(in: .whitespaces)
        }
        if let dot = body.firstIndex(of: ".") { body = String(body[..<dot]) }
        let fields = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), let h = digits(fields[0]), fields[0].count <= 2, fields[1].count == 2,
            let m = digits(fields[1])
        else { return nil }
        let s = fields.count == 3 ? (fields[2].count == 2 ? digits(fields[2]) : nil) : 0
        guard let s, m < 60, s < 60 else { return nil }
        var hour = h
        if let meridiem {
            guard (1...12).contains(h) else { return nil }
            hour = h % 12 + (meridiem == "PM" ? 12 : 0)
        }
        guard hour < 24 else { return nil }
        return (hour, m, s)
    }

    /// `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS[.fff]]`, and `Z` or `±HH[:]MM`.
    static func readISO(_ text: String) -> ExportTime? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 10, let day = LocalDate(iso: String(decoding: utf8[0..<10], as: UTF8.self)) else { return nil }
        if utf8.count == 10 { return ExportTime(day: day) }
        guard utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " ") else { return nil }
        var rest = String(decoding: utf8[11...], as: UTF8.self)
        // The offset is dropped: the time is read as the local time written.
        if rest.hasSuffix("Z") { rest.removeLast() }
        if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = rest[rest.index(after: sign)...].replacingOccurrences(of: ":", with: "")
            guard offset.count == 4 || offset.count == 2, offset.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            rest = String(rest[..<sign])
        }
        guard let clock = readClock(Substring(rest)), !rest.contains(where: { $0 == "A" || $0 == "P" }) else { return nil }
        return ExportTime(day: day, hour: clock.0, minute: clock.1, second: clock.2)
    }

    /// The directives `read(_:format:)` knows.
    static let directives: Set<Character> = ["Y", "y", "m", "d", "H", "I", "M", "S", "p", "%"]

    /// Why a `date_format` cannot read dates (an unknown directive, or no year, month or day);
    /// nil when it can.
    public static func problem(format: String) -> String? {
        var seen: Set<Character> = []
        var rest = Substring(format)
        while let c = rest.first {
            rest = rest.dropFirst()
            guard c == "%" else { continue }
            guard let directive = rest.first, directives.contains(directive) else {
                let shown = rest.first.map { "%\($0)" } ?? "a lone %"
                return "\(shown) is not a directive sla reads (it reads %Y %y %m %d %H %I %M %S %p %%)"
            }
            seen.insert(directive)
            rest = rest.dropFirst()
        }
        guard seen.contains("Y") || seen.contains("y"), seen.contains("m"), seen.contains("d") else {
            return "needs a year (%Y or %y), a month (%m) and a day (%d)"
        }
        if format.hasPrefix("%Y-%d-%m") {
            // A cell such as 2027-05-03 is ISO (3 May), which is always read as ISO.
            return "reads dates shaped like ISO dates day first; ISO dates (YYYY-MM-DD) are always read as ISO"
        }
        return nil
    }

    /// A strftime pattern with %Y %y %m %d %H %I %M %S %p and literal characters; a value that
    /// stops after the date part means 00:00.
    static func read(_ text: String, format: String) -> ExportTime? {
        var input = Substring(text)
        var year: Int?
        var month: Int?
        var day: Int?
        var hour = 0
        var minute = 0
        var second = 0
        var pm: Bool?
        var pattern = Substring(format)
        func number(_ width: Int) -> Int? {
            let run = input.prefix(width).prefix(while: { $0.isASCII && $0.isNumber })
            guard !run.isEmpty else { return nil }
            input = input.dropFirst(run.count)
            return Int(run)
        }
        while let c = pattern.first {
            pattern = pattern.dropFirst()
            if input.isEmpty, year != nil, month != nil, day != nil { break }
            if c == "%" {
                guard let directive = pattern.first else { return nil }
                pattern = pattern.dropFirst()
                switch directive {
                case "Y": year = number(4)
                case "y": year = number(2).map { 2000 + $0 }
                case "m": month = number(2)
                case "d": day = number(2)
                case "H":
                    guard let v = number(2) else { return nil }
                    hour = v
                case "I":
                    guard let v = number(2) else { return nil }
                    hour = v
                case "M":
                    guard let v = number(2) else { return nil }
                    minute = v
                case "S":
                    guard let v = number(2) else { return nil }
                    second = v
                case "p":
                    let word = input.prefix(2).uppercased()
                    guard word == "AM" || word == "PM" else { return nil }
                    pm = word == "PM"
                    input = input.dropFirst(2)
                case "%":
                    guard input.first == "%" else { return nil }
                    input = input.dropFirst()
                default: return nil
                }
            } else {
                guard input.first == c else { return nil }
                input = input.dropFirst()
            }
        }
        guard input.isEmpty, let year, let month, let day, let date = LocalDate(year: year, month: month, day: day) else { return nil }
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        return ExportTime(day: date, hour: hour, minute: minute, second: second)
    }
}

/// Working hours for response times: Monday to Friday, from `start` to `end` o'clock.
public struct BusinessHours: Sendable, Equatable {
    public let start: Int
    public let end: Int

    /// `8-16`: whole hours, start before end, within 0…24.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]), 0 <= start, start < end, end <= 24 else {
            return nil
        }
        self.start = start
        self.end = end
    }

    /// Weekday working hours between two times (0 when `to` is not after `from`). Days are
    /// walked one by one, at most ten years of them.
    public func hours(from: ExportTime, to: ExportTime) -> Double {
        guard to > from else { return 0 }
        var total: Int64 = 0
        var day = from.day.dayNumber
        let last = min(to.day.dayNumber, day + 3660)
        while day <= last {
            // 1970-01-01 was a Thursday: Monday is 0.
            let weekday = ((day + 3) % 7 + 7) % 7
            if weekday < 5 {
                let open = Int64(day) * 86_400 + Int64(start) * 3600
                let close = Int64(day) * 86_400 + Int64(end) * 3600
                let overlap = min(close, to.seconds) - max(open, from.seconds)
                if overlap > 0 { total += overlap }
            }
            day += 1
        }
        return Double(total) / 3600
    }

    public var description: String { "Monday–Friday \(start):00–\(end):00" }
}
