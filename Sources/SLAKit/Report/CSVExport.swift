import CSV
import Foundation

/// One data row of a CRM export, with the line it starts on (line 1 is the header; every line
/// break counts, inside quoted fields too).
struct ExportRow {
    let line: Int
    let fields: [String]
}

/// A CRM export read as a stream: CSV.swift parses it from an `InputStream` (quoting, CR, LF
/// and CRLF line ends), so a 100 MB export never sits in memory. The delimiter (`,` or `;`,
/// as Danish Excel writes it) is found in the header line unless given; a UTF-8 byte-order
/// mark is skipped; any other encoding is refused naming the file.
final class CSVExport {
    /// The file as the user named it (messages and `skipped_rows` use it).
    let name: String
    let header: [String]
    let delimiter: Character
    private let path: String
    private let reader: CSVReader
    private var nextLine: Int

    init(path: String, name: String, delimiter given: Character?) throws {
        self.name = name
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SLAError("\(name) is a directory, not a CSV export", kind: .badInput)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SLAError("cannot read \(name): no such file, or not readable", kind: .notFound)
        }
        // An export is read more than once (its columns, its date order, its rows): a pipe,
        // which can be read once only, is copied to a file by the command line first.
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            try? handle.close()
            throw SLAError("\(name) is not a regular file; name the export file itself", kind: .badInput)
        }
        let start = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        try? handle.close()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = start.starts(with: bom) ? start.dropFirst(3) : start[...]
        if start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF]) {
            throw SLAError("\(name) is not UTF-8 (it starts with a UTF-16 byte-order mark); export it as UTF-8 CSV", kind: .badInput)
        }
        let chosen = given ?? Self.sniffDelimiter(text)
        delimiter = chosen
        self.path = path
        guard let stream = InputStream(fileAtPath: path), let scalar = chosen.unicodeScalars.first else {
            throw SLAError("cannot read \(name)", kind: .notFound)
        }
        do {
            reader = try CSVReader(stream: stream, codecType: UTF8.self, hasHeaderRow: false, delimiter: scalar)
        } catch {
            throw SLAError("cannot read \(name): \(error)", kind: .badInput)
        }
        nextLine = 1
        guard let first = reader.next() else {
            try Self.check(reader, name, line: 1)
            throw SLAError("\(name) is empty: expected a header line with the column names", kind: .badInput)
        }
        try Self.check(reader, name, line: 1)
        nextLine += Self.lineBreaks(in: first)
        // CSV.swift leaves a UTF-8 byte-order mark in the first field.
        var names = first
        if let head = names.first, head.hasPrefix("\u{FEFF}") { names[0] = String(head.dropFirst()) }
        header = names.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The next data row, or nil at the end of the file.
    func next() throws -> ExportRow? {
        guard let fields = reader.next() else {
            try Self.check(reader, name, line: nextLine)
            return nil
        }
        try Self.check(reader, name, line: nextLine)
        let row = ExportRow(line: nextLine, fields: fields)
        nextLine += Self.lineBreaks(in: fields)
        return row
    }

    /// CSV.swift reports through `error`: bytes that are not UTF-8, or a failed read. (Reaching
    /// the end of a file stream also sets `cannotReadFile`; that is the end, not a fault.)
    static func check(_ reader: CSVReader, _ name: String, line: Int) throws {
        switch reader.error {
        case CSVError.unicodeDecoding?:
            throw SLAError("\(name) is not UTF-8 text (from line \(line)); export it as UTF-8 CSV", kind: .badInput)
        case CSVError.streamErrorHasOccurred(let error)?:
            throw SLAError("cannot read \(name) (at line \(line)): \(error)", kind: .badInput)
        default:
            return
        }
    }

    /// 1 for the row's own end, plus every line break inside its fields (CRLF counts once).
    static func lineBreaks(in fields: [String]) -> Int {
        var count = 1
        for field in fields where field.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            var previousCR = false
            for byte in field.utf8 {
                if byte == 0x0D || (byte == 0x0A && !previousCR) { count += 1 }
                previousCR = byte == 0x0D
            }
        }
        return count
    }

    /// Refuses the file, naming the line, when it holds a quote `strayQuoteLine` finds. Read
    /// once per report, before anything is counted (`ExportCounter.checkColumns`).
    func checkQuotes() throws {
        guard let scalar = delimiter.unicodeScalars.first, scalar.isASCII,
            let line = Self.strayQuoteLine(InputStream(fileAtPath: path), delimiter: UInt8(scalar.value))
        else { return }
        throw SLAError(
            "\(name):\(line): a quote that CSV does not allow there (text after a closing quote, a quote inside a field that does not start with one, or a quote never closed); the rows after it cannot be told apart. Fix that line of the export",
            kind: .badInput)
    }

    /// The line of the first quote RFC 4180 does not allow: text after a closing quote
    /// (`"Acme" Nordic`), a quote inside a field that does not start with one, or a quote never
    /// closed (its line). CSV.swift reads on past such a quote and joins rows, so the counts
    /// would silently be wrong. Line 1 is the header; CRLF is one line break.
    static func strayQuoteLine(_ stream: InputStream?, delimiter: UInt8) -> Int? {
        guard let stream else { return nil }
        stream.open()
        defer { stream.close() }
        let quote = UInt8(ascii: "\"")
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        var line = 1
        var opened = 1
        var inQuotes = false
        var closing = false
        var fieldStart = true
        var previousCR = false
        var first = true
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = stream.read(&buffer, maxLength: buffer.count)
            guard count > 0 else { break }
            var index = 0
            if first {
                first = false
                if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
            }
            while index < count {
                let byte = buffer[index]
                index += 1
                if byte == lf && !previousCR || byte == cr { line += 1 }
                previousCR = byte == cr
                if closing {
                    closing = false
                    if byte == quote { continue }  // "" inside quotes: one quote
                    inQuotes = false
                    guard byte == delimiter || byte == cr || byte == lf else { return line }
                }
                if inQuotes {
                    if byte == quote { closing = true }
                    continue
                }
                switch byte {
                case quote:
                    guard fieldStart else { return line }
                    inQuotes = true
                    opened = line
                    fieldStart = false
                case delimiter, cr, lf: fieldStart = true
                default: fieldStart = false
                }
            }
        }
        return inQuotes && !closing ? opened : nil
    }

    /// `;` when the header line has more semicolons than commas outside quotes, else `,`.
    static func sniffDelimiter(_ start: Data.SubSequence) -> Character {
        var quoted = false
        var commas = 0
        var semicolons = 0
        for byte in start {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ","): if !quoted { commas += 1 }
            case UInt8(ascii: ";"): if !quoted { semicolons += 1 }
            case 0x0A, 0x0D: if !quoted { return semicolons > commas ? ";" : "," }
            default: continue
            }
        }
        return semicolons > commas ? ";" : ","
    }
}
