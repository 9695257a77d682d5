import Foundation

/// The sentences and headings only the document has, in both languages. Section titles and
/// field names are not here: they are the shared `Vocabulary`'s, as `diff` shows them.
struct DocumentWords {
    let language: Language

    init(_ language: Language) { self.language = language }

    private func pick(_ da: String, _ en: String) -> String { language == .da ? da : en }

    var versionWord: String { "Version" }
    func version(_ n: Int) -> String { "Version \(n)" }
    var draft: String { pick("Kladde (ikke foreslået som version)", "Draft (not proposed as a version)") }

    var approvalRule: String {
        pick(
            "En ny version træder først i kraft, når alle parter har godkendt den med deres underskrift.",
            "A new version comes into force only when every party has approved it by signing.")
    }

    func required(_ count: Int, of total: Int) -> String {
        if count == total { return pick("alle (\(total))", "all (\(total))") }
        return pick("\(count) af \(total)", "\(count) of \(total)")
    }

    var importanceHeading: String { pick("Vigtighed (1–5, 1 er vigtigst)", "Importance (1–5, 1 most important)") }

    func personaPriority(_ priority: PersonaPriority) -> String {
        switch priority {
        case .primary: pick("Primær persona", "Primary persona")
        case .secondary: pick("Sekundær persona", "Secondary persona")
        case .tertiary: pick("Tertiær persona", "Tertiary persona")
        }
    }

    var matchEngagement: String { pick("Match / engagement", "Match / engagement") }
    var lowEngagement: String { pick("Lavt engagement", "Low engagement") }
    var highEngagement: String { pick("Højt engagement", "High engagement") }
    var goodMatch: String { pick("Godt match", "Good match") }
    var poorMatch: String { pick("Dårligt match", "Poor match") }
    func priority(_ n: Int) -> String { pick("\(n). prioritet", "Priority \(n)") }

    var goalDescription: String { pick("Beskrivelse", "Description") }

    func metric(_ metric: GoalMetric) -> String {
        switch metric {
        case .leads: pick("Leads genereret", "Leads generated")
        case .mql: pick("MQL genereret", "MQLs generated")
        case .sql: pick("SQL genereret", "SQLs generated")
        case .sales: pick("Salg", "Sales")
        case .revenue: pick("Omsætning", "Revenue")
        }
    }

    /// A number with the language's digit grouping and decimal mark: 1.100.000 / 1,100,000.
    func number(_ value: Decimal) -> String {
        let text = "\(value)"
        let parts = text.split(separator: ".", maxSplits: 1)
        let digits = Array(parts[0])
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped += pick(".", ",") }
            grouped.append(digit)
        }
        return parts.count == 2 ? grouped + pick(",", ".") + parts[1] : grouped
    }

    func number(_ value: Int) -> String { number(Decimal(value)) }

    func sqlPerMonth(_ n: Int) -> String {
        pick("Marketing leverer \(number(n)) SQL'er til Salg om måneden.", "Marketing delivers \(number(n)) SQLs to Sales a month.")
    }

    func revenueContribution(_ amount: String) -> String {
        pick("Marketing bidrager til en omsætning på \(amount).", "Marketing contributes \(amount) of revenue.")
    }

    func responseTime(_ hours: Int) -> String {
        pick(
            "Salg kontakter et SQL senest \(hours) timer efter, at det er blevet SQL.",
            "Sales contacts an SQL at most \(hours) hours after it became an SQL.")
    }

    func followUps(_ n: Int) -> String {
        pick("Salg følger op \(n) gange, før et lead opgives.", "Sales follows up \(n) times before a lead is given up.")
    }

    func reporting(_ frequency: ReportingFrequency) -> String {
        switch frequency {
        case .weekly: pick("Der afrapporteres hver uge.", "Reports are made every week.")
        case .biweekly: pick("Der afrapporteres hver anden uge.", "Reports are made every other week.")
        case .monthly: pick("Der afrapporteres hver måned.", "Reports are made every month.")
        case .quarterly: pick("Der afrapporteres hvert kvartal.", "Reports are made every quarter.")
        }
    }

    func validitySentence(from date: String, renewalsPerYear n: Int) -> String {
        let times = n == 1 ? pick("én gang", "once") : pick("\(n) gange", "\(n) times")
        return pick(
            "Aftalen gælder fra \(date), og alle dens punkter gælder, indtil den fornyes. Den fornyes ved et møde mellem parterne \(times) om året.",
            "The agreement is valid from \(date), and all its points hold until it is renewed. It is renewed at a meeting of the parties \(times) a year."
        )
    }

    var renewal: String { pick("Fornyelse", "Renewal") }
    var lastRenewal: String { pick("Seneste fornyelse", "Last renewal") }
    var nextRenewal: String { pick("Næste fornyelse", "Next renewal") }

    func renewalFrequency(_ perYear: Int) -> String {
        switch perYear {
        case 1: pick("Årligt", "Yearly")
        case 2: pick("Halvårligt", "Half-yearly")
        case 4: pick("Kvartalsvis", "Quarterly")
        case 12: pick("Månedligt", "Monthly")
        default: pick("Hver \(12 / perYear). måned", "Every \(12 / perYear) months")
        }
    }

    /// "30, 7 og 1" / "30, 7 and 1": the label says what they are.
    func reminders(_ days: [Int]) -> String {
        let list = days.map(String.init)
        guard list.count > 1 else { return list.first ?? "" }
        return list.dropLast().joined(separator: ", ") + pick(" og ", " and ") + list.last!
    }

    var signaturesTitle: String { pick("Underskrifter", "Signatures") }
    var signedAt: String { pick("Underskrevet (UTC)", "Signed at (UTC)") }
    var fingerprint: String { pick("Nøgle (fingeraftryk)", "Key (fingerprint)") }
    var verifiedHeading: String { pick("Verificeret", "Verified") }
    var verified: String { pick("Verificeret", "Verified") }
    var unsigned: String { pick("Ikke underskrevet", "Not signed") }
    func invalid(_ problem: String) -> String { pick("Ugyldig: ", "Not valid: ") + problem }
    var approved: String { pick("Versionen er godkendt af alle parter.", "This version is approved by every party.") }
    var notApproved: String { pick("Versionen er ikke godkendt.", "This version is not approved.") }

    func stillToSign(_ names: [String]) -> String {
        pick("Mangler underskrift fra: ", "Still to sign: ") + names.joined(separator: ", ") + "."
    }

    var draftNotSigned: String {
        pick(
            "En kladde underskrives ikke. Den skal først foreslås som en version (sla propose).",
            "A draft is not signed. It must first be proposed as a version (sla propose).")
    }
}
