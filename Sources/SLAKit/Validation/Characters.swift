import Foundation

/// Byte-level checks for the few fixed shapes the format has. Regex literals are rebuilt on
/// every call and cost more than the signature checks they guard (measured by sla-bench).
enum Characters {
    static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    static func isLowerHex(_ b: UInt8) -> Bool { isDigit(b) || (0x61...0x66).contains(b) }
    static func isLower(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) }
    static func isLetter(_ b: UInt8) -> Bool { isLower(b) || (0x41...0x5A).contains(b) }

    /// `[a-z0-9][a-z0-9-]{0,62}`
    static func isID(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...63).contains(bytes.count), let first = bytes.first, isLower(first) || isDigit(first) else { return false }
        return bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// `[A-Za-z0-9._+@-]{1,128}`
    static func isPrincipalText(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || ".-_+@".utf8.contains($0) }
    }

    /// Ends in `.` and 16 lower-case hex digits.
    static func endsLikeFingerprint(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes[bytes.count - 17] == UInt8(ascii: ".") else { return false }
        return bytes.suffix(16).allSatisfy(isLowerHex)
    }

    /// Exactly `count` lower-case hex digits.
    static func isLowerHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy(isLowerHex)
    }

    /// Digits and fixed separators, e.g. "dddd-dd-dd" where d is a digit.
    static func matches(_ text: String, shape: String) -> Bool {
        let bytes = Array(text.utf8)
        let pattern = Array(shape.utf8)
        guard bytes.count == pattern.count else { return false }
        return zip(bytes, pattern).allSatisfy { b, p in p == UInt8(ascii: "d") ? isDigit(b) : b == p }
    }

    /// RFC 3339's `date-time` in UTC, by its shape: `YYYY-MM-DDTHH:MM:SS`, `T` or `t`, an
    /// optional fraction of a second (at most 9 digits), then `Z`, `z`, `+00:00` or `-00:00`
    /// (UTC, its local offset unknown). The values are not judged: `signed_at` is informational.
    static func isRFC3339UTC(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 35 else { return false }
        let date = String(decoding: bytes[0..<10], as: UTF8.self)
        let time = String(decoding: bytes[11..<19], as: UTF8.self)
        guard matches(date, shape: "dddd-dd-dd"), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            matches(time, shape: "dd:dd:dd")
        else { return false }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix(while: isDigit)
            guard (1...9).contains(digits.count) else { return false }
            rest = rest.dropFirst(1 + digits.count)
        }
        return ["Z", "z", "+00:00", "-00:00"].contains(String(decoding: rest, as: UTF8.self))
    }

    /// `-?[0-9]{1,15}(\.[0-9]{1,6})?` as an exact Decimal; nil for anything else. Built from
    /// the digits (no locale, no regex: version files are decoded by the thousand in `verify`).
    static func decimal(_ text: String) -> Decimal? {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(dot ?? bytes.endIndex)]
        let fraction = dot.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        guard (1...15).contains(whole.count), whole.allSatisfy(isDigit),
            dot == nil || (1...6).contains(fraction.count), fraction.allSatisfy(isDigit)
        else { return nil }
        // At most 15 and 6 digits: each part fits a UInt64 on its own.
        var integer: UInt64 = 0
        var decimals: UInt64 = 0
        for digit in whole { integer = integer * 10 + UInt64(digit - 0x30) }
        for digit in fraction { decimals = decimals * 10 + UInt64(digit - 0x30) }
        let magnitude = Decimal(integer) + Decimal(sign: .plus, exponent: -fraction.count, significand: Decimal(decimals))
        return negative && magnitude != 0 ? -magnitude : magnitude
    }

    /// `-?[0-9]{1,maxDigits}`
    static func isInteger(_ text: String, maxDigits: Int) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        return (1...maxDigits).contains(bytes.count) && bytes.allSatisfy(isDigit)
    }
}
