import Foundation

/// What the auditor's stock-tools script in the README reads from a version file: its `awk`
/// line takes, line by line (a CR before the LF dropped, quotes removed, a leading `- ` list
/// marker dropped), the second field of a line whose first is `principal:` as the principal, and
/// pairs the third field of a line `key: ssh-ed25519 …` with the principal read last. An
/// agreement is valid only when every pair that reading gives is a signatory's principal and
/// key: a key written in a text block, or a `key:` line before its `principal:`, would make an
/// auditor accept a signature by a key the agreement does not list for that principal.
enum AuditorReading {
    struct Pair: Equatable {
        let principal: String
        /// The key's base64 blob.
        let key: String
        let line: Int
    }

    /// The pairs the script reads, in file order (bytes, as awk splits them: blanks are space
    /// and tab). One pass without copying: only a line whose first field is `principal:` or
    /// `key:` is read further.
    static func pairs(_ data: Data) -> [Pair] {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Pair] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var pairs: [Pair] = []
            var principal = ""
            var number = 0
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                number += 1
                var line = Line(bytes: bytes, index: start, end: end)
                if end > start, bytes[end - 1] == 0x0D { line.end -= 1 }
                line.dropListMarker()
                let first = line.field(upTo: 10)
                if first == principalField {
                    principal = String(decoding: line.field(upTo: .max), as: UTF8.self)
                } else if first == keyField, line.field(upTo: 11) == keyType {
                    pairs.append(Pair(principal: principal, key: String(decoding: line.field(upTo: .max), as: UTF8.self), line: number))
                }
                start = end + 1
            }
            return pairs
        }
    }

    private static let principalField = Array("principal:".utf8)
    private static let keyField = Array("key:".utf8)
    private static let keyType = Array("ssh-ed25519".utf8)

    /// One line as the script's awk sees it once quotes are removed: its fields, read in turn.
    private struct Line {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        var end: Int

        private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        private static func isQuote(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 }

        /// The next byte that is not a quote, without taking it.
        private mutating func peek() -> UInt8? {
            while index < end, Self.isQuote(bytes[index]) { index += 1 }
            return index < end ? bytes[index] : nil
        }

        private mutating func skipBlanks() {
            while let byte = peek(), Self.isBlank(byte) { index += 1 }
        }

        /// `sub(/^[ \t]*-[ \t]+/, "")`, at the start of the line.
        mutating func dropListMarker() {
            let saved = index
            skipBlanks()
            guard peek() == 0x2D else {
                index = saved
                return
            }
            index += 1
            guard let next = peek(), Self.isBlank(next) else {
                index = saved
                return
            }
        }

        /// The next field; empty when there is none, or when it is longer than `limit` bytes
        /// (then not one the caller looks for).
        mutating func field(upTo limit: Int) -> [UInt8] {
            skipBlanks()
            var field: [UInt8] = []
            while let byte = peek(), !Self.isBlank(byte) {
                if field.count == limit { return [] }
                field.append(byte)
                index += 1
            }
            return field
        }
    }

    /// Errors where the script would read a key for a principal the agreement does not list it
    /// for: an auditor would then accept a signature `sla` refuses. A signatory the script
    /// cannot read at all (written in `{ }` on one line) is no error: the script then reports
    /// that signatory's signatures as failing, never a forgery as passing.
    static func problems(_ data: Data, signatories: [Signatory]) -> [(SourcePosition, String)] {
        var listed: [String: Set<String>] = [:]
        for signatory in signatories {
            let blob = signatory.key.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            listed[signatory.principal, default: []].insert(blob)
        }
        for pair in pairs(data) where listed[pair.principal]?.contains(pair.key) != true {
            let whose = pair.principal.isEmpty ? "no principal" : "'\(pair.principal)'"
            return [
                (
                    SourcePosition(line: pair.line, column: 1),
                    "the auditor's stock-tools check (README) would read this key as that of \(whose) (the last line `principal:` before it), which the agreement does not list for \(whose); write each signatory's `principal:` line before its `key:` line, and start no other line with `key: ssh-ed25519`"
                )
            ]
        }
        return []
    }
}
