import Foundation
import GitKit
import Testing

@testable import SLAKit

/// The ledger cache's binary form: what is written is read back unchanged, whatever part of
/// it stays undecoded until asked for, and bytes that do not decode never count.
struct CacheCodingTests {
    private func id(_ n: Int) -> ObjectID {
        ObjectID(rawBytes: ArraySlice((0..<20).map { UInt8(truncatingIfNeeded: n &* 31 &+ $0) }))!
    }

    private func verdict(_ k: Int, counts: Bool = true) -> EntryVerdict {
        var verdict = EntryVerdict(
            entry: ActivationEntry(
                version: k, sha256: String(repeating: "ab", count: 32), activatedAt: LocalDate(year: 2027, month: 1, day: k)!,
                activatedBy: "olivia.ø@acme.dk", line: 4 * k - 3),
            index: k, commit: id(k), problem: counts ? nil : "v\(k) was not approved")
        verdict.validity = Validity(
            effectiveFrom: LocalDate(year: 2027, month: 2, day: k)!, renewalsPerYear: 2, reviewer: "Lars Ånd", remindDaysBefore: [30, 7, 1])
        return verdict
    }

    private func state(entries count: Int) -> AgreementState {
        var state = AgreementState()
        state.entries = EntryList((0..<count).map { verdict($0 + 1, counts: ($0 + 1) % 3 != 0) })
        state.files.versions = Dictionary(uniqueKeysWithValues: (1...3).map { ($0, id(100 + $0)) })
        state.versionCommits = [1: id(7), 2: id(8)]
        state.files.signatures = [1: ["mette@acme.dk.sig": id(9)]]
        return state
    }

    @Test(
        "entries round-trip through the cache, before and after the last ones, with or without appending", arguments: [0, 1, 3, 4, 5, 12])
    func entriesRoundTrip(count: Int) throws {
        let original = state(entries: count)
        let decoded = try #require(AgreementState(cacheBytes: original.cacheBytes))
        #expect(decoded == original)
        #expect(Array(decoded.entries) == Array(original.entries))
        #expect(decoded.versionCommits == original.versionCommits)
        #expect(decoded.files.signatures == original.files.signatures)
        #expect(decoded.lastCounted == original.lastCounted)
        // The last entries read first, then the earlier ones: the same values either way.
        #expect(Array(decoded.entries.reversed()) == Array(original.entries.reversed()))
        // A decoded state that gains an entry is written and read again whole.
        var grown = decoded
        grown.entries.append(verdict(count + 1))
        let again = try #require(AgreementState(cacheBytes: grown.cacheBytes))
        #expect(Array(again.entries) == Array(original.entries) + [verdict(count + 1)])
        // Replacing an early entry (a merge's verdict) reads the rest and keeps it.
        if count > 0 {
            var replaced = try #require(AgreementState(cacheBytes: original.cacheBytes))
            replaced.entries[0] = verdict(1, counts: false)
            #expect(replaced.entries[0].counts == false)
            #expect(Array(replaced.entries.dropFirst()) == Array(original.entries.dropFirst()))
        }
    }

    @Test("earlier entries whose bytes do not decode stand as entries that do not count")
    func undecodableEarlierEntries() throws {
        let original = state(entries: 9)
        var writer = CacheWriter()
        original.entries.write(to: &writer)
        var bytes = writer.bytes
        // The block of the earlier five starts after the split (one byte) and its length; make
        // its count claim more entries than it holds.
        #expect(original.entries.count - EntryList.eager == 5)
        let block = EntryBlock(entries: Array(original.entries[..<5])).cacheBytes
        let start = 1 + (block.count < 128 ? 1 : 2)
        #expect(bytes[start] == 5)
        bytes[start] = 0x7F
        let list = try #require(CacheReader.read(Data(bytes)) { EntryList.read(from: &$0) })
        #expect(list.count == 9)
        for k in 0..<5 {
            #expect(!list[k].counts)
            #expect(list[k].problem?.contains("ledger cache could not be read") == true)
        }
        #expect(Array(list[5...]) == Array(original.entries[5...]))
    }

    @Test("strings: ASCII, other UTF-8, and bytes that are not UTF-8")
    func strings() {
        for text in ["", "agr-001", "Søren Ærø", String(repeating: "é", count: 300)] {
            var writer = CacheWriter()
            writer.string(text)
            #expect(CacheReader.read(Data(writer.bytes)) { $0.string() } == text)
        }
        // A 4-byte sequence cut to 3: decoding would repair it into as many bytes; refused.
        #expect(CacheReader.read(Data([3, 0xF0, 0x9F, 0x98])) { $0.string() } == nil)
        #expect(CacheReader.read(Data([2, 0xFF, 0x41])) { $0.string() } == nil)
        // A length beyond the bytes left.
        #expect(CacheReader.read(Data([9, 0x41])) { $0.string() } == nil)
    }

    @Test("object ids read in place equal those read from a copy")
    func objectIDs() {
        let bytes = (0..<20).map { UInt8($0 * 13 % 256) }
        let copied = ObjectID(rawBytes: ArraySlice(bytes))
        let inPlace = bytes.withUnsafeBytes { ObjectID(rawBytes: $0) }
        #expect(copied != nil && copied == inPlace)
        #expect(copied?.hex == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Array(repeating: UInt8(0), count: 19).withUnsafeBytes { ObjectID(rawBytes: $0) } == nil)
    }
}
