import Foundation

/// `sla report --format html`: one self-contained page in the agreement's language, with SVG
/// charts — cumulative actual against the goal line per metric, SQLs per month against the
/// commitment, and the response-time distribution against the limit.
public enum ReportHTML {
    public static func html(_ report: AgreementReport) -> String {
        let words = ReportWords(language: report.language)
        var body = "<h1>\(escape(words.title))</h1>\n"
        body += "<p>\(escape(report.agreement)) v\(report.version) · \(escape(words.period(report.from, report.to)))</p>\n"
        body += "<h2>\(escape(words.goals))</h2>\n<table><tr><th>\(words.metric)</th><th>\(words.deadline)</th>"
        body += "<th>\(words.target)</th><th>\(words.actual)</th><th>\(words.expected)</th><th>\(words.forecast)</th><th></th></tr>\n"
        for goal in report.goals {
            let state = goal.onTrack.map { $0 ? words.onTrack : words.behind } ?? "–"
            body +=
                "<tr><td>\(escape(words.metricName(goal.metric)))</td><td>\(goal.deadline)</td><td>\(ReportText.number(goal.target))</td>"
            body += "<td>\(goal.actual.map(ReportText.number) ?? "–")</td><td>\(goal.expectedByNow.map(ReportText.number) ?? "–")</td>"
            body +=
                "<td>\(goal.forecast.map(ReportText.number) ?? "–")</td><td class=\"\(goal.onTrack == false ? "behind" : "")\">\(state)</td></tr>\n"
        }
        body += "</table>\n"
        for metric in GoalMetric.allCases {
            guard let line = report.series.cumulative[metric] else { continue }
            let goals = report.goals.filter { $0.metric == metric.rawValue }
            guard !goals.isEmpty else { continue }
            body += goalChart(metric: words.metricName(metric.rawValue), cumulative: line, goals: goals, report: report)
        }
        body += "<h2>\(escape(words.handling))</h2>\n<h3>\(escape(words.sqlPerMonth))</h3>\n"
        body += monthChart(report.sqlPerMonth)
        let r = report.responseTime
        body += "<h3>\(escape(words.response)) (\(words.limit) \(r.limitHours) \(words.hours))</h3>\n"
        body +=
            "<p>\(r.sqls) SQL · \(r.contacted) · \(r.withinLimit) ≤ \(r.limitHours) h · median \(r.medianHours.map(ReportText.hours) ?? "–")"
        body += " · p90 \(r.p90Hours.map(ReportText.hours) ?? "–")</p>\n"
        body += responseChart(report.series.responseHours, limit: Double(r.limitHours))
        body += "<h2>\(escape(words.kpis))</h2>\n<ul>\n"
        for kpi in report.kpis {
            let value = kpi.value.map {
                kpi.unit == "fraction" ? ReportText.percent($0) : String(format: "%.1f %@", $0, words.unit(kpi.unit ?? ""))
            }
            body += "<li>\(escape(kpi.name)): \(escape(value ?? kpi.needs ?? "–"))\(kpi.target.map { " (\(escape($0)))" } ?? "")</li>\n"
        }
        body += "</ul>\n"
        if !report.skippedRows.isEmpty {
            body += "<h2>\(escape(words.skipped))</h2>\n<ul>\n"
            for row in report.skippedRows { body += "<li>\(escape(row.file)):\(row.line): \(escape(row.reason))</li>\n" }
            body += "</ul>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(report.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <title>\(escape(words.title)) · \(escape(report.agreement))</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
            table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: right; }
            td:first-child, th:first-child { text-align: left; } .behind { color: #b00; }
            svg { display: block; margin: .5rem 0 1.5rem; } svg text { font-size: 11px; fill: #444; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// By scalar: Foundation's `replacingOccurrences` compares Characters, so a `"` or `<`
    /// followed by a combining mark would stay as it is.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static let width = 640.0
    static let height = 200.0
    static let margin = 40.0

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The cumulative actual over the period, and for each goal the straight line from 0 at the
    /// period's start to its target at its deadline (drawn as far as the period goes).
    static func goalChart(metric: String, cumulative: [Double], goals: [AgreementReport.GoalProgress], report: AgreementReport) -> String {
        let from = LocalDate(iso: report.from)!.dayNumber
        let days = Double(max(cumulative.count - 1, 1))
        let top = max(cumulative.last ?? 0, goals.map { NSDecimalNumber(decimal: $0.expectedByNow ?? 0).doubleValue }.max() ?? 0, 1)
        func x(_ day: Double) -> Double { margin + day / days * (width - 2 * margin) }
        func y(_ value: Double) -> Double { height - margin / 2 - value / top * (height - margin) }
        var svg =
            "<svg class=\"goal\" data-metric=\"\(escape(metric))\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(metric))\">\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(format(y(0)))\" x2=\"\(width - margin)\" y2=\"\(format(y(0)))\" stroke=\"#999\"/>\n"
        for goal in goals {
            let deadline = Double(LocalDate(iso: goal.deadline)!.dayNumber - from)
            guard deadline > 0 else { continue }
            let target = NSDecimalNumber(decimal: goal.target).doubleValue
            let endDay = min(deadline, days)
            svg += "<line class=\"goal-line\" x1=\"\(format(x(0)))\" y1=\"\(format(y(0)))\" x2=\"\(format(x(endDay)))\" "
            svg += "y2=\"\(format(y(target * endDay / deadline)))\" stroke=\"#c80\" stroke-dasharray=\"4 3\"/>\n"
        }
        let points = cumulative.enumerated().map { "\(format(x(Double($0.offset)))),\(format(y($0.element)))" }.joined(separator: " ")
        svg += "<polyline class=\"actual\" points=\"\(points)\" fill=\"none\" stroke=\"#06c\" stroke-width=\"2\"/>\n"
        svg += "<text x=\"\(margin)\" y=\"12\">\(escape(metric)): \(format(cumulative.last ?? 0))</text>\n</svg>\n"
        return svg
    }

    /// One bar per month, and the commitment as a line across.
    static func monthChart(_ months: [AgreementReport.MonthFigure]) -> String {
        guard !months.isEmpty else { return "" }
        let top = Double(max(months.map(\.actual).max() ?? 0, months[0].target, 1))
        let slot = (width - 2 * margin) / Double(months.count)
        func y(_ value: Double) -> Double { height - margin / 2 - value / top * (height - margin) }
        var svg =
            "<svg class=\"months\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\n"
        for (index, month) in months.enumerated() {
            let x = margin + Double(index) * slot + slot * 0.15
            let barTop = y(Double(month.actual))
            svg +=
                "<rect class=\"bar\" data-month=\"\(month.month)\" x=\"\(format(x))\" y=\"\(format(barTop))\" width=\"\(format(slot * 0.7))\" "
            svg += "height=\"\(format(y(0) - barTop))\" fill=\"\(month.actual >= month.target ? "#3a3" : "#c44")\"/>\n"
            svg += "<text x=\"\(format(x))\" y=\"\(format(height - 4))\">\(month.month) (\(month.actual))</text>\n"
        }
        svg += "<line class=\"commitment\" x1=\"\(margin)\" y1=\"\(format(y(Double(months[0].target))))\" x2=\"\(width - margin)\" "
        svg += "y2=\"\(format(y(Double(months[0].target))))\" stroke=\"#c80\" stroke-dasharray=\"4 3\"/>\n</svg>\n"
        return svg
    }

    /// A histogram of response hours in buckets of a quarter of the limit, with the limit marked.
    static func responseChart(_ hours: [Double], limit: Double) -> String {
        guard !hours.isEmpty, limit > 0 else { return "" }
        let bucket = limit / 4
        // At least up to the limit, so its mark falls inside the chart.
        let buckets = max(5, min(Int(((hours.last ?? 0) / bucket).rounded(.down)) + 1, 40))
        var counts = [Int](repeating: 0, count: buckets)
        for value in hours { counts[min(Int(value / bucket), buckets - 1)] += 1 }
        let top = Double(counts.max() ?? 1)
        let slot = (width - 2 * margin) / Double(buckets)
        func y(_ value: Double) -> Double { height - margin / 2 - value / top * (height - margin) }
        var svg =
            "<svg class=\"response\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">\n"
        for (index, count) in counts.enumerated() where count > 0 {
            let x = margin + Double(index) * slot
            svg += "<rect class=\"bar\" x=\"\(format(x))\" y=\"\(format(y(Double(count))))\" width=\"\(format(slot * 0.9))\" "
            svg += "height=\"\(format(y(0) - y(Double(count))))\" fill=\"\(Double(index + 1) * bucket <= limit ? "#3a3" : "#c44")\"/>\n"
        }
        let limitX = margin + 4 * slot
        svg +=
            "<line class=\"limit\" x1=\"\(format(limitX))\" y1=\"10\" x2=\"\(format(limitX))\" y2=\"\(format(y(0)))\" stroke=\"#c80\"/>\n"
        svg += "<text x=\"\(format(limitX + 4))\" y=\"20\">\(format(limit)) h</text>\n</svg>\n"
        return svg
    }
}
