import Foundation

/// `sla report --format markdown`: the figures of the text report as a document in the
/// agreement's language — a heading per section of the agreement, a table per list. Every text
/// that comes from the agreement or the exports (names, owners, record ids, file names) is
/// escaped as the rendered agreement's are, so a cell can neither end its table nor become a
/// link or HTML.
public enum ReportMarkdown {
    public static func markdown(_ report: AgreementReport) -> String {
        let words = ReportWords(language: report.language)
        var out = "# \(words.title)\n\n\(text(report.agreement)) v\(report.version) · \(words.period(report.from, report.to))\n"

        out += "\n## \(words.goals)\n\n"
        out += row([words.metric, words.deadline, words.target, words.actual, words.expected, words.forecast, words.needed, words.state])
        out += "|---|---|--:|--:|--:|--:|--:|---|\n"
        for goal in report.goals {
            let state: String
            switch goal.onTrack {
            case true?: state = words.onTrack
            case false?: state = "**\(words.behind)**"
            case nil: state = goal.actual == nil ? words.withoutDeals : words.beforePeriod
            }
            let target = ReportText.number(goal.target) + (goal.unit.map { " " + text($0) } ?? "")
            out += row([
                words.metricName(goal.metric), goal.deadline, target, figure(goal.actual), figure(goal.expectedByNow),
                figure(goal.forecast), figure(goal.neededPer30Days), state,
            ])
        }

        out += "\n## \(words.handling)\n\n### \(words.sqlPerMonth)\n\n"
        out += row([words.month, words.sqls, words.commitment, words.state]) + "|---|--:|--:|---|\n"
        for month in report.sqlPerMonth {
            out += row([month.month, String(month.actual), String(month.target), month.actual < month.target ? words.below : ""])
        }
        let r = report.responseTime
        out += "\n### \(words.response) (\(words.limit) \(r.limitHours) \(words.hours))\n\n_\(text(r.clock))_\n\n"
        out += row([words.sqls, words.contacted, words.withinLimit, words.notContacted, words.median, words.p90])
        out += "|--:|--:|--:|--:|--:|--:|\n"
        out += row([
            String(r.sqls), String(r.contacted), String(r.withinLimit), String(r.notContacted), hours(r.medianHours), hours(r.p90Hours),
        ])
        if !r.slowest.isEmpty {
            out += "\n\(words.slowest):\n\n" + row([words.recordId, words.owner, words.sqlAt, words.hoursColumn]) + "|---|---|---|--:|\n"
            for sql in r.slowest {
                out += row([
                    text(sql.recordId), sql.owner.isEmpty ? words.noOwner : text(sql.owner), sql.sqlAt,
                    sql.hours.map(ReportText.hours) ?? words.notContacted.lowercased(),
                ])
            }
        }
        if !r.byOwner.isEmpty {
            out += "\n\(words.byOwner):\n\n" + row([words.owner, words.sqls, words.contacted, words.withinLimit, words.median])
            out += "|---|--:|--:|--:|--:|\n"
            for owner in r.byOwner {
                out += row([
                    owner.owner.isEmpty ? words.noOwner : text(owner.owner), String(owner.sqls), String(owner.contacted),
                    String(owner.withinLimit), hours(owner.medianHours),
                ])
            }
        }
        let f = report.followUp
        out += "\n### \(words.followUp(f.requiredAttempts))\n\n"
        out += (f.measurable ? words.followedUp(f.withEnoughAttempts, of: f.notConverted) : words.followUpNotMeasurable) + "\n"

        out += "\n## \(words.kpis)\n\n" + row([words.kpi, words.value, words.target]) + "|---|---|---|\n"
        for kpi in report.kpis {
            let value: String
            if let measured = kpi.value, let unit = kpi.unit {
                value = unit == "fraction" ? ReportText.percent(measured) : "\(String(format: "%.1f", measured)) \(text(words.unit(unit)))"
            } else if kpi.measure != nil {
                value = words.nothingToMeasure
            } else {
                value = text(kpi.needs ?? "–")
            }
            out += row([text(kpi.name), value, kpi.target.map(text) ?? "–"])
        }
        out += "\n- \(words.leadVelocity): \(report.leadVelocityRate.map(ReportText.percent) ?? "–")\n"
        out += "- \(words.winRate): \(report.winRate.map(ReportText.percent) ?? "–")\n"

        if !report.skippedRows.isEmpty {
            out += "\n## \(words.skipped)\n\n" + row([words.file, words.line, words.reason]) + "|---|--:|---|\n"
            for skipped in report.skippedRows { out += row([text(skipped.file), String(skipped.line), text(skipped.reason)]) }
        }
        return out
    }

    /// A text from the agreement or the exports, escaped for a paragraph or a table cell.
    static func text(_ value: String) -> String { MarkdownText.escape(value) }

    static func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }
    static func figure(_ value: Decimal?) -> String { value.map(ReportText.number) ?? "–" }
    static func hours(_ value: Double?) -> String { value.map(ReportText.hours) ?? "–" }
}
