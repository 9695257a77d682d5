import Foundation

/// `sla report`: is the agreement kept? Goals (§4), commitments (§5) and the measurable KPIs
/// (§6) of the version in force on `to`, counted from the CRM's exports (DESIGN.md, "Report").
public struct AgreementReport: Sendable {
    public struct GoalProgress: Sendable {
        public let metric: String
        public let deadline: String
        public let target: Decimal
        public let unit: String?
        /// nil for revenue without a deals export.
        public let actual: Decimal?
        /// nil when the deadline is before the period, or nothing could be counted.
        public let onTrack: Bool?
        /// The target times the elapsed share of the goal's window.
        public let expectedByNow: Decimal?
        /// A straight line through the period so far, extended to the deadline.
        public let forecast: Decimal?
        /// What is left, per 30 days until the deadline (nil once the deadline has passed).
        public let neededPer30Days: Decimal?
    }

    public struct MonthFigure: Sendable {
        public let month: String
        public let actual: Int
        public let target: Int
    }

    public struct SlowSQL: Sendable {
        public let recordId: String
        public let owner: String
        public let sqlAt: String
        public let hours: Double?
    }

    public struct OwnerFigure: Sendable {
        public let owner: String
        public let sqls: Int
        public let contacted: Int
        public let withinLimit: Int
        public let medianHours: Double?
    }

    public struct ResponseTime: Sendable {
        /// Which clock the hours are on: from `Became a Sales Qualified Lead Date` to `Date of
        /// first engagement`, in calendar hours (HubSpot's own "Lead response time" starts at
        /// owner assignment instead).
        public let clock: String
        public let limitHours: Int
        public let sqls: Int
        public let contacted: Int
        public let withinLimit: Int
        public let notContacted: Int
        public let medianHours: Double?
        public let p90Hours: Double?
        public let slowest: [SlowSQL]
        public let byOwner: [OwnerFigure]
    }

    public struct FollowUp: Sendable {
        public let requiredAttempts: Int
        /// SQLs of the period without a customer date.
        public let notConverted: Int
        public let withEnoughAttempts: Int
        /// nil without a `times_contacted` column.
        public let measurable: Bool
    }

    public struct KPIFigure: Sendable {
        public let name: String
        public let target: String?
        /// nil when not measurable from these files.
        public let value: Double?
        public let unit: String?
        public let measure: String?
        public let needs: String?
    }

    /// What the charts draw: per goal metric the cumulative count (revenue: sum) on each day of
    /// the period, and the contacted SQLs' response hours. Not part of the JSON.
    public struct Series: Sendable {
        public let cumulative: [GoalMetric: [Double]]
        public let responseHours: [Double]
    }

    public let agreement: String
    public let language: Language
    public let version: Int
    public let from: String
    public let to: String
    public let goals: [GoalProgress]
    public let sqlPerMonth: [MonthFigure]
    public let responseTime: ResponseTime
    public let followUp: FollowUp
    public let leadVelocityRate: Double?
    public let winRate: Double?
    public let mqlToSqlRate: Double?
    public let kpis: [KPIFigure]
    public let skippedRows: [SkippedRow]
    public let series: Series

    /// JSON as the CLI prints it: snake_case keys, `null` for absent values, numbers as numbers.
    public func json() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: JSONOutput.escapingControls(data), as: UTF8.self) + "\n"
    }

    public var jsonObject: [String: Any] {
        func value(_ v: Any?) -> Any { v ?? NSNull() }
        func number(_ d: Decimal?) -> Any { d.map { NSDecimalNumber(decimal: $0) } ?? NSNull() }
        return [
            "agreement": agreement, "version": version, "from": from, "to": to,
            "goals": goals.map {
                [
                    "metric": $0.metric, "deadline": $0.deadline, "target": number($0.target), "unit": value($0.unit),
                    "actual": number($0.actual), "on_track": value($0.onTrack), "expected_by_now": number($0.expectedByNow),
                    "forecast": number($0.forecast), "needed_per_30_days": number($0.neededPer30Days),
                ] as [String: Any]
            },
            "sql_per_month": sqlPerMonth.map { ["month": $0.month, "actual": $0.actual, "target": $0.target] as [String: Any] },
            "response_time": [
                "clock": responseTime.clock, "limit_hours": responseTime.limitHours, "sqls": responseTime.sqls,
                "contacted": responseTime.contacted, "within_limit": responseTime.withinLimit,
                "not_contacted": responseTime.notContacted, "median_hours": value(responseTime.medianHours),
                "p90_hours": value(responseTime.p90Hours),
                "slowest": responseTime.slowest.map {
                    ["record_id": $0.recordId, "owner": $0.owner, "sql_at": $0.sqlAt, "hours": value($0.hours)] as [String: Any]
                },
                "by_owner": responseTime.byOwner.map {
                    [
                        "owner": $0.owner, "sqls": $0.sqls, "contacted": $0.contacted, "within_limit": $0.withinLimit,
                        "median_hours": value($0.medianHours),
                    ] as [String: Any]
                },
            ] as [String: Any],
            "follow_up": [
                "required_attempts": followUp.requiredAttempts, "not_converted": followUp.notConverted,
                "with_enough_attempts": followUp.measurable ? followUp.withEnoughAttempts : NSNull(),
            ] as [String: Any],
            "lead_velocity_rate": value(leadVelocityRate), "win_rate": value(winRate), "mql_to_sql_rate": value(mqlToSqlRate),
            "kpis": kpis.map {
                [
                    "name": $0.name, "target": value($0.target), "value": value($0.value), "unit": value($0.unit),
                    "measure": value($0.measure), "needs": value($0.needs),
                ] as [String: Any]
            },
            "skipped_rows": skippedRows.map { ["file": $0.file, "line": $0.line, "reason": $0.reason] as [String: Any] },
        ]
    }
}
