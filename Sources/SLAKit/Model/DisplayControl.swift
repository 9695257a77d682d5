/// Characters that change how a terminal shows text instead of being shown: C0 controls (but
/// tab and line feed), DEL, C1 controls, the line and paragraph separators, and the marks,
/// embeddings, overrides and isolates of bidirectional text. An agreement's texts may not hold
/// them (a signatory reading `sla diff` must see what is there, not what an escape sequence or
/// a right-to-left override paints over it), and what `sla` prints shows any that come from
/// elsewhere (a file name in a commit, an author, a cell of a CSV export) as an escape.
public enum DisplayControl {
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// A byte that is, or may start, a control in UTF-8.
    static func mayStartControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2
    }

    /// The first control in UTF-8 bytes, decoding them only when a byte could start one.
    public static func firstControl(in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard bytes.contains(where: mayStartControl) else { return nil }
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.first(where: isControl)
    }

    /// Whether UTF-8 `bytes` hold a control other than a CR before a LF, read byte by byte (the
    /// common case, a page or a table without one, allocates nothing).
    static func needsEscaping(_ bytes: some Collection<UInt8>) -> Bool {
        var (before, last): (UInt8, UInt8) = (0, 0)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            let next = bytes.index(after: index)
            switch byte {
            case 0x09, 0x0A: break
            case 0x0D: if next == bytes.endIndex || bytes[next] != 0x0A { return true }
            case 0x00..<0x20, 0x7F: return true
            case 0x80...0xBF:
                // The last byte of a two- or three-byte sequence.
                switch (before, last, byte) {
                case (_, 0xC2, 0x80...0x9F), (_, 0xD8, 0x9C): return true
                case (0xE2, 0x80, 0x8E), (0xE2, 0x80, 0x8F), (0xE2, 0x80, 0xA8...0xAE), (0xE2, 0x81, 0xA6...0xA9): return true
                default: break
                }
            default: break
            }
            (before, last) = (last, byte)
            index = next
        }
        return false
    }

    /// `text` with every control but a line break written as `\x1B` or `\u202E`; a CR stays
    /// before a LF (a CRLF file shown as it is).
    public static func visible(_ text: String) -> String {
        guard needsEscaping(text.utf8) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if isControl(scalar), !(scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n") {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let escaped = scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u" + hex
                out.append(contentsOf: escaped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
