import Foundation
import Testing
@testable import SLAKit

@Suite("Numbers in agreements")
struct CharactersTests {
    @Test("decimals are read exactly, as Foundation reads them", arguments: [
        "0", "40", "2500000", "0.25", "1000000.5", "999999999999999.999999", "-1", "-0.000001", "007", "-0",
    ])
    func decimal(text: String) {
        #expect(Characters.decimal(text) == Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), "\(text)")
    }

    @Test("anything else is no number", arguments: [
        "", "-", "1.", ".5", "1.2.3", "1e3", "+1", " 1", "1 ", "1,5", "1234567890123456", "0.1234567", "١٢", "0x10",
    ])
    func notADecimal(text: String) {
        #expect(Characters.decimal(text) == nil, "\(text)")
    }
}
