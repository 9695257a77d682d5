import Foundation

/// The exports `sla report` reads.
public struct ReportExports: Sendable {
    /// Path to read, and the name as the user gave it (for messages and `skipped_rows`).
    public let contacts: (path: String, name: String)
    public let deals: (path: String, name: String)?

    public init(contacts: (path: String, name: String), deals: (path: String, name: String)?) {
        self.contacts = contacts
        self.deals = deals
    }
}

extension SLARepository {
    /// A report covers less than this many years.
    static let longestPeriodYears = 50

    /// The report of agreement `id` over [`from`, `to`] (DESIGN.md, "Report"): measured against
    /// the version in force on `to`; `from` defaults to that version's `effective_from`.
    /// Refuses a faulted agreement and one with nothing in force on `to`.
    public func report(
        _ id: String, exports: ReportExports, from: LocalDate?, to: LocalDate, mapping: ColumnMapping,
        businessHours: BusinessHours? = nil, in built: Ledger? = nil
    ) throws -> AgreementReport {
        try requireAgreement(id)
        let agreement = try self.agreement(id, in: try built ?? ledger())
        guard let record = try agreement.inForce(today: to) else {
            throw SLAError("no version of '\(id)' is in force on \(to.iso), so there is nothing to measure against", kind: .refused)
        }
        let start = from ?? record.agreement.validity.effectiveFrom
        guard start <= to else {
            throw SLAError("--from \(start.iso) is after --to \(to.iso)", kind: .badInput)
        }
        // Figures are kept per day and listed per month: a period of centuries is a mistyped
        // date, and would cost minutes and megabytes.
        guard let last = start.addingIfWritable(months: 12 * Self.longestPeriodYears), to < last else {
            throw SLAError(
                "the period \(start.iso) to \(to.iso) is \(Self.longestPeriodYears) years or longer; check --from and --to", kind: .badInput
            )
        }
        try ExportCounter.checkColumns(exports, mapping: mapping)
        let counter = ExportCounter(mapping: mapping, from: start, to: to)
        var counts = ExportCounts()
        try counter.countContacts(
            path: exports.contacts.path, name: exports.contacts.name, withDeals: exports.deals != nil, into: &counts)
        if let deals = exports.deals { try counter.countDeals(path: deals.path, name: deals.name, into: &counts) }
        return ReportBuilder(
            agreement: record.agreement, version: record.number, from: start, to: to, counts: counts, mapping: mapping,
            businessHours: businessHours
        ).report()
    }
}

/// Turns the counts into the report's figures.
struct ReportBuilder {
    let agreement: Agreement
    let version: Int
    let from: LocalDate
    let to: LocalDate
    let counts: ExportCounts
    let mapping: ColumnMapping
    var businessHours: BusinessHours? = nil

    func report() -> AgreementReport {
        let response = responseTime()
        return AgreementReport(
            agreement: agreement.id, language: agreement.language, version: version, from: from.iso, to: to.iso, goals: goals(),
            sqlPerMonth: sqlPerMonth(), responseTime: response, followUp: followUp(), leadVelocityRate: leadVelocityRate(),
            winRate: winRate(), mqlToSqlRate: mqlToSqlRate(), kpis: kpis(medianResponse: response.medianHours),
            skippedRows: counts.skipped, series: series())
    }

    func series() -> AgreementReport.Series {
        var cumulative: [GoalMetric: [Double]] = [:]
        for metric in GoalMetric.allCases where metric != .revenue || counts.hasDeals {
            var total = 0.0
            cumulative[metric] = (from.dayNumber...to.dayNumber).map { day in
                total +=
                    metric == .revenue
                    ? NSDecimalNumber(decimal: counts.revenuePerDay[day] ?? 0).doubleValue : Double(counts.perDay[metric]?[day] ?? 0)
                return total
            }
        }
        return .init(cumulative: cumulative, responseHours: counts.sqls.compactMap(hours).sorted())
    }

    func goals() -> [AgreementReport.GoalProgress] {
        agreement.goals.map { goal in
            let revenueUnknown = goal.metric == .revenue && !counts.hasDeals
            guard goal.deadline >= from else {
                return .init(
                    metric: goal.metric.rawValue, deadline: goal.deadline.iso, target: goal.target, unit: goal.unit,
                    actual: revenueUnknown ? nil : 0, onTrack: nil, expectedByNow: nil, forecast: nil, neededPer30Days: nil)
            }
            let end = min(to, goal.deadline)
            let actual: Decimal? =
                revenueUnknown
                ? nil
                : goal.metric == .revenue
                    ? counts.revenue(from: from, through: end) : Decimal(counts.count(goal.metric, from: from, through: end))
            let elapsed = Decimal(end.dayNumber - from.dayNumber + 1)
            let total = Decimal(goal.deadline.dayNumber - from.dayNumber + 1)
            let expected = goal.target * elapsed / total
            let remainingDays = goal.deadline.dayNumber - end.dayNumber
            return .init(
                metric: goal.metric.rawValue, deadline: goal.deadline.iso, target: goal.target, unit: goal.unit, actual: actual,
                onTrack: actual.map { $0 >= expected }, expectedByNow: Self.rounded(expected),
                forecast: actual.map { Self.rounded($0 * total / elapsed) },
                neededPer30Days: remainingDays > 0
                    ? actual.map { Self.rounded(max(0, goal.target - $0) * 30 / Decimal(remainingDays)) } : nil)
        }
    }

    static func rounded(_ value: Decimal, places: Int = 2) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }

    /// Every calendar month the period touches, zeros included.
    func sqlPerMonth() -> [AgreementReport.MonthFigure] {
        var figures: [AgreementReport.MonthFigure] = []
        var year = from.year
        var month = from.month
        while (year, month) <= (to.year, to.month) {
            let first = LocalDate(year: year, month: month, day: 1)!
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
            let actual = counts.count(.sql, from: max(first, from), through: min(last, to))
            figures.append(
                .init(
                    month: String(first.iso.prefix(7)), actual: actual, target: agreement.leadHandling.marketing.sqlPerMonth))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return figures
    }

    /// From becoming an SQL to the first engagement (an engagement before counts as 0), in
    /// calendar hours or, with `businessHours`, weekday working hours.
    func hours(_ sql: SQLContact) -> Double? {
        sql.engagedAt.map { engaged in
            businessHours.map { $0.hours(from: sql.sqlAt, to: engaged) } ?? max(0, Double(engaged.seconds - sql.sqlAt.seconds) / 3600)
        }
    }

    var clock: String {
        let span = "from \(mapping.header(.sqlDate)) to \(mapping.header(.firstEngagement))"
        return businessHours.map { "business hours (\($0.description)) \(span)" } ?? "calendar hours \(span)"
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The ceil(0.9 n)-th smallest.
    static func p90(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((Double(sorted.count) * 0.9).rounded(.up))
        return sorted[max(1, rank) - 1]
    }

    func responseTime() -> AgreementReport.ResponseTime {
        let limit = agreement.leadHandling.sales.responseTimeHours
        let measured = counts.sqls.map { ($0, hours($0)) }
        let contacted = measured.compactMap(\.1).sorted()
        let slowest = measured.sorted { ($0.1 ?? .infinity, $0.0.sqlAt) > ($1.1 ?? .infinity, $1.0.sqlAt) }.prefix(10).map {
            AgreementReport.SlowSQL(recordId: $0.0.recordID, owner: $0.0.owner, sqlAt: $0.0.sqlAt.description, hours: $0.1)
        }
        let byOwner = Dictionary(grouping: measured, by: \.0.owner).map { owner, rows in
            let hours = rows.compactMap(\.1).sorted()
            return AgreementReport.OwnerFigure(
                owner: owner, sqls: rows.count, contacted: hours.count, withinLimit: hours.filter { $0 <= Double(limit) }.count,
                medianHours: Self.median(hours))
        }.sorted { $0.owner < $1.owner }
        return .init(
            clock: clock, limitHours: limit,
            sqls: measured.count, contacted: contacted.count, withinLimit: contacted.filter { $0 <= Double(limit) }.count,
            notContacted: measured.count - contacted.count, medianHours: Self.median(contacted), p90Hours: Self.p90(contacted),
            slowest: Array(slowest), byOwner: byOwner)
    }

    func followUp() -> AgreementReport.FollowUp {
        let required = agreement.leadHandling.sales.followUpAttempts
        let open = counts.sqls.filter { !$0.converted }
        return .init(
            requiredAttempts: required, notConverted: open.count,
            withEnoughAttempts: open.filter { ($0.timesContacted ?? 0) >= required }.count, measurable: counts.hasTimesContacted)
    }

    /// SQLs in the last whole calendar month of the period against the month before.
    func leadVelocityRate() -> Double? {
        var year = to.year
        var month = to.month
        if to.day != LocalDate.daysIn(month: month, year: year) { (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1) }
        guard let first = LocalDate(year: year, month: month, day: 1), first >= from else { return nil }
        let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
        let (py, pm) = month == 1 ? (year - 1, 12) : (year, month - 1)
        let previousFirst = LocalDate(year: py, month: pm, day: 1)!
        let previousLast = LocalDate(year: py, month: pm, day: LocalDate.daysIn(month: pm, year: py))!
        let now = counts.count(.sql, from: first, through: last)
        let before = counts.count(.sql, from: previousFirst, through: previousLast)
        guard before > 0 else { return nil }
        return Double(now - before) / Double(before)
    }

    func winRate() -> Double? {
        guard counts.hasDeals, counts.won + counts.lost > 0 else { return nil }
        return Double(counts.won) / Double(counts.won + counts.lost)
    }

    /// MQLs of the period that reached SQL, over the MQLs of the period.
    func mqlToSqlRate() -> Double? {
        guard counts.mqlsInPeriod > 0 else { return nil }
        return Double(counts.mqlsInPeriodReachingSQL) / Double(counts.mqlsInPeriod)
    }

    /// Each KPI of §6 whose name says what it measures and whose target is a number or a
    /// percentage, computed where the exports allow; the rest say which column would do it.
    func kpis(medianResponse: Double?) -> [AgreementReport.KPIFigure] {
        agreement.kpis.items.map { kpi in
            let name = kpi.name.lowercased()
            func figure(_ value: Double?, _ unit: String, _ measure: String) -> AgreementReport.KPIFigure {
                .init(name: kpi.name, target: kpi.target, value: value, unit: unit, measure: measure, needs: nil)
            }
            func needs(_ what: String) -> AgreementReport.KPIFigure {
                .init(name: kpi.name, target: kpi.target, value: nil, unit: nil, measure: nil, needs: what)
            }
            if name.contains("omsætning") || name.contains("revenue") {
                return needs("a deals column naming the lead source of each deal (e.g. Original Source), named in a --mapping file")
            }
            if name.contains("mql") && name.contains("sql") { return figure(mqlToSqlRate(), "fraction", "mql_to_sql_rate") }
            if name.contains("lead") && name.contains("mql") {
                let rate = counts.leadsInPeriod > 0 ? Double(counts.leadsInPeriodReachingMQL) / Double(counts.leadsInPeriod) : nil
                return figure(rate, "fraction", "lead_to_mql_rate")
            }
            if name.contains("sql") && (name.contains("kunde") || name.contains("customer")) {
                guard counts.hasCustomerDates else { return needs("the column '\(mapping.header(.customerDate))' in the contacts export") }
                let rate = counts.sqls.isEmpty ? nil : Double(counts.sqls.filter(\.converted).count) / Double(counts.sqls.count)
                return figure(rate, "fraction", "sql_to_customer_rate")
            }
            if name.contains("velocity") { return figure(leadVelocityRate(), "fraction", "lead_velocity_rate") }
            if name.contains("win") || name.contains("vinder") {
                return counts.hasDeals ? figure(winRate(), "fraction", "win_rate") : needs("a deals export (--deals)")
            }
            if name.contains("respons") || name.contains("response") {
                return figure(medianResponse, "hours", "median_response_hours")
            }
            if name.contains("lead") && !name.contains("mql") {
                let months = Double(to.dayNumber - from.dayNumber + 1) / 30.4375
                return figure(Double(counts.count(.leads, from: from, through: to)) / max(months, 1), "per month", "leads_per_month")
            }
            return needs("not measurable from these files: a column that records it per contact or deal, named in a --mapping file")
        }
    }
}
