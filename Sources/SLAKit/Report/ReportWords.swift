/// The words of the report's markdown and HTML, in the agreement's language.
struct ReportWords {
    let language: Language
    func pick(_ da: String, _ en: String) -> String { language == .da ? da : en }
    var title: String { pick("Bliver aftalen overholdt?", "Is the agreement kept?") }
    var goals: String { pick("4. Målsætninger", "4. Goals") }
    var handling: String { pick("5. Behandling af leads", "5. Lead handling") }
    var kpis: String { pick("6. Analyse og optimering af performance", "6. KPIs and reporting") }
    var metric: String { pick("Nøgletal", "Metric") }
    var deadline: String { pick("Frist", "Deadline") }
    var target: String { pick("Mål", "Target") }
    var actual: String { pick("Opnået", "Actual") }
    var expected: String { pick("Forventet nu", "Expected by now") }
    var forecast: String { pick("Prognose", "Forecast") }
    var needed: String { pick("Mangler pr. 30 dage", "Needed per 30 days") }
    var state: String { pick("Status", "State") }
    var onTrack: String { pick("på sporet", "on track") }
    var behind: String { pick("bagud", "behind") }
    var withoutDeals: String { pick("kan ikke måles uden --deals", "not measurable without --deals") }
    var beforePeriod: String { pick("fristen ligger før perioden", "deadline before the period") }
    var sqlPerMonth: String { pick("SQL'er pr. måned mod aftalen", "SQLs per month against the commitment") }
    var month: String { pick("Måned", "Month") }
    var sqls: String { pick("SQL'er", "SQLs") }
    var commitment: String { pick("Aftalt", "Commitment") }
    var below: String { pick("under", "below") }
    var response: String { pick("Responstid", "Response time") }
    var limit: String { pick("grænse", "limit") }
    var hours: String { pick("timer", "hours") }
    var hoursColumn: String { pick("Timer", "Hours") }
    /// A KPI's unit as the report builder names it ("hours", "per month"), in this language.
    func unit(_ unit: String) -> String {
        switch unit {
        case "hours": return hours
        case "per month": return pick("pr. måned", "per month")
        default: return unit
        }
    }
    var contacted: String { pick("Kontaktet", "Contacted") }
    var withinLimit: String { pick("Inden for grænsen", "Within the limit") }
    var notContacted: String { pick("Ikke kontaktet", "Not contacted") }
    var median: String { pick("Median", "Median") }
    var p90: String { pick("90. percentil", "90th percentile") }
    var slowest: String { pick("Langsomst", "Slowest") }
    var recordId: String { pick("Record ID", "Record ID") }
    var owner: String { pick("Ejer", "Owner") }
    var noOwner: String { pick("(ingen ejer)", "(no owner)") }
    var sqlAt: String { pick("SQL fra", "SQL at") }
    var byOwner: String { pick("Pr. ejer", "By owner") }
    var kpi: String { pick("KPI", "KPI") }
    var value: String { pick("Værdi", "Value") }
    var nothingToMeasure: String { pick("intet at måle i perioden", "nothing to measure in the period") }
    var leadVelocity: String { pick("Lead velocity rate", "Lead velocity rate") }
    var winRate: String { pick("Andel vundne handler", "Win rate") }
    var skipped: String { pick("Sprunget over", "Skipped rows") }
    var file: String { pick("Fil", "File") }
    var line: String { pick("Linje", "Line") }
    var reason: String { pick("Årsag", "Reason") }
    func period(_ from: String, _ to: String) -> String { pick("Perioden \(from) til \(to)", "The period \(from) to \(to)") }
    func followUp(_ attempts: Int) -> String { pick("Opfølgning (\(attempts) forsøg)", "Follow-up (\(attempts) attempts)") }
    func followedUp(_ enough: Int, of notConverted: Int) -> String {
        pick(
            "\(enough) af \(notConverted) SQL'er, der ikke blev kunder, fik så mange forsøg.",
            "\(enough) of \(notConverted) SQLs not converted had that many attempts.")
    }
    var followUpNotMeasurable: String {
        pick("Kan ikke måles: der er ingen kolonne med antal kontaktforsøg.", "Not measurable: there is no times-contacted column.")
    }
    func metricName(_ metric: String) -> String {
        switch metric {
        case "leads": return "Leads"
        case "mql": return "MQL"
        case "sql": return "SQL"
        case "sales": return pick("Salg", "Sales")
        default: return pick("Omsætning", "Revenue")
        }
    }
}
