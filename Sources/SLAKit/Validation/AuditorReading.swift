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
    /// and tab).
    static func pairs(_ data: Data) -> [Pair] {
        var pairs: [Pair] = []
        var principal = ""
        var number = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            line.removeAll { $0 == 0x22 || $0 == 0x27 }
            let fields = Self.fields(Self.droppingListMarker(line))
            guard let first = fields.first else { continue }
            if first == Array("principal:".utf8) {
                principal = fields.count > 1 ? String(decoding: fields[1], as: UTF8.self) : ""
            } else if first == Array("key:".utf8), fields.count > 1, fields[1] == Array("ssh-ed25519".utf8) {
                let key = fields.count > 2 ? String(decoding: fields[2], as: UTF8.self) : ""
                pairs.append(Pair(principal: principal, key: key, line: number))
            }
        }
        return pairs
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// `sub(/^[ \t]*-[ \t]+/, "")`.
    private static func droppingListMarker(_ line: [UInt8]) -> ArraySlice<UInt8> {
        var i = 0
        while i < line.count, isBlank(line[i]) { i += 1 }
        guard i + 1 < line.count, line[i] == 0x2D, isBlank(line[i + 1]) else { return line[...] }
        i += 1
        while i < line.count, isBlank(line[i]) { i += 1 }
        return line[i...]
    }

    private static func fields(_ line: ArraySlice<UInt8>) -> [[UInt8]] {
        line.split(whereSeparator: isBlank).map(Array.init)
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
