import Foundation

/// `sla report --format text`: the figures a meeting goes through, one block per section.
public enum ReportText {
    public static func text(_ report: AgreementReport) -> String {
        var out = "\(report.agreement) v\(report.version), \(report.from) to \(report.to)\n"
        out += "\n4. Goals\n"
        for goal in report.goals {
            let actual = goal.actual.map { number($0) } ?? "-"
            let state: String
            switch goal.onTrack {
            case true?: state = "on track"
            case false?: state = "behind"
            case nil: state = goal.actual == nil ? "not measurable without --deals" : "deadline before the period"
            }
            var line =
                "  \(goal.metric) by \(goal.deadline): \(actual) of \(number(goal.target))\(goal.unit.map { " \($0)" } ?? "") — \(state)"
            if let expected = goal.expectedByNow, goal.onTrack != nil { line += "; expected by now \(number(expected))" }
            if let forecast = goal.forecast { line += "; forecast \(number(forecast))" }
            if let needed = goal.neededPer30Days { line += "; needs \(number(needed)) per 30 days" }
            out += line + "\n"
        }
        out += "\n5. Lead handling\n  SQLs per month (commitment \(report.sqlPerMonth.first?.target ?? 0)):\n"
        for month in report.sqlPerMonth {
            out += "    \(month.month): \(month.actual)\(month.actual < month.target ? "  (below)" : "")\n"
        }
        let r = report.responseTime
        out += "  Response time (\(r.clock)), limit \(r.limitHours) h: \(r.sqls) SQLs, \(r.contacted) contacted, "
        out += "\(r.withinLimit) within the limit, \(r.notContacted) not contacted"
        out += "; median \(r.medianHours.map(hours) ?? "-"), 90th percentile \(r.p90Hours.map(hours) ?? "-")\n"
        if !r.slowest.isEmpty {
            out +=
                "  Slowest: "
                + r.slowest.map {
                    "\($0.recordId) (\($0.owner.isEmpty ? "no owner" : $0.owner), \($0.hours.map(hours) ?? "not contacted"))"
                }
                .joined(separator: ", ") + "\n"
        }
        for owner in r.byOwner {
            out += "    \(owner.owner.isEmpty ? "(no owner)" : owner.owner): \(owner.sqls) SQLs, \(owner.withinLimit) within the limit"
            out += ", median \(owner.medianHours.map(hours) ?? "-")\n"
        }
        let f = report.followUp
        out += "  Follow-up (\(f.requiredAttempts) attempts): "
        out +=
            f.measurable
            ? "\(f.withEnoughAttempts) of \(f.notConverted) SQLs not converted had them\n" : "not measurable (no times-contacted column)\n"
        out += "\n6. KPIs\n"
        for kpi in report.kpis {
            let target = kpi.target.map { " (target \($0))" } ?? ""
            if let value = kpi.value, let unit = kpi.unit {
                out += "  \(kpi.name): \(unit == "fraction" ? percent(value) : "\(String(format: "%.1f", value)) \(unit)")\(target)\n"
            } else if kpi.measure != nil {
                out += "  \(kpi.name): nothing to measure in the period\(target)\n"
            } else {
                out += "  \(kpi.name): \(kpi.needs ?? "not measurable")\(target)\n"
            }
        }
        out += "  Lead velocity rate: \(report.leadVelocityRate.map(percent) ?? "-"); win rate: \(report.winRate.map(percent) ?? "-")\n"
        if !report.skippedRows.isEmpty {
            out += "\nSkipped rows\n"
            for row in report.skippedRows { out += "  \(row.file):\(row.line): \(row.reason)\n" }
        }
        return out
    }

    static func number(_ value: Decimal) -> String { NSDecimalNumber(decimal: value).stringValue }
    static func hours(_ value: Double) -> String { String(format: "%.1f h", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
}
