import Foundation
import Testing

@testable import SLAKit

@Suite("Numbers in agreements")
struct CharactersTests {
    @Test(
        "decimals are read exactly, as Foundation reads them",
        arguments: [
            "0", "40", "2500000", "0.25", "1000000.5", "999999999999999.999999", "-1", "-0.000001", "007", "-0",
        ])
    func decimal(text: String) {
        #expect(Characters.decimal(text) == Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), "\(text)")
    }

    @Test(
        "anything else is no number",
        arguments: [
            "", "-", "1.", ".5", "1.2.3", "1e3", "+1", " 1", "1 ", "1,5", "1234567890123456", "0.1234567", "١٢", "0x10",
        ])
    func notADecimal(text: String) {
        #expect(Characters.decimal(text) == nil, "\(text)")
    }
}

@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test(
        "whole seconds in UTC, as ISO8601DateFormatter writes them",
        arguments: [0.0, 1_796_000_000, 1_796_000_000.9, 951_782_400, 4_102_444_799])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(RFC3339.string(date) == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
    }
}
