import Foundation

/// Maps the typed model onto the diff's tree, under the YAML's keys and in its order.
/// This is the one place that knows the schema; the comparison itself is generic.
enum DiffTree {

    /// Criterion names used more than once in either version: those criteria are matched
    /// by criterion and characteristic (`criteria[Branche/Produktion]`), the rest by name,
    /// so that a changed characteristic shows as a change, not as a removal and an addition.
    /// Taken over both versions so that the diff and its inverse address records alike.
    static func ambiguousCriterionNames(_ versions: Agreement...) -> Set<String> {
        var ambiguous = Set<String>()
        for agreement in versions {
            var seen = Set<String>()
            for criterion in agreement.idealCustomer.criteria where !seen.insert(criterion.criterion).inserted {
                ambiguous.insert(criterion.criterion)
            }
        }
        return ambiguous
    }

    static func criterionIdentity(_ criterion: Criterion, ambiguous: Set<String>) -> String {
        ambiguous.contains(criterion.criterion)
            ? criterion.criterion + "/" + criterion.characteristic
            : criterion.criterion
    }

    static func goalIdentity(_ goal: Goal) -> String {
        goal.metric.rawValue + "@" + goal.deadline.iso
    }

    static func node(_ a: Agreement, ambiguousCriteria: Set<String>) -> DiffNode {
        .record([
            ("schema", text(a.schema)),
            ("id", text(a.id)),
            ("title", text(a.title)),
            ("company", text(a.company)),
            ("language", text(a.language.rawValue)),
            ("parties", .keyed(a.parties.map { ($0.id, party($0)) })),
            ("owner", person(a.owner)),
            ("informed", .keyed(a.informed.map { ($0.principal, person($0)) })),
            ("overview", .record([("purpose", text(a.overview.purpose))])),
            (
                "ideal_customer",
                .record([
                    (
                        "criteria",
                        .keyed(
                            a.idealCustomer.criteria.map { c in
                                (
                                    criterionIdentity(c, ambiguous: ambiguousCriteria),
                                    .record([
                                        ("criterion", text(c.criterion)),
                                        ("characteristic", text(c.characteristic)),
                                        ("importance", integer(c.importance)),
                                    ])
                                )
                            })
                    ),
                    (
                        "personas",
                        .keyed(
                            a.idealCustomer.personas.map { p in
                                (
                                    p.name,
                                    .record([
                                        ("name", text(p.name)),
                                        ("priority", text(p.priority.rawValue)),
                                        ("description", text(p.description)),
                                    ])
                                )
                            })
                    ),
                ])
            ),
            ("lead_definitions", leadDefinitions(a.leadDefinitions)),
            (
                "goals",
                .keyed(
                    a.goals.map { g in
                        (
                            goalIdentity(g),
                            .record([
                                ("metric", text(g.metric.rawValue)),
                                ("target", .leaf(.number(g.target))),
                                ("unit", text(g.unit)),
                                ("deadline", .leaf(.date(g.deadline))),
                                ("note", text(g.note)),
                            ])
                        )
                    })
            ),
            (
                "lead_handling",
                .record([
                    (
                        "marketing",
                        .record([
                            ("sql_per_month", integer(a.leadHandling.marketing.sqlPerMonth)),
                            ("revenue_contribution", .leaf(.number(a.leadHandling.marketing.revenueContribution))),
                            ("revenue_unit", text(a.leadHandling.marketing.revenueUnit)),
                            ("quality", text(a.leadHandling.marketing.quality)),
                            ("handover", text(a.leadHandling.marketing.handover)),
                        ])
                    ),
                    (
                        "sales",
                        .record([
                            ("contact_non_sql", text(a.leadHandling.sales.contactNonSQL)),
                            ("response_time_hours", integer(a.leadHandling.sales.responseTimeHours)),
                            ("follow_up_attempts", integer(a.leadHandling.sales.followUpAttempts)),
                            ("not_ready", text(a.leadHandling.sales.notReady)),
                        ])
                    ),
                ])
            ),
            (
                "kpis",
                .record([
                    (
                        "items",
                        .keyed(
                            a.kpis.items.map { k in
                                (
                                    k.name,
                                    .record([
                                        ("name", text(k.name)),
                                        ("definition", text(k.definition)),
                                        ("target", text(k.target)),
                                    ])
                                )
                            })
                    ),
                    (
                        "reporting",
                        .record([
                            ("frequency", text(a.kpis.reporting.frequency.rawValue)),
                            ("attendees", .set(a.kpis.reporting.attendees.map(DiffValue.string))),
                            ("optimisation", text(a.kpis.reporting.optimisation)),
                        ])
                    ),
                ])
            ),
            (
                "validity",
                .record([
                    ("effective_from", .leaf(.date(a.validity.effectiveFrom))),
                    ("renewals_per_year", integer(a.validity.renewalsPerYear)),
                    ("reviewer", text(a.validity.reviewer)),
                    ("remind_days_before", .set(a.validity.remindDaysBefore.map(DiffValue.integer))),
                ])
            ),
        ])
    }

    private static func party(_ p: Party) -> DiffNode {
        let required: DiffValue =
            switch p.required {
            case .all: .string("all")
            case .count(let n): .integer(n)
            }
        return .record([
            ("id", text(p.id)),
            ("name", text(p.name)),
            ("required", .leaf(required)),
            (
                "signatories",
                .keyed(
                    p.signatories.map { s in
                        (
                            s.principal,
                            .record([
                                ("name", text(s.name)),
                                ("role", text(s.role)),
                                ("principal", text(s.principal)),
                                ("key", text(s.key)),
                            ])
                        )
                    })
            ),
        ])
    }

    private static func person(_ p: Person) -> DiffNode {
        .record([("name", text(p.name)), ("principal", text(p.principal))])
    }

    private static func leadDefinitions(_ d: LeadDefinitions) -> DiffNode {
        // Absent flows read as three absent texts, so adding one shows as that one text.
        .record([
            (
                "matrix",
                .record([
                    ("good_match_high_engagement", integer(d.matrix.goodMatchHighEngagement)),
                    ("good_match_low_engagement", integer(d.matrix.goodMatchLowEngagement)),
                    ("poor_match_high_engagement", integer(d.matrix.poorMatchHighEngagement)),
                    ("poor_match_low_engagement", integer(d.matrix.poorMatchLowEngagement)),
                ])
            ),
            ("engagement_threshold", text(d.engagementThreshold)),
            (
                "flows",
                .record([
                    ("good_match_low_engagement", text(d.flows?.goodMatchLowEngagement)),
                    ("poor_match_high_engagement", text(d.flows?.poorMatchHighEngagement)),
                    ("poor_match_low_engagement", text(d.flows?.poorMatchLowEngagement)),
                ])
            ),
            ("lead", text(d.lead)),
            ("mql", text(d.mql)),
            ("sql", text(d.sql)),
        ])
    }

    private static func text(_ s: String?) -> DiffNode { .leaf(s.map(DiffValue.string)) }
    private static func integer(_ n: Int) -> DiffNode { .leaf(.integer(n)) }
}
