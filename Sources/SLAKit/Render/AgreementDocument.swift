import Foundation
import SSHSigKit

/// An agreement as the document people read in the meeting: every field already worded in
/// one language, with the labels of the shared `Vocabulary`, the signature block and the
/// validity block. `DocumentRenderer` fills the markdown or HTML template with it; nothing
/// here is formatted for one output format. Stored properties only: the template engine
/// reads them by reflection.
public struct AgreementDocument: Sendable {
    public let language: String
    public let title: String
    public let company: String
    public let agreementID: String
    /// "Version 2" / "Kladde (ikke foreslået)".
    public let versionLabel: String
    /// What follows the label "Version": the number, or the word for a draft.
    public let versionValue: String
    /// SHA-256 of the bytes shown; nil for a draft.
    public let sha256: String?
    public let labels: Labels
    public let sections: Sections
    public let signatures: SignatureBlock

    public struct Labels: Sendable {
        let company, version, parties, party, signatories, required, owner, informed, sha256: String
        let criterion, characteristic, importance, persona, priority, description: String
        let matchEngagement, lowEngagement, highEngagement, goodMatch, poorMatch: String
        let engagementThreshold, handling, lead, mql, sql: String
        let metric, target, deadline, note: String
        let marketing, sales, quality, handover, contactNonSQL, notReady: String
        let kpiName, definition, kpiTarget, reporting, attendees, optimisation: String
        let validFrom, renewal, reviewer, lastRenewal, nextRenewal, reminders: String
        let signaturesTitle, name, role, signedAt, fingerprint, verified: String
    }

    public struct Sections: Sendable {
        let overview: OverviewSection
        let idealCustomer: IdealCustomerSection
        let leadDefinitions: LeadDefinitionsSection
        let goals: [GoalRow]
        let leadHandling: LeadHandlingSection
        let kpis: KPISection
        let validity: ValiditySection
        /// The seven headings, "1. Overblik over aftale" and so on: one property each, so the
        /// templates need no index.
        let t1, t2, t3, t4, t5, t6, t7: String
    }

    struct OverviewSection: Sendable {
        let purpose: String
        let approvalRule: String
        let parties: [PartyRow]
        let owner: String
        let informed: String?
    }

    struct PartyRow: Sendable {
        let name: String
        let signatories: String
        let required: String
    }

    struct IdealCustomerSection: Sendable {
        let criteria: [CriterionRow]
        let personas: [PersonaRow]
    }

    struct CriterionRow: Sendable {
        let criterion, characteristic: String
        let importance: Int
    }

    struct PersonaRow: Sendable {
        let name, priority: String
        let description: String?
    }

    struct LeadDefinitionsSection: Sendable {
        /// The 2x2 grid as the template draws it: good match on top, high engagement on the right.
        let goodLow, goodHigh, poorLow, poorHigh: String
        let engagementThreshold: String
        let flows: [LabelledText]
        let hasFlows: Bool
        let lead, mql, sql: String
    }

    struct LabelledText: Sendable {
        let label, text: String
    }

    struct GoalRow: Sendable {
        let metric, target, deadline: String
        let note: String?
    }

    struct LeadHandlingSection: Sendable {
        let marketingCommitments: [String]
        let marketingTexts: [LabelledText]
        let salesCommitments: [String]
        let salesTexts: [LabelledText]
    }

    struct KPISection: Sendable {
        let items: [KPIRow]
        let reportingSentence: String
        let attendees: String
        let optimisation: String
    }

    struct KPIRow: Sendable {
        let name, definition: String
        let target: String?
    }

    struct ValiditySection: Sendable {
        let sentence: String
        let validFrom, renewal, owner, reviewer, lastRenewal, nextRenewal, reminders: String
    }

    public struct SignatureBlock: Sendable {
        /// Whether there is anything to sign: false for a draft.
        let signable: Bool
        let rows: [SignatureRow]
        /// "Godkendt af alle parter." or who still has to sign; the draft's note for a draft.
        let summary: String
    }

    struct SignatureRow: Sendable {
        let name, role, party, signedAt, fingerprint, verdict: String
        let verified: Bool
    }
}

/// One row of the signature block, as the ledger judged it.
public struct DocumentSignature: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case verified
        case invalid(String)
        case unsigned
    }

    public let name: String
    public let role: String
    public let partyName: String
    public let principal: String
    /// The OpenSSH key line the signature is (or would be) made with.
    public let key: String
    /// `signed_at` as the file says it (informational only), nil when not signed.
    public let signedAt: String?
    public let verdict: Verdict

    public init(name: String, role: String, partyName: String, principal: String, key: String, signedAt: String?, verdict: Verdict) {
        self.name = name
        self.role = role
        self.partyName = partyName
        self.principal = principal
        self.key = key
        self.signedAt = signedAt
        self.verdict = verdict
    }
}

extension AgreementDocument {
    /// What the document is of: a committed version, with the ledger's signature rows and
    /// whether it is approved, or the open draft.
    public enum Subject: Sendable {
        case version(Int, sha256: String, signatures: [DocumentSignature], approved: Bool, missing: [Person])
        case draft
    }

    /// The document of `agreement` worded in `language` (the agreement's own by default).
    public init(_ agreement: Agreement, subject: Subject, language: Language? = nil) {
        let lang = language ?? agreement.language
        let words = DocumentWords(lang)
        let vocabulary = { (path: String) in Vocabulary.fieldName(path, language: lang) }
        self.language = lang.rawValue
        self.title = agreement.title
        self.company = agreement.company
        self.agreementID = agreement.id
        switch subject {
        case .version(let n, let sha256, _, _, _):
            self.versionLabel = words.version(n)
            self.versionValue = "\(n)"
            self.sha256 = sha256
        case .draft:
            self.versionLabel = words.draft
            self.versionValue = words.draft
            self.sha256 = nil
        }
        self.labels = Labels(
            company: vocabulary("company"), version: words.versionWord, parties: vocabulary("parties"),
            party: Vocabulary.recordName("parties", language: lang), signatories: vocabulary("parties.signatories"),
            required: vocabulary("parties.required"), owner: vocabulary("owner"), informed: vocabulary("informed"),
            sha256: "SHA-256",
            criterion: vocabulary("ideal_customer.criteria.criterion"),
            characteristic: vocabulary("ideal_customer.criteria.characteristic"),
            importance: words.importanceHeading, persona: Vocabulary.recordName("ideal_customer.personas", language: lang),
            priority: vocabulary("ideal_customer.personas.priority"), description: vocabulary("ideal_customer.personas.description"),
            matchEngagement: words.matchEngagement, lowEngagement: words.lowEngagement, highEngagement: words.highEngagement,
            goodMatch: words.goodMatch, poorMatch: words.poorMatch,
            engagementThreshold: vocabulary("lead_definitions.engagement_threshold"), handling: vocabulary("lead_definitions.flows"),
            lead: vocabulary("lead_definitions.lead"), mql: vocabulary("lead_definitions.mql"), sql: vocabulary("lead_definitions.sql"),
            metric: words.goalDescription, target: vocabulary("goals.target"), deadline: vocabulary("goals.deadline"),
            note: vocabulary("goals.note"),
            marketing: vocabulary("lead_handling.marketing"), sales: vocabulary("lead_handling.sales"),
            quality: vocabulary("lead_handling.marketing.quality"), handover: vocabulary("lead_handling.marketing.handover"),
            contactNonSQL: vocabulary("lead_handling.sales.contact_non_sql"), notReady: vocabulary("lead_handling.sales.not_ready"),
            kpiName: vocabulary("kpis.items.name"), definition: vocabulary("kpis.items.definition"),
            kpiTarget: vocabulary("kpis.items.target"),
            reporting: vocabulary("kpis.reporting"), attendees: vocabulary("kpis.reporting.attendees"),
            optimisation: vocabulary("kpis.reporting.optimisation"),
            validFrom: vocabulary("validity.effective_from"), renewal: words.renewal, reviewer: vocabulary("validity.reviewer"),
            lastRenewal: words.lastRenewal, nextRenewal: words.nextRenewal, reminders: vocabulary("validity.remind_days_before"),
            signaturesTitle: words.signaturesTitle, name: vocabulary("parties.signatories.name"),
            role: vocabulary("parties.signatories.role"), signedAt: words.signedAt, fingerprint: words.fingerprint,
            verified: words.verifiedHeading)

        let titles = (1...7).map { Vocabulary.sectionTitle($0, language: lang) }
        let matrix = agreement.leadDefinitions.matrix
        let flows = agreement.leadDefinitions.flows
        let flowTexts: [(String, String?)] = [
            ("lead_definitions.flows.good_match_low_engagement", flows?.goodMatchLowEngagement),
            ("lead_definitions.flows.poor_match_high_engagement", flows?.poorMatchHighEngagement),
            ("lead_definitions.flows.poor_match_low_engagement", flows?.poorMatchLowEngagement),
        ]
        let marketing = agreement.leadHandling.marketing
        let sales = agreement.leadHandling.sales
        let validity = agreement.validity
        self.sections = Sections(
            overview: OverviewSection(
                purpose: agreement.overview.purpose,
                approvalRule: words.approvalRule,
                parties: agreement.parties.map { party in
                    PartyRow(
                        name: party.name,
                        signatories: party.signatories.map { "\($0.name) (\($0.role))" }.joined(separator: ", "),
                        required: words.required(party.requiredCount, of: party.signatories.count))
                },
                owner: "\(agreement.owner.name) <\(agreement.owner.principal)>",
                informed: agreement.informed.isEmpty ? nil : agreement.informed.map(\.name).joined(separator: ", ")),
            idealCustomer: IdealCustomerSection(
                criteria: agreement.idealCustomer.criteria.map {
                    CriterionRow(criterion: $0.criterion, characteristic: $0.characteristic, importance: $0.importance)
                },
                personas: agreement.idealCustomer.personas.map {
                    PersonaRow(name: $0.name, priority: words.personaPriority($0.priority), description: $0.description)
                }),
            leadDefinitions: LeadDefinitionsSection(
                goodLow: words.priority(matrix.goodMatchLowEngagement), goodHigh: words.priority(matrix.goodMatchHighEngagement),
                poorLow: words.priority(matrix.poorMatchLowEngagement), poorHigh: words.priority(matrix.poorMatchHighEngagement),
                engagementThreshold: agreement.leadDefinitions.engagementThreshold,
                flows: flowTexts.compactMap { path, text in text.map { LabelledText(label: vocabulary(path), text: $0) } },
                hasFlows: flowTexts.contains { $0.1 != nil },
                lead: agreement.leadDefinitions.lead, mql: agreement.leadDefinitions.mql, sql: agreement.leadDefinitions.sql),
            goals: agreement.goals.map { goal in
                GoalRow(
                    metric: words.metric(goal.metric),
                    target: words.number(goal.target) + (goal.unit.map { " \($0)" } ?? ""),
                    deadline: goal.deadline.iso, note: goal.note)
            },
            leadHandling: LeadHandlingSection(
                marketingCommitments: [
                    words.sqlPerMonth(marketing.sqlPerMonth),
                    words.revenueContribution(words.number(marketing.revenueContribution) + " " + marketing.revenueUnit),
                ],
                marketingTexts: [
                    LabelledText(label: vocabulary("lead_handling.marketing.quality"), text: marketing.quality),
                    LabelledText(label: vocabulary("lead_handling.marketing.handover"), text: marketing.handover),
                ],
                salesCommitments: [words.responseTime(sales.responseTimeHours), words.followUps(sales.followUpAttempts)],
                salesTexts: [
                    LabelledText(label: vocabulary("lead_handling.sales.contact_non_sql"), text: sales.contactNonSQL),
                    LabelledText(label: vocabulary("lead_handling.sales.not_ready"), text: sales.notReady),
                ]),
            kpis: KPISection(
                items: agreement.kpis.items.map { KPIRow(name: $0.name, definition: $0.definition, target: $0.target) },
                reportingSentence: words.reporting(agreement.kpis.reporting.frequency),
                attendees: agreement.kpis.reporting.attendees.joined(separator: ", "),
                optimisation: agreement.kpis.reporting.optimisation),
            validity: ValiditySection(
                sentence: words.validitySentence(from: validity.effectiveFrom.iso, renewalsPerYear: validity.renewalsPerYear),
                validFrom: validity.effectiveFrom.iso,
                renewal: words.renewalFrequency(validity.renewalsPerYear),
                owner: agreement.owner.name,
                reviewer: validity.reviewer,
                lastRenewal: validity.effectiveFrom.iso,
                nextRenewal: Schedule.renewalDue(validity).iso,
                reminders: words.reminders(validity.remindDaysBefore)),
            t1: titles[0], t2: titles[1], t3: titles[2], t4: titles[3], t5: titles[4], t6: titles[5], t7: titles[6])

        switch subject {
        case .draft:
            self.signatures = SignatureBlock(signable: false, rows: [], summary: words.draftNotSigned)
        case .version(_, _, let signatures, let approved, let missing):
            let rows = signatures.map { signature in
                let fingerprint = (try? Ed25519PublicKey(openSSHLine: signature.key))?.fingerprint ?? signature.key
                let verdict: String
                switch signature.verdict {
                case .verified: verdict = words.verified
                case .invalid(let problem): verdict = words.invalid(problem)
                case .unsigned: verdict = words.unsigned
                }
                return SignatureRow(
                    name: signature.name, role: signature.role, party: signature.partyName, signedAt: signature.signedAt ?? "–",
                    fingerprint: fingerprint, verdict: verdict, verified: signature.verdict == .verified)
            }
            let summary =
                approved ? words.approved : missing.isEmpty ? words.notApproved : words.stillToSign(missing.map(\.name))
            self.signatures = SignatureBlock(signable: true, rows: rows, summary: summary)
        }
    }
}
