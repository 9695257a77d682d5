/// The words `diff` and `render` show people: section titles and
/// a human name for every field of the schema, in both languages.
public enum Vocabulary {

    /// The heading a top-level key belongs to: 1–7 for the seven sections, 0 for everything
    /// else (title, company, language, parties, owner, informed, schema, id).
    public static func sectionNumber(_ key: String) -> Int {
        sectionKeys.firstIndex(of: key).map { $0 + 1 } ?? 0
    }

    /// The top-level keys of sections 1–7, in order.
    public static let sectionKeys = [
        "overview", "ideal_customer", "lead_definitions", "goals", "lead_handling", "kpis", "validity",
    ]

    /// "2. Den ideelle kunde" / "2. The ideal customer"; 0 is "Parter og ansvarlig" /
    /// "Parties and owner".
    public static func sectionTitle(_ number: Int, language: Language) -> String {
        let titles: [(da: String, en: String)] = [
            ("Parter og ansvarlig", "Parties and owner"),
            ("Overblik over aftale", "Overview of the agreement"),
            ("Den ideelle kunde", "The ideal customer"),
            ("Definitioner på leads", "Lead definitions"),
            ("Målsætninger", "Goals"),
            ("Behandling af leads", "Lead handling"),
            ("Analyse og optimering af performance", "Performance analysis and optimisation"),
            ("Gyldighed", "Validity"),
        ]
        let title = titles[max(0, min(number, titles.count - 1))]
        return "\(number). " + (language == .da ? title.da : title.en)
    }

    /// The human name of a field by its schema path (the change path without identities,
    /// e.g. `ideal_customer.criteria.importance`): "Vigtighed" / "Importance". Falls back to
    /// the last key, so an unknown field is still shown.
    public static func fieldName(_ schemaPath: String, language: Language) -> String {
        guard let names = fields[schemaPath] else {
            return String(schemaPath.split(separator: ".").last ?? Substring(schemaPath))
        }
        return language == .da ? names.da : names.en
    }

    /// What one record of a keyed list is called: `ideal_customer.criteria` → "Kriterie" /
    /// "Criterion".
    public static func recordName(_ schemaPath: String, language: Language) -> String {
        guard let names = records[schemaPath] else { return fieldName(schemaPath, language: language) }
        return language == .da ? names.da : names.en
    }

    /// Every field the schema has, by schema path, for tests and for other renderers.
    public static var schemaPaths: [String] { Array(fields.keys).sorted() }

    static let records: [String: (da: String, en: String)] = [
        "parties": ("Part", "Party"),
        "parties.signatories": ("Underskriver", "Signatory"),
        "informed": ("Informeret", "Informed"),
        "ideal_customer.criteria": ("Kriterie", "Criterion"),
        "ideal_customer.personas": ("Persona", "Persona"),
        "goals": ("Mål", "Goal"),
        "kpis.items": ("KPI", "KPI"),
    ]

    static let fields: [String: (da: String, en: String)] = [
        "schema": ("Skema", "Schema"),
        "id": ("Id", "Id"),
        "title": ("Titel", "Title"),
        "company": ("Virksomhed", "Company"),
        "language": ("Sprog", "Language"),
        "parties": ("Parter", "Parties"),
        "parties.id": ("Id", "Id"),
        "parties.name": ("Navn", "Name"),
        "parties.required": ("Krævede underskrifter", "Signatures required"),
        "parties.signatories": ("Underskrivere", "Signatories"),
        "parties.signatories.name": ("Navn", "Name"),
        "parties.signatories.role": ("Rolle", "Role"),
        "parties.signatories.principal": ("Principal", "Principal"),
        "parties.signatories.key": ("Nøgle", "Key"),
        "owner": ("SLA-ansvarlig", "SLA owner"),
        "owner.name": ("Navn", "Name"),
        "owner.principal": ("Principal", "Principal"),
        "informed": ("Informeres", "Informed"),
        "informed.name": ("Navn", "Name"),
        "informed.principal": ("Principal", "Principal"),

        "overview": ("Overblik", "Overview"),
        "overview.purpose": ("Formål", "Purpose"),

        "ideal_customer": ("Den ideelle kunde", "Ideal customer"),
        "ideal_customer.criteria": ("Kriterier", "Criteria"),
        "ideal_customer.criteria.criterion": ("Kriterie", "Criterion"),
        "ideal_customer.criteria.characteristic": ("Karakteristik", "Characteristic"),
        "ideal_customer.criteria.importance": ("Vigtighed", "Importance"),
        "ideal_customer.personas": ("Personaer", "Personas"),
        "ideal_customer.personas.name": ("Navn", "Name"),
        "ideal_customer.personas.priority": ("Prioritet", "Priority"),
        "ideal_customer.personas.description": ("Beskrivelse", "Description"),

        "lead_definitions": ("Definitioner på leads", "Lead definitions"),
        "lead_definitions.matrix": ("Prioritering", "Priorities"),
        "lead_definitions.matrix.good_match_high_engagement": ("God profil, højt engagement", "Good match, high engagement"),
        "lead_definitions.matrix.good_match_low_engagement": ("God profil, lavt engagement", "Good match, low engagement"),
        "lead_definitions.matrix.poor_match_high_engagement": ("Dårlig profil, højt engagement", "Poor match, high engagement"),
        "lead_definitions.matrix.poor_match_low_engagement": ("Dårlig profil, lavt engagement", "Poor match, low engagement"),
        "lead_definitions.engagement_threshold": ("Grænse for højt engagement", "Engagement threshold"),
        "lead_definitions.flows": ("Håndtering", "Handling"),
        "lead_definitions.flows.good_match_low_engagement": ("God profil, lavt engagement", "Good match, low engagement"),
        "lead_definitions.flows.poor_match_high_engagement": ("Dårlig profil, højt engagement", "Poor match, high engagement"),
        "lead_definitions.flows.poor_match_low_engagement": ("Dårlig profil, lavt engagement", "Poor match, low engagement"),
        "lead_definitions.lead": ("Lead", "Lead"),
        "lead_definitions.mql": ("MQL", "MQL"),
        "lead_definitions.sql": ("SQL", "SQL"),

        "goals": ("Målsætninger", "Goals"),
        "goals.metric": ("Måltal", "Metric"),
        "goals.target": ("Målværdi", "Target"),
        "goals.unit": ("Enhed", "Unit"),
        "goals.deadline": ("Frist", "Deadline"),
        "goals.note": ("Note", "Note"),

        "lead_handling": ("Behandling af leads", "Lead handling"),
        "lead_handling.marketing": ("Marketing", "Marketing"),
        "lead_handling.marketing.sql_per_month": ("SQL'er pr. måned", "SQLs per month"),
        "lead_handling.marketing.revenue_contribution": ("Omsætningsbidrag", "Revenue contribution"),
        "lead_handling.marketing.revenue_unit": ("Valuta for omsætningsbidrag", "Revenue unit"),
        "lead_handling.marketing.quality": ("Kvalitet", "Quality"),
        "lead_handling.marketing.handover": ("Overlevering", "Handover"),
        "lead_handling.sales": ("Salg", "Sales"),
        "lead_handling.sales.contact_non_sql": ("Kontakt til leads, der ikke er SQL", "Contacting leads that are not SQL"),
        "lead_handling.sales.response_time_hours": ("Responstid (timer)", "Response time (hours)"),
        "lead_handling.sales.follow_up_attempts": ("Opfølgningsforsøg", "Follow-up attempts"),
        "lead_handling.sales.not_ready": ("Leads, der ikke er klar til køb", "Leads not ready to buy"),

        "kpis": ("KPI'er", "KPIs"),
        "kpis.items": ("KPI'er", "KPIs"),
        "kpis.items.name": ("Navn", "Name"),
        "kpis.items.definition": ("Definition", "Definition"),
        "kpis.items.target": ("Mål", "Target"),
        "kpis.reporting": ("Rapportering", "Reporting"),
        "kpis.reporting.frequency": ("Hyppighed", "Frequency"),
        "kpis.reporting.attendees": ("Deltagere", "Attendees"),
        "kpis.reporting.optimisation": ("Optimering", "Optimisation"),

        "validity": ("Gyldighed", "Validity"),
        "validity.effective_from": ("Gælder fra", "Effective from"),
        "validity.renewals_per_year": ("Fornyelser pr. år", "Renewals per year"),
        "validity.reviewer": ("Ansvarlig for fornyelse", "Reviewer"),
        "validity.remind_days_before": ("Påmindelser (dage før)", "Reminders (days before)"),
    ]

    struct Words {
        let noChanges: String
        let change: String
        let changes: String
        let changesWhoMustSign: String
        let signingExplanation: String
        let added: String
        let removed: String
    }

    static func words(_ language: Language) -> Words {
        switch language {
        case .da:
            Words(
                noChanges: "Ingen ændringer", change: "ændring", changes: "ændringer",
                changesWhoMustSign: "Ændrer hvem der skal underskrive",
                signingExplanation: "Versionen skal også godkendes af underskriverne af den gældende version.",
                added: "Tilføjet", removed: "Fjernet")
        case .en:
            Words(
                noChanges: "No changes", change: "change", changes: "changes",
                changesWhoMustSign: "Changes who must sign",
                signingExplanation: "The version must also be approved by the signatories of the version in force.",
                added: "Added", removed: "Removed")
        }
    }
}
