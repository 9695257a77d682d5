import Foundation
import SLALimits
import SSHSigKit

/// Turns an agreement file into an `Agreement`, reporting every problem at once with its
/// position. An agreement is returned only when there are no errors (warnings are fine).
public enum AgreementDecoder {

    /// - Parameters:
    ///   - file: the repository-relative path used in messages.
    ///   - expectedID: the agreement folder's name, which `id` must equal.
    public static func decode(_ data: Data, file: String, expectedID: String?) -> (agreement: Agreement?, diagnostics: [Diagnostic]) {
        let walker = Walker(file: file)
        let (root, problems) = YAMLReader.read(data)
        for problem in problems {
            walker.error(problem.position, problem.message)
        }
        guard let root else {
            return (nil, walker.diagnostics.sortedByPosition())
        }
        let agreement = walker.agreement(root, expectedID: expectedID)
        if let agreement, !walker.diagnostics.hasErrors {
            let signatories = agreement.parties.flatMap(\.signatories)
            for (position, message) in AuditorReading.problems(data, signatories: signatories) {
                walker.error(position, message)
            }
        }
        let diagnostics = walker.diagnostics.sortedByPosition()
        return (diagnostics.hasErrors ? nil : agreement, diagnostics)
    }

    /// Agreement and party ids: `^[a-z0-9][a-z0-9-]{0,62}$`, so an id is always a safe path component.
    public static func isValidID(_ id: String) -> Bool {
        Characters.isID(id)
    }

    /// Principals name signature files: `[A-Za-z0-9._+@-]` only, and never `.` or `..`.
    public static func isValidPrincipal(_ principal: String) -> Bool {
        Characters.isPrincipalText(principal) && principal != "." && principal != ".."
    }

    /// `PRINCIPAL.FPR.sig` names a key by `.` and 16 hex digits, so a principal may not end that
    /// way, in either case (`x.77DEEE21C340EB85.sig` and `x.77deee21c340eb85.sig` would be one
    /// file on macOS and Windows).
    static func endsLikeFingerprint(_ principal: String) -> Bool {
        Characters.endsLikeFingerprint(principal.lowercased())
    }
}

/// Collects diagnostics while reading; every reader returns nil after reporting a problem.
private final class Walker {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func error(_ position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, position: position, message: message))
    }

    func warning(_ position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: file, position: position, message: message))
    }

    // MARK: Agreement

    func agreement(_ root: YAMLNode, expectedID: String?) -> Agreement? {
        guard
            let top = fields(
                root, "the agreement",
                [
                    "schema", "id", "title", "company", "language", "parties", "owner", "informed",
                    "overview", "ideal_customer", "lead_definitions", "goals", "lead_handling", "kpis", "validity",
                ])
        else { return nil }

        if let schema = top.text("schema"), schema != Agreement.schemaIdentifier {
            error(top.position("schema"), "schema must be \(Agreement.schemaIdentifier), got \(schema)")
        }
        var id = top.text("id")
        if let value = id {
            if !AgreementDecoder.isValidID(value) {
                error(top.position("id"), "id '\(value)' must match [a-z0-9][a-z0-9-]{0,62}")
                id = nil
            } else if let expectedID, value != expectedID {
                error(top.position("id"), "id '\(value)' must equal the agreement's folder name '\(expectedID)'")
                id = nil
            }
        }
        let title = top.text("title")
        let company = top.text("company")
        let language: Language? = top.choice("language")
        let parties = self.parties(top)
        let owner = top.required("owner").flatMap { person($0, "owner") }
        let informed = top.optionalList("informed")?.enumerated().map { person($1, "informed[\($0 + 1)]") }
        let overview = top.mapping("overview", ["purpose"]).flatMap { f in f.text("purpose").map(Overview.init) }
        let idealCustomer = self.idealCustomer(top)
        let leadDefinitions = self.leadDefinitions(top)
        let goals = self.goals(top)
        let leadHandling = self.leadHandling(top)
        let kpis = self.kpis(top)
        let validity = self.validity(top)

        if let goals, let leadHandling, let validity {
            consistencyWarnings(goals: goals, marketing: leadHandling.marketing, validity: validity)
        }

        guard let id, let title, let company, let language, let parties, let owner,
            let overview, let idealCustomer, let leadDefinitions, let goals, let leadHandling,
            let kpis, let validity
        else { return nil }
        let informedPeople = informed ?? []
        guard !informedPeople.contains(where: { $0 == nil }) else { return nil }
        return Agreement(
            schema: Agreement.schemaIdentifier, id: id, title: title, company: company, language: language,
            parties: parties, owner: owner, informed: informedPeople.compactMap { $0 },
            overview: overview, idealCustomer: idealCustomer, leadDefinitions: leadDefinitions,
            goals: goals.map(\.goal), leadHandling: leadHandling, kpis: kpis, validity: validity)
    }

    // MARK: Parties

    private func parties(_ top: Fields) -> [Party]? {
        guard let list = top.list("parties", count: 2...Limits.parties, limit: Limits.parties) else { return nil }
        var partyIDs: [String: Int] = [:]
        var principals: [String: (text: String, position: SourcePosition)] = [:]
        var keys: [Data: SourcePosition] = [:]
        var result: [Party?] = []
        for (index, node) in list.enumerated() {
            let path = "parties[\(index + 1)]"
            guard let f = fields(node, path, ["id", "name", "required", "signatories"]) else {
                result.append(nil)
                continue
            }
            var id = f.text("id")
            if let value = id {
                if !AgreementDecoder.isValidID(value) {
                    error(f.position("id"), "party id '\(value)' must match [a-z0-9][a-z0-9-]{0,62}")
                    id = nil
                } else if let first = partyIDs[value] {
                    error(f.position("id"), "party id '\(value)' is listed twice (first as parties[\(first)])")
                    id = nil
                } else {
                    partyIDs[value] = index + 1
                }
            }
            let name = f.text("name")
            var signatories: [Signatory]?
            if let nodes = f.list("signatories", count: 1...Limits.signatoriesPerParty, limit: Limits.signatoriesPerParty) {
                let read = nodes.enumerated().map { signatory($1, "\(path).signatories[\($0 + 1)]", &principals, &keys) }
                signatories = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
            }
            var required = RequiredSignatures.all
            if let node = f.node("required") {
                if case .scalar(let s) = node, s.text == "all" {
                    required = .all
                } else if case .scalar(let s) = node, s.isPlain, Int(s.text) == nil {
                    error(node.position, "required must be all or a number of signatures (1 to the party's signatories), got \(s.text)")
                    result.append(nil)
                    continue
                } else if let n = f.int("required", 1...(signatories.flatMap { $0.isEmpty ? nil : $0.count } ?? Int.max)) {
                    required = .count(n)
                } else {
                    result.append(nil)
                    continue
                }
            }
            if let id, let name, let signatories {
                result.append(Party(id: id, name: name, required: required, signatories: signatories))
            } else {
                result.append(nil)
            }
        }
        return result.contains { $0 == nil } ? nil : result.compactMap { $0 }
    }

    private func signatory(
        _ node: YAMLNode, _ path: String,
        _ principals: inout [String: (text: String, position: SourcePosition)], _ keys: inout [Data: SourcePosition]
    ) -> Signatory? {
        guard let f = fields(node, path, ["name", "role", "principal", "key"]) else { return nil }
        let name = f.text("name")
        let role = f.text("role")
        var principal = f.principal("principal")
        if let value = principal {
            // Compared without case: two principals that differ only in case would name one
            // signature file on a file system that ignores case (macOS, Windows).
            if let first = principals[value.lowercased()] {
                error(
                    f.position("principal"),
                    first.text == value
                        ? "principal '\(value)' is already a signatory (line \(first.position.line)); each signatory needs their own"
                        : "principal '\(value)' differs from '\(first.text)' (line \(first.position.line)) only in case; their signature files would be one file on macOS and Windows"
                )
                principal = nil
            } else {
                principals[value.lowercased()] = (value, f.position("principal"))
            }
        }
        var key: String?
        if let line = f.text("key") {
            do {
                let parsed = try Ed25519PublicKey(openSSHLine: line)
                if let first = keys[parsed.rawRepresentation] {
                    error(
                        f.position("key"), "this key is already listed at line \(first.line); a key may be listed only once in an agreement"
                    )
                } else {
                    keys[parsed.rawRepresentation] = f.position("key")
                    key = parsed.openSSHLine
                }
            } catch {
                self.error(f.position("key"), "key: \(error)")
            }
        }
        guard let name, let role, let principal, let key else { return nil }
        return Signatory(name: name, role: role, principal: principal, key: key)
    }

    private func person(_ node: YAMLNode, _ path: String) -> Person? {
        guard let f = fields(node, path, ["name", "principal"]) else { return nil }
        let name = f.text("name")
        let principal = f.principal("principal")
        guard let name, let principal else { return nil }
        return Person(name: name, principal: principal)
    }

    // MARK: §2

    private func idealCustomer(_ top: Fields) -> IdealCustomer? {
        guard let f = top.mapping("ideal_customer", ["criteria", "personas"]) else { return nil }
        var criteria: [Criterion]?
        if let nodes = f.list("criteria", count: 1...Limits.listEntries) {
            var seen: [String: Int] = [:]
            let read: [Criterion?] = nodes.enumerated().map { index, node in
                guard let c = fields(node, "ideal_customer.criteria[\(index + 1)]", ["criterion", "characteristic", "importance"]) else {
                    return nil
                }
                let criterion = c.text("criterion")
                let characteristic = c.text("characteristic")
                let importance = c.int("importance", 1...5)
                guard let criterion, let characteristic, let importance else { return nil }
                let identity = criterion + "\u{0}" + characteristic
                if let first = seen[identity] {
                    error(
                        c.position("criterion"),
                        "criterion '\(criterion)' with characteristic '\(characteristic)' is listed twice (first as criteria[\(first)])")
                    return nil
                }
                seen[identity] = index + 1
                return Criterion(criterion: criterion, characteristic: characteristic, importance: importance)
            }
            criteria = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
        }
        var personas: [Persona]?
        if let nodes = f.list("personas", count: 1...3) {
            var names: Set<String> = []
            var priorities: Set<PersonaPriority> = []
            let read: [Persona?] = nodes.enumerated().map { index, node in
                guard let p = fields(node, "ideal_customer.personas[\(index + 1)]", ["name", "priority", "description"]) else { return nil }
                let name = p.text("name")
                let priority: PersonaPriority? = p.choice("priority")
                let description = p.optionalText("description")
                // Each check on its own, so a row wrong twice is reported twice.
                var repeated = false
                if let name, !names.insert(name).inserted {
                    error(p.position("name"), "persona '\(name)' is listed twice")
                    repeated = true
                }
                if let priority, !priorities.insert(priority).inserted {
                    error(p.position("priority"), "two personas have priority \(priority.rawValue); each priority may be used once")
                    repeated = true
                }
                guard let name, let priority, !repeated else { return nil }
                return Persona(name: name, priority: priority, description: description)
            }
            personas = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
        }
        guard let criteria, let personas else { return nil }
        return IdealCustomer(criteria: criteria, personas: personas)
    }

    // MARK: §3

    private func leadDefinitions(_ top: Fields) -> LeadDefinitions? {
        guard let f = top.mapping("lead_definitions", ["matrix", "engagement_threshold", "flows", "lead", "mql", "sql"]) else { return nil }
        var matrix: LeadMatrix?
        if let m = f.mapping(
            "matrix",
            ["good_match_high_engagement", "good_match_low_engagement", "poor_match_high_engagement", "poor_match_low_engagement"])
        {
            let goodHigh = m.int("good_match_high_engagement", 1...1)
            let goodLow = m.int("good_match_low_engagement", 2...3)
            let poorHigh = m.int("poor_match_high_engagement", 2...3)
            let poorLow = m.int("poor_match_low_engagement", 4...4)
            if let goodLow, let poorHigh, goodLow == poorHigh {
                error(
                    m.position("poor_match_high_engagement"),
                    "poor_match_high_engagement and good_match_low_engagement are both \(goodLow); one must be 2 and the other 3")
            } else if let goodHigh, let goodLow, let poorHigh, let poorLow {
                matrix = LeadMatrix(
                    goodMatchHighEngagement: goodHigh, goodMatchLowEngagement: goodLow,
                    poorMatchHighEngagement: poorHigh, poorMatchLowEngagement: poorLow)
            }
        }
        let threshold = f.text("engagement_threshold")
        var flows: LeadFlows?
        var flowsOK = true
        if f.node("flows") != nil {
            if let fl = f.mapping("flows", ["good_match_low_engagement", "poor_match_high_engagement", "poor_match_low_engagement"]) {
                flows = LeadFlows(
                    goodMatchLowEngagement: fl.optionalText("good_match_low_engagement"),
                    poorMatchHighEngagement: fl.optionalText("poor_match_high_engagement"),
                    poorMatchLowEngagement: fl.optionalText("poor_match_low_engagement"))
            } else {
                flowsOK = false
            }
        }
        let lead = f.text("lead")
        let mql = f.text("mql")
        let sql = f.text("sql")
        guard let matrix, let threshold, flowsOK, let lead, let mql, let sql else { return nil }
        return LeadDefinitions(matrix: matrix, engagementThreshold: threshold, flows: flows, lead: lead, mql: mql, sql: sql)
    }

    // MARK: §4

    struct PlacedGoal {
        let goal: Goal
        let position: SourcePosition
        let targetPosition: SourcePosition
    }

    private func goals(_ top: Fields) -> [PlacedGoal]? {
        guard let nodes = top.list("goals", count: 1...Limits.listEntries) else { return nil }
        var seen: [String: Int] = [:]
        let read: [PlacedGoal?] = nodes.enumerated().map { index, node in
            guard let g = fields(node, "goals[\(index + 1)]", ["metric", "target", "unit", "deadline", "note"]) else { return nil }
            let metric: GoalMetric? = g.choice("metric")
            let target = g.decimal("target")
            let unit = g.optionalText("unit")
            let deadline = g.date("deadline")
            let note = g.optionalText("note")
            // The identity is checked even when the target is wrong: every problem at once.
            guard let metric, let deadline else { return nil }
            let identity = "\(metric.rawValue)@\(deadline.iso)"
            if let first = seen[identity] {
                error(
                    g.position("deadline"),
                    "goal \(metric.rawValue) with deadline \(deadline.iso) is listed twice (first as goals[\(first)]); sub-goals need earlier deadlines"
                )
                return nil
            }
            seen[identity] = index + 1
            guard let target else { return nil }
            if metric != .revenue, !target.isWhole {
                // Leads, MQLs, SQLs and sales are counted: `1.500` is a Danish thousand, not 1.5.
                error(
                    g.position("target"),
                    "target of a \(metric.rawValue) goal is a count and must be a whole number, got \(g.plainText("target") ?? "\(target)"); write thousands without a separator (1500, not 1.500)"
                )
                return nil
            }
            if metric == .revenue { g.warnIfThousandsLookalike("target") }
            return PlacedGoal(
                goal: Goal(metric: metric, target: target, unit: unit, deadline: deadline, note: note),
                position: node.position, targetPosition: g.position("target"))
        }
        return read.contains { $0 == nil } ? nil : read.compactMap { $0 }
    }

    // MARK: §5

    private func leadHandling(_ top: Fields) -> LeadHandling? {
        guard let f = top.mapping("lead_handling", ["marketing", "sales"]) else { return nil }
        var marketing: MarketingCommitment?
        if let m = f.mapping("marketing", ["sql_per_month", "revenue_contribution", "revenue_unit", "quality", "handover"]) {
            let sqlPerMonth = m.int("sql_per_month", 0...1_000_000_000)
            let revenue = m.decimal("revenue_contribution")
            if revenue != nil { m.warnIfThousandsLookalike("revenue_contribution") }
            let unit = m.text("revenue_unit")
            let quality = m.text("quality")
            let handover = m.text("handover")
            if let sqlPerMonth, let revenue, let unit, let quality, let handover {
                marketing = MarketingCommitment(
                    sqlPerMonth: sqlPerMonth, revenueContribution: revenue, revenueUnit: unit,
                    quality: quality, handover: handover)
            }
        }
        var sales: SalesCommitment?
        if let s = f.mapping("sales", ["contact_non_sql", "response_time_hours", "follow_up_attempts", "not_ready"]) {
            let contact = s.text("contact_non_sql")
            let response = s.int("response_time_hours", 0...100_000)
            let attempts = s.int("follow_up_attempts", 0...1000)
            let notReady = s.text("not_ready")
            if let contact, let response, let attempts, let notReady {
                sales = SalesCommitment(contactNonSQL: contact, responseTimeHours: response, followUpAttempts: attempts, notReady: notReady)
            }
        }
        guard let marketing, let sales else { return nil }
        return LeadHandling(marketing: marketing, sales: sales)
    }

    // MARK: §6

    private func kpis(_ top: Fields) -> KPIs? {
        guard let f = top.mapping("kpis", ["items", "reporting"]) else { return nil }
        var items: [KPI]?
        if let nodes = f.list("items", count: 5...7) {
            var names: [String: Int] = [:]
            let read: [KPI?] = nodes.enumerated().map { index, node in
                guard let k = fields(node, "kpis.items[\(index + 1)]", ["name", "definition", "target"]) else { return nil }
                let name = k.text("name")
                let definition = k.text("definition")
                let target = k.optionalText("target")
                guard let name, let definition else { return nil }
                if let first = names[name] {
                    error(k.position("name"), "KPI '\(name)' is listed twice (first as items[\(first)])")
                    return nil
                }
                names[name] = index + 1
                return KPI(name: name, definition: definition, target: target)
            }
            items = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
        }
        var reporting: Reporting?
        if let r = f.mapping("reporting", ["frequency", "attendees", "optimisation"]) {
            let frequency: ReportingFrequency? = r.choice("frequency")
            var attendees: [String]?
            if let nodes = r.list("attendees", count: 1...Limits.listEntries) {
                var seen: Set<String> = []
                let read: [String?] = nodes.map { node in
                    guard let text = r.scalarText(node, "attendees") else { return nil }
                    if !seen.insert(text).inserted {
                        error(node.position, "attendee '\(text)' is listed twice")
                        return nil
                    }
                    return text
                }
                attendees = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
            }
            let optimisation = r.text("optimisation")
            if let frequency, let attendees, let optimisation {
                reporting = Reporting(frequency: frequency, attendees: attendees, optimisation: optimisation)
            }
        }
        guard let items, let reporting else { return nil }
        return KPIs(items: items, reporting: reporting)
    }

    // MARK: §7

    private func validity(_ top: Fields) -> Validity? {
        guard let f = top.mapping("validity", ["effective_from", "renewals_per_year", "reviewer", "remind_days_before"]) else { return nil }
        let from = f.date("effective_from")
        var renewals = f.int("renewals_per_year", 1...12)
        if let n = renewals, 12 % n != 0 {
            error(f.position("renewals_per_year"), "renewals_per_year must divide 12 (1, 2, 3, 4, 6 or 12), got \(n)")
            renewals = nil
        }
        let reviewer = f.text("reviewer")
        var remind: [Int]? = [30, 7, 1]
        if f.node("remind_days_before") != nil {
            remind = nil
            if let nodes = f.list("remind_days_before", count: 0...Limits.listEntries) {
                var seen: Set<Int> = []
                let read: [Int?] = nodes.map { node in
                    guard let n = f.intValue(node, "remind_days_before", 1...366) else { return nil }
                    if !seen.insert(n).inserted {
                        error(node.position, "remind_days_before lists \(n) twice")
                        return nil
                    }
                    return n
                }
                if !read.contains(where: { $0 == nil }) { remind = read.compactMap { $0 } }
            }
        }
        guard let from, let renewals, let reviewer, let remind else { return nil }
        let validity = Validity(
            effectiveFrom: from, renewalsPerYear: renewals, reviewer: reviewer,
            remindDaysBefore: remind.sorted(by: >))
        guard Schedule.writableRenewalDue(validity) != nil else {
            // Dates are written YYYY-MM-DD: a renewal after 9999-12-31 could not be.
            let months = validity.renewalIntervalMonths
            error(
                f.position("effective_from"),
                "effective_from \(from.iso) is too late: the renewal \(months) month\(months == 1 ? "" : "s") after it would fall after 9999-12-31"
            )
            return nil
        }
        return validity
    }

    // MARK: Consistency warnings

    private func consistencyWarnings(goals: [PlacedGoal], marketing: MarketingCommitment, validity: Validity) {
        let funnel: [GoalMetric] = [.leads, .mql, .sql, .sales]
        for (deadline, group) in Dictionary(grouping: goals, by: { $0.goal.deadline }) {
            let present = funnel.compactMap { metric in group.first { $0.goal.metric == metric } }
            for (earlier, later) in zip(present, present.dropFirst()) where later.goal.target > earlier.goal.target {
                warning(
                    later.targetPosition,
                    "goals due \(deadline.iso): \(later.goal.metric.rawValue) target \(later.goal.target) is above \(earlier.goal.metric.rawValue) target \(earlier.goal.target); expected leads >= mql >= sql >= sales"
                )
            }
        }
        for placed in goals where placed.goal.metric == .sql {
            let months = validity.effectiveFrom.wholeMonths(until: placed.goal.deadline.adding(days: 1))
            let delivered = Decimal(marketing.sqlPerMonth) * Decimal(months)
            if delivered < placed.goal.target {
                warning(
                    placed.targetPosition,
                    "sql target \(placed.goal.target) by \(placed.goal.deadline.iso) is more than marketing's \(marketing.sqlPerMonth) SQL a month deliver in the \(months) whole month\(months == 1 ? "" : "s") from \(validity.effectiveFrom.iso) (\(delivered))"
                )
            }
        }
    }

    // MARK: Readers

    func fields(_ node: YAMLNode, _ path: String, _ allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node.position, "\(path) must be a mapping of keys, got \(node.kindName)")
            return nil
        }
        return Fields(walker: self, mapping: mapping, path: path, allowed: allowed)
    }
}

/// The keys of one mapping, read by name; unknown keys are reported on creation.
private struct Fields {
    let walker: Walker
    let mapping: YAMLMapping
    let path: String

    init(walker: Walker, mapping: YAMLMapping, path: String, allowed: [String]) {
        self.walker = walker
        self.mapping = mapping
        self.path = path
        for entry in mapping.entries where !allowed.contains(entry.key.text) {
            var message = "unknown key '\(entry.key.text)' in \(path)"
            if let suggestion = Self.closest(to: entry.key.text, in: allowed) {
                message += " (did you mean '\(suggestion)'?)"
            }
            walker.error(entry.key.position, message)
        }
    }

    private func qualified(_ key: String) -> String {
        path == "the agreement" ? key : "\(path).\(key)"
    }

    /// Where a key's value is, or the mapping itself when the key is missing.
    func position(_ key: String) -> SourcePosition {
        mapping[key]?.position ?? mapping.position
    }

    /// The value, or nil when the key is absent or null.
    func node(_ key: String) -> YAMLNode? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let s) = node, s.isNull { return nil }
        return node
    }

    func required(_ key: String) -> YAMLNode? {
        guard let node = node(key) else {
            walker.error(mapping[key]?.position ?? mapping.position, "missing \(qualified(key))")
            return nil
        }
        return node
    }

    func mapping(_ key: String, _ allowed: [String]) -> Fields? {
        guard let node = required(key) else { return nil }
        return walker.fields(node, qualified(key), allowed)
    }

    /// - Parameter limit: the most entries read at all (`Limits`): a list of the wrong length
    ///   still has its entries checked up to it, so every problem is reported at once.
    func list(_ key: String, count: some RangeExpression<Int>, limit: Int = Limits.listEntries) -> [YAMLNode]? {
        guard let node = required(key) else { return nil }
        return listValue(node, key, count: count, limit: limit)
    }

    func optionalList(_ key: String) -> [YAMLNode]? {
        guard let node = node(key) else { return nil }
        return listValue(node, key, count: 0...Limits.listEntries)
    }

    private func listValue(_ node: YAMLNode, _ key: String, count: some RangeExpression<Int>, limit: Int = Limits.listEntries)
        -> [YAMLNode]?
    {
        guard case .sequence(let sequence) = node else {
            walker.error(node.position, "\(key) must be a list, got \(node.kindName)")
            return nil
        }
        guard count.contains(sequence.items.count) else {
            walker.error(node.position, "\(key) must have \(Self.describe(count)) entries, got \(sequence.items.count)")
            // The entries are still checked, so every problem is reported at once; past the
            // limit, nothing more is read.
            return sequence.items.count <= limit ? sequence.items : nil
        }
        return sequence.items
    }

    /// A required, non-empty text.
    func text(_ key: String) -> String? {
        guard let node = required(key) else { return nil }
        return scalarText(node, key)
    }

    func optionalText(_ key: String) -> String? {
        guard let node = node(key) else { return nil }
        return scalarText(node, key)
    }

    func scalarText(_ node: YAMLNode, _ key: String) -> String? {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            walker.error(node.position, "\(key) must be text, got \(node.kindName)")
            return nil
        }
        // Stops at the first visible character (trimming would copy the whole text through NSString).
        guard Self.hasVisibleCharacter(scalar.text) else {
            walker.error(node.position, "\(key) must not be empty")
            return nil
        }
        return scalar.text
    }

    /// Whether the text holds anything but white space; stops at the first visible character.
    static func hasVisibleCharacter(_ text: String) -> Bool {
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return true }
        return text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    func principal(_ key: String) -> String? {
        guard let text = text(key) else { return nil }
        guard AgreementDecoder.isValidPrincipal(text) else {
            walker.error(
                position(key),
                text == "." || text == ".."
                    ? "\(key) '\(text)' cannot name a signature file; use the person's e-mail address"
                    : "\(key) '\(text)' may contain only ASCII letters (A-Z, a-z), digits and . _ + @ - (no æ, ø, å or spaces)")
            return nil
        }
        guard !AgreementDecoder.endsLikeFingerprint(text) else {
            walker.error(
                position(key), "\(key) '\(text)' may not end in '.' and 16 hex digits: signature file names use that for key fingerprints")
            return nil
        }
        return text
    }

    func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let node = required(key) else { return nil }
        return intValue(node, key, range)
    }

    func intValue(_ node: YAMLNode, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.isPlain,
            Characters.isInteger(scalar.text, maxDigits: 18), let value = Int(scalar.text)
        else {
            var tooLong = false
            if case .scalar(let scalar) = node, scalar.isPlain, Characters.isInteger(scalar.text, maxDigits: 1_000_000) { tooLong = true }
            walker.error(
                node.position, "\(key) must be a whole number\(tooLong ? " of at most 18 digits" : ""), got \(Self.show(node))")
            return nil
        }
        guard range.contains(value) else {
            let expected =
                range.lowerBound == range.upperBound
                ? "\(range.lowerBound)"
                : range.upperBound < 100_000
                    ? "\(range.lowerBound)..\(range.upperBound)"
                    : value < range.lowerBound ? "at least \(range.lowerBound)" : "at most \(range.upperBound)"
            walker.error(node.position, "\(key) must be \(expected), got \(value)")
            return nil
        }
        return value
    }

    /// A number >= 0, whole or decimal.
    /// The text of a plain scalar at `key`, as written.
    func plainText(_ key: String) -> String? {
        guard case .scalar(let scalar)? = node(key), scalar.isPlain else { return nil }
        return scalar.text
    }

    /// An amount written with one point and exactly three digits after it (`1.500`, `2.000`)
    /// reads as a fraction, though in Danish the point separates thousands: worth a warning.
    func warnIfThousandsLookalike(_ key: String) {
        guard let text = plainText(key), let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].count == 3,
            let position = node(key)?.position
        else { return }
        walker.warning(
            position,
            "\(key) \(text) is read with three decimals (the point is the decimal point); if you meant thousands, write it without a separator: \(text.replacingOccurrences(of: ".", with: ""))"
        )
    }

    func decimal(_ key: String) -> Decimal? {
        guard let node = required(key) else { return nil }
        guard case .scalar(let scalar) = node, scalar.isPlain, let value = Characters.decimal(scalar.text) else {
            walker.error(
                node.position, "\(key) must be a number (at most 15 digits before the point and 6 after it), got \(Self.show(node))")
            return nil
        }
        guard value >= 0 else {
            walker.error(node.position, "\(key) must be 0 or more, got \(scalar.text)")
            return nil
        }
        return value
    }

    func date(_ key: String) -> LocalDate? {
        guard let node = required(key) else { return nil }
        guard case .scalar(let scalar) = node,
            Characters.matches(scalar.text, shape: "dddd-dd-dd")
        else {
            walker.error(node.position, "\(key) must be a date written YYYY-MM-DD, got \(Self.show(node))")
            return nil
        }
        guard let date = LocalDate(iso: scalar.text) else {
            walker.error(node.position, "\(key) \(scalar.text) is not a real date")
            return nil
        }
        return date
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String) -> Choice? where Choice.RawValue == String {
        guard let node = required(key) else { return nil }
        let allowed = Choice.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = node, let value = Choice(rawValue: scalar.text) else {
            walker.error(node.position, "\(key) must be one of \(allowed.joined(separator: ", ")), got \(Self.show(node))")
            return nil
        }
        return value
    }

    static func show(_ node: YAMLNode) -> String {
        guard case .scalar(let scalar) = node, !scalar.isNull else { return node.kindName }
        let text = scalar.text.count > 40 ? String(scalar.text.prefix(40)) + "…" : scalar.text
        return scalar.isPlain ? text : "\"\(text)\""
    }

    static func describe(_ range: some RangeExpression<Int>) -> String {
        switch range {
        case let r as ClosedRange<Int>: r.lowerBound == r.upperBound ? "exactly \(r.lowerBound)" : "\(r.lowerBound) to \(r.upperBound)"
        case let r as PartialRangeFrom<Int>: "at least \(r.lowerBound)"
        default: "a valid number of"
        }
    }

    /// The allowed key a typo most likely meant, if any is close.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, key.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Decimal {
    /// Whether the value has no fraction.
    var isWhole: Bool { ReportBuilder.rounded(self, places: 0) == self }
}
