import Foundation

/// A row `sla report` could not use, reported by line (DESIGN.md, "Report").
public struct SkippedRow: Sendable, Equatable {
    public let file: String
    public let line: Int
    public let reason: String
}

/// One SQL of the period: when it became one, and the first sales engagement (if any).
struct SQLContact {
    let recordID: String
    let owner: String
    let sqlAt: ExportTime
    let engagedAt: ExportTime?
    let converted: Bool
    let timesContacted: Int?
}

/// What the exports hold, counted in one streaming pass per file: per-day counts of each
/// stage (all days, so that a month before the period can be compared), the period's SQLs,
/// the MQL cohort, and closed deals. Memory grows with days and SQLs, never with rows.
struct ExportCounts {
    var perDay: [GoalMetric: [Int: Int]] = [:]
    var revenuePerDay: [Int: Decimal] = [:]
    var sqls: [SQLContact] = []
    var leadsInPeriod = 0
    var leadsInPeriodReachingMQL = 0
    var mqlsInPeriod = 0
    var mqlsInPeriodReachingSQL = 0
    var hasCustomerDates = false
    var won = 0
    var lost = 0
    var skipped: [SkippedRow] = []
    var hasDeals = false
    var hasTimesContacted = false

    func count(_ metric: GoalMetric, from: LocalDate, through: LocalDate) -> Int {
        guard from <= through, let days = perDay[metric] else { return 0 }
        let range = from.dayNumber...through.dayNumber
        if range.count < days.count { return range.reduce(0) { $0 + (days[$1] ?? 0) } }
        return days.reduce(0) { range.contains($1.key) ? $0 + $1.value : $0 }
    }

    func revenue(from: LocalDate, through: LocalDate) -> Decimal {
        guard from <= through else { return 0 }
        let range = from.dayNumber...through.dayNumber
        return revenuePerDay.reduce(Decimal(0)) { range.contains($1.key) ? $0 + $1.value : $0 }
    }

    mutating func add(_ metric: GoalMetric, _ day: LocalDate) {
        perDay[metric, default: [:]][day.dayNumber, default: 0] += 1
    }
}

/// Reads the exports the mapping describes and counts them for a period.
struct ExportCounter {
    let mapping: ColumnMapping
    let from: LocalDate
    let to: LocalDate

    func inPeriod(_ time: ExportTime) -> Bool { time.day >= from && time.day <= to }

    /// What `export` lacks of `needed`, each column named with the mapping key that renames it;
    /// nil when nothing is missing.
    static func missing(_ needed: [ColumnMapping.Column], in export: CSVExport, mapping: ColumnMapping) -> String? {
        let missing = needed.filter { !export.header.contains(mapping.header($0)) }
        guard !missing.isEmpty else { return nil }
        return "\(export.name) lacks the column\(missing.count == 1 ? "" : "s") "
            + missing.map { "'\(mapping.header($0))' (mapping key columns.\($0.rawValue))" }.joined(separator: ", ")
    }

    static let mappingAdvice = "; name the export's header for each in a --mapping file"

    /// The index of each needed column; throws naming every missing one.
    static func requireColumns(_ needed: [ColumnMapping.Column], in export: CSVExport, mapping: ColumnMapping) throws -> [ColumnMapping
        .Column: Int]
    {
        if let problem = missing(needed, in: export, mapping: mapping) { throw SLAError(problem + mappingAdvice, kind: .badInput) }
        return Dictionary(uniqueKeysWithValues: needed.map { ($0, export.header.firstIndex(of: mapping.header($0))!) })
    }

    /// The columns each figure needs (DESIGN.md): the customer date only without deals.
    static func neededContactColumns(withDeals: Bool) -> [ColumnMapping.Column] {
        [.recordID, .leadDate, .mqlDate, .sqlDate] + (withDeals ? [] : [.customerDate]) + [.firstEngagement]
    }

    static let neededDealColumns: [ColumnMapping.Column] = [.dealID, .dealStage, .amount, .closeDate]

    /// Every column missing from either export, named with its mapping key, in one refusal,
    /// before anything is counted; then each file's quotes, once.
    static func checkColumns(_ exports: ReportExports, mapping: ColumnMapping) throws {
        var files = [(exports.contacts, neededContactColumns(withDeals: exports.deals != nil))]
        if let deals = exports.deals { files.append((deals, neededDealColumns)) }
        let opened = try files.map { file, needed in
            (try CSVExport(path: file.path, name: file.name, delimiter: mapping.delimiter), needed)
        }
        let problems = opened.compactMap { export, needed in missing(needed, in: export, mapping: mapping) }
        guard problems.isEmpty else { throw SLAError(problems.joined(separator: "; ") + mappingAdvice, kind: .badInput) }
        for (export, _) in opened { try export.checkQuotes() }
    }

    /// The day order of a file's numeric dates, decided from every date cell (DESIGN.md).
    static func dateReader(path: String, name: String, mapping: ColumnMapping) throws -> ExportDateReader {
        if let format = mapping.dateFormat { return ExportDateReader(order: nil, format: format) }
        let export = try CSVExport(path: path, name: name, delimiter: mapping.delimiter)
        var numeric = false
        var seen: Set<DateOrder> = []
        while let row = try export.next() {
            // Every cell, needed or not: DESIGN.md, "a first number over 12 anywhere".
            for cell in row.fields {
                guard ExportDateReader.isNumeric(cell) else { continue }
                numeric = true
                if let evidence = ExportDateReader.evidence(cell) { seen.insert(evidence) }
            }
        }
        guard numeric else { return ExportDateReader(order: nil, format: nil) }
        guard seen.count == 1, let order = seen.first else {
            let why = seen.isEmpty ? "every date could be day-first or month-first" : "some dates are day-first and some month-first"
            throw SLAError(
                "\(name): \(why); set date_format in a --mapping file (e.g. date_format: \"%d-%m-%Y %H:%M\")", kind: .badInput)
        }
        return ExportDateReader(order: order, format: nil)
    }

    /// Thrown by a counting pass that meets a numeric date before the file's order is known.
    struct NumericDatesNeedOrder: Error {}

    /// Counts in one pass while every date is ISO (or the mapping gives a pattern); a numeric
    /// date starts over once the whole file has decided its order (DESIGN.md).
    func readTwiceIfNumeric(
        path: String, name: String, counts: inout ExportCounts,
        _ pass: (ExportDateReader, inout ExportCounts) throws -> Void
    ) throws {
        let before = counts
        do {
            try pass(ExportDateReader(order: nil, format: mapping.dateFormat), &counts)
        } catch is NumericDatesNeedOrder {
            counts = before
            try pass(try Self.dateReader(path: path, name: name, mapping: mapping), &counts)
        }
    }

    /// A cell `dates` cannot read: a numeric date whose order is not decided yet stops the pass.
    static func unreadable(_ cell: String, _ dates: ExportDateReader) throws {
        if dates.order == nil, dates.format == nil, ExportDateReader.isNumeric(cell) { throw NumericDatesNeedOrder() }
    }

    func countContacts(path: String, name: String, withDeals: Bool, into counts: inout ExportCounts) throws {
        try readTwiceIfNumeric(path: path, name: name, counts: &counts) { dates, counts in
            try countContacts(path: path, name: name, withDeals: withDeals, dates: dates, into: &counts)
        }
    }

    private func countContacts(
        path: String, name: String, withDeals: Bool, dates: ExportDateReader, into counts: inout ExportCounts
    ) throws {
        let dateColumns = Self.neededContactColumns(withDeals: withDeals).filter { $0 != .recordID }
        let export = try CSVExport(path: path, name: name, delimiter: mapping.delimiter)
        let columns = try Self.requireColumns(Self.neededContactColumns(withDeals: withDeals), in: export, mapping: mapping)
        let owner = export.header.firstIndex(of: mapping.header(.owner))
        let customer = export.header.firstIndex(of: mapping.header(.customerDate))
        let contacted = export.header.firstIndex(of: mapping.header(.timesContacted))
        counts.hasTimesContacted = contacted != nil
        counts.hasCustomerDates = customer != nil
        var ids = RecordIDs()
        while let row = try Self.nextWhole(export, id: columns[.recordID]!, ids: &ids, skipped: &counts.skipped) {
            func skip(_ reason: String) { counts.skipped.append(SkippedRow(file: name, line: row.line, reason: reason)) }
            let id = row.fields[columns[.recordID]!]
            var times: [ColumnMapping.Column: ExportTime] = [:]
            var unreadable: String?
            for column in dateColumns {
                let cell = row.fields[columns[column]!].trimmingCharacters(in: .whitespaces)
                if cell.isEmpty { continue }
                guard let time = dates.read(cell) else {
                    try Self.unreadable(cell, dates)
                    unreadable = "'\(cell)' in column '\(mapping.header(column))' is not a date"
                    break
                }
                times[column] = time
            }
            if let unreadable {
                skip(unreadable)
                continue
            }
            if let lead = times[.leadDate] {
                counts.add(.leads, lead.day)
                if inPeriod(lead) {
                    counts.leadsInPeriod += 1
                    if times[.mqlDate] != nil || times[.sqlDate] != nil { counts.leadsInPeriodReachingMQL += 1 }
                }
            }
            if let mql = times[.mqlDate] {
                counts.add(.mql, mql.day)
                if inPeriod(mql) {
                    counts.mqlsInPeriod += 1
                    if times[.sqlDate] != nil { counts.mqlsInPeriodReachingSQL += 1 }
                }
            }
            if !withDeals, let sale = times[.customerDate] { counts.add(.sales, sale.day) }
            if let sql = times[.sqlDate] {
                counts.add(.sql, sql.day)
                if inPeriod(sql) {
                    let converted = customer.map { !row.fields[$0].trimmingCharacters(in: .whitespaces).isEmpty } ?? false
                    counts.sqls.append(
                        SQLContact(
                            recordID: id, owner: owner.map { row.fields[$0] } ?? "", sqlAt: sql, engagedAt: times[.firstEngagement],
                            converted: converted,
                            timesContacted: contacted.flatMap { Int(row.fields[$0].trimmingCharacters(in: .whitespaces)) }))
                }
            }
        }
    }

    func countDeals(path: String, name: String, into counts: inout ExportCounts) throws {
        counts.hasDeals = true
        try readTwiceIfNumeric(path: path, name: name, counts: &counts) { dates, counts in
            try countDeals(path: path, name: name, dates: dates, into: &counts)
        }
    }

    private func countDeals(path: String, name: String, dates: ExportDateReader, into counts: inout ExportCounts) throws {
        let export = try CSVExport(path: path, name: name, delimiter: mapping.delimiter)
        let columns = try Self.requireColumns(Self.neededDealColumns, in: export, mapping: mapping)
        let decimalComma = mapping.decimalComma ?? (export.delimiter == ";")
        let won = Set(mapping.closedWon.map { $0.lowercased() })
        let lost = Set(mapping.closedLost.map { $0.lowercased() })
        var ids = RecordIDs()
        while let row = try Self.nextWhole(export, id: columns[.dealID]!, ids: &ids, skipped: &counts.skipped) {
            func skip(_ reason: String) { counts.skipped.append(SkippedRow(file: name, line: row.line, reason: reason)) }
            let stage = row.fields[columns[.dealStage]!].trimmingCharacters(in: .whitespaces).lowercased()
            let isWon = won.contains(stage)
            guard isWon || lost.contains(stage) else { continue }
            let cell = row.fields[columns[.closeDate]!].trimmingCharacters(in: .whitespaces)
            guard !cell.isEmpty else { continue }
            guard let closed = dates.read(cell) else {
                try Self.unreadable(cell, dates)
                skip("'\(cell)' in column '\(mapping.header(.closeDate))' is not a date")
                continue
            }
            // Amount is a needed column: a cell that is not an amount skips a lost deal too (it
            // would count in the win rate); only a won deal needs one.
            let amountCell = row.fields[columns[.amount]!]
            let amount = Self.amount(amountCell, decimalComma: decimalComma)
            let amountGiven = !amountCell.trimmingCharacters(in: .whitespaces).isEmpty
            if amount == nil, isWon || amountGiven {
                skip(
                    amountGiven ? "'\(amountCell)' in column '\(mapping.header(.amount))' is not an amount" : "a won deal without an amount"
                )
                continue
            }
            if isWon, let amount {
                counts.add(.sales, closed.day)
                counts.revenuePerDay[closed.day.dayNumber, default: 0] += amount
                if inPeriod(closed) { counts.won += 1 }
            } else if inPeriod(closed) {
                counts.lost += 1
            }
        }
    }

    /// The next row with as many fields as the header and a record id not seen before; the
    /// others are reported in `skipped` by line.
    static func nextWhole(_ export: CSVExport, id column: Int, ids: inout RecordIDs, skipped: inout [SkippedRow]) throws -> ExportRow? {
        while let row = try export.next() {
            // A blank line (an editor's last line) is no row.
            if row.fields.count == 1, row.fields[0].isEmpty, export.header.count > 1 { continue }
            guard row.fields.count == export.header.count else {
                // Its record id is still seen: a later row repeating it is skipped too.
                if column < row.fields.count { _ = ids.insert(row.fields[column], line: row.line) }
                skipped.append(
                    SkippedRow(
                        file: export.name, line: row.line, reason: "has \(row.fields.count) fields; the header has \(export.header.count)"))
                continue
            }
            let id = row.fields[column]
            if let first = ids.insert(id, line: row.line) {
                skipped.append(SkippedRow(file: export.name, line: row.line, reason: "repeats the record id '\(id)' of line \(first)"))
                continue
            }
            return row
        }
        return nil
    }

    /// `1234.5`, `1,234.50`, or with a decimal comma `1.234,50` (spaces as thousands separators
    /// too). Thousands separators must group by three (`1,234`, not `12,34`): `1234.50` in a file
    /// with a decimal comma is no amount, rather than a hundred times one.
    static func amount(_ cell: String, decimalComma: Bool) -> Decimal? {
        let (thousands, mark): (Character, Character) = decimalComma ? (".", ",") : (",", ".")
        var text = cell.trimmingCharacters(in: .whitespaces)
        text = String(text.map { $0 == " " || $0 == "\u{00A0}" ? thousands : $0 })
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: mark, omittingEmptySubsequences: false)
        func isDigits(_ part: Substring) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard (1...2).contains(parts.count), parts.count == 1 || isDigits(parts[1]) else { return nil }
        let groups = parts[0].split(separator: thousands, omittingEmptySubsequences: false)
        guard groups.allSatisfy(isDigits), groups.count == 1 || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        else { return nil }
        let plain = (negative ? "-" : "") + groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        return Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX"))
    }
}

/// Record ids seen in one file, kept as 64-bit FNV-1a hashes with their first line, so that
/// a million rows need a few megabytes. An empty id is never a repeat.
struct RecordIDs {
    private var seen: [UInt64: Int] = [:]

    /// The line of an earlier row with this id, or nil (and it is remembered).
    mutating func insert(_ id: String, line: Int) -> Int? {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in trimmed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let first = seen[hash] { return first }
        seen[hash] = line
        return nil
    }
}
