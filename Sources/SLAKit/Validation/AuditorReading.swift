import Foundation

/// What the auditor's stock-tools script in the README reads from a version file: its `awk`
/// line takes, line by line (a CR before the LF dropped, quotes removed, a leading `- ` list
/// marker dropped), the second field of a line whose first is `principal:` as the principal, and
/// pairs the third field of a line `key: ssh-ed25519 …` with the principal read last. An
/// agreement is valid only when that reading gives exactly its signatories' principals and keys,
/// in order: a key written in a text block, a `key:` line before its `principal:`, or a signatory
/// in `{ }` on one line would make an auditor check other keys than `sla` does.
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

    /// Errors where the script's reading differs from the agreement's signatories.
    /// - Parameter positions: where each signatory's entry starts, in the same order.
    static func problems(_ data: Data, signatories: [Signatory], positions: [SourcePosition]) -> [(SourcePosition, String)] {
        let read = pairs(data)
        let rule =
            "the auditor's stock-tools check (README) reads every signatory's key from a line `key: ssh-ed25519 …` after its line `principal: …`, each on a line of its own; no other line may start with `key: ssh-ed25519`"
        for (index, pair) in read.enumerated() {
            guard index < signatories.count else {
                return [
                    (
                        SourcePosition(line: pair.line, column: 1),
                        "this line would give the auditor's check one more key (for '\(pair.principal)') than the agreement's signatories have; \(rule)"
                    )
                ]
            }
            let signatory = signatories[index]
            let blob = signatory.key.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            if pair.key != blob {
                return [
                    (
                        index < positions.count ? positions[index] : SourcePosition(line: pair.line, column: 1),
                        "the auditor's check cannot read the key of '\(signatory.principal)' written this way (it reads the key on line \(pair.line) in its place); \(rule) (not inside { })"
                    )
                ]
            }
            if pair.principal != signatory.principal {
                return [
                    (
                        SourcePosition(line: pair.line, column: 1),
                        "the auditor's check would read this key as \(pair.principal.isEmpty ? "belonging to no principal" : "that of '\(pair.principal)'") (the last line `principal:` before it), but it is the key of '\(signatory.principal)'; \(rule)"
                    )
                ]
            }
        }
        guard read.count < signatories.count else { return [] }
        let position = read.count < positions.count ? positions[read.count] : .start
        return [
            (
                position,
                "the auditor's check cannot read the key of '\(signatories[read.count].principal)' written this way; \(rule) (not inside { })"
            )
        ]
    }
}
