import Foundation

/// One all-day event of `sla calendar`: a renewal meeting or a version taking effect.
public struct CalendarEvent: Sendable, Equatable {
    /// Stable across runs: the same agreement, version and kind give the same UID.
    public let uid: String
    public let date: LocalDate
    public let summary: String
    public let description: String
    public let organizer: Person
    public let attendees: [Person]
    /// One alarm per lead time, in days before the event.
    public let alarmDaysBefore: [Int]
    /// DTSTAMP: when the fact behind it was committed (the activation's commit), in UTC.
    public let stamp: Date
}

/// RFC 5545 text: CRLF line ends, lines folded at 75 octets (never inside a UTF-8
/// character), TEXT values escaped, all-day events as `DTSTART;VALUE=DATE`.
public enum ICalendar {
    public static func document(_ events: [CalendarEvent], name: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sla//Service Level Agreements//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + text(name),
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + text(event.uid),
                "DTSTAMP:" + timestamp(event.stamp),
                "DTSTART;VALUE=DATE:" + compact(event.date),
                "DTEND;VALUE=DATE:" + compact(event.date.adding(days: 1)),
                "SUMMARY:" + text(event.summary),
                "DESCRIPTION:" + text(event.description),
                "TRANSP:TRANSPARENT",
            ]
            if let organizer = address(event.organizer) {
                lines.append("ORGANIZER;CN=\(parameter(event.organizer.name)):\(organizer)")
            }
            var seen: Set<String> = []
            for person in event.attendees where seen.insert(person.principal).inserted {
                guard let uri = address(person) else { continue }
                let role = person.principal == event.organizer.principal ? "CHAIR" : "REQ-PARTICIPANT"
                lines.append("ATTENDEE;CN=\(parameter(person.name));ROLE=\(role);PARTSTAT=NEEDS-ACTION:\(uri)")
            }
            for days in event.alarmDaysBefore.sorted(by: >) {
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + text(event.summary), "TRIGGER:-P\(days)D", "END:VALARM"]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined()
    }

    /// A TEXT value: backslash, semicolon, comma and line breaks escaped; other control
    /// characters dropped.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value: quoted when it holds `:`, `;` or `,`; a double quote (never allowed
    /// inside one) becomes a single quote.
    static func parameter(_ value: String) -> String {
        // By scalar: a `"` or `:` followed by a combining mark is one Character, which a
        // comparison by Character would pass over, and a calendar reader would not.
        let clean = String.UnicodeScalarView(
            value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map { $0 == "\"" ? "'" : $0 })
        return clean.contains(where: { ":;,".unicodeScalars.contains($0) }) ? "\"\(String(clean))\"" : String(clean)
    }

    /// `mailto:` for a principal that is an e-mail address; nil for any other (not an address).
    static func address(_ person: Person) -> String? {
        person.principal.contains("@") ? "mailto:" + person.principal : nil
    }

    /// A content line cut into 75-octet pieces, each continuation starting with one space.
    static func fold(_ line: String) -> String {
        var out = ""
        var piece = ""
        var octets = 0
        for character in line.unicodeScalars {
            let size = String(character).utf8.count
            if octets + size > 75 {
                out += piece + "\r\n"
                piece = " "
                octets = 1
            }
            piece.unicodeScalars.append(character)
            octets += size
        }
        return out + piece + "\r\n"
    }

    static func compact(_ date: LocalDate) -> String { date.iso.replacingOccurrences(of: "-", with: "") }

    static func timestamp(_ date: Date) -> String {
        let seconds = LocalDate.unixSeconds(date.timeIntervalSince1970)
        let day = LocalDate(unixSeconds: seconds)
        let rest = seconds - day.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return compact(day) + "T" + two(rest / 3600) + two(rest / 60 % 60) + two(rest % 60) + "Z"
    }
}
