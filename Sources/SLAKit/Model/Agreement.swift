import Foundation

/// One version (or the draft) of a Service Level Agreement, as its YAML file says it.
/// Built only by `AgreementDecoder`, which has checked every rule of the format.
public struct Agreement: Sendable, Equatable {
    public var schema: String
    public var id: String
    public var title: String
    public var company: String
    public var language: Language
    public var parties: [Party]
    public var owner: Person
    public var informed: [Person]
    public var overview: Overview  // §1
    public var idealCustomer: IdealCustomer  // §2
    public var leadDefinitions: LeadDefinitions  // §3
    public var goals: [Goal]  // §4
    public var leadHandling: LeadHandling  // §5
    public var kpis: KPIs  // §6
    public var validity: Validity  // §7

    public static let schemaIdentifier = "sla/1"
}

public enum Language: String, Sendable, CaseIterable, Codable {
    case da, en
}

public struct Person: Sendable, Equatable, Hashable {
    public var name: String
    public var principal: String
}

public struct Party: Sendable, Equatable {
    public var id: String
    public var name: String
    public var required: RequiredSignatures
    public var signatories: [Signatory]

    /// How many valid signatures by distinct keys this party must give.
    public var requiredCount: Int {
        switch required {
        case .all: signatories.count
        case .count(let n): n
        }
    }
}

public enum RequiredSignatures: Sendable, Equatable, Hashable, CustomStringConvertible {
    case all
    case count(Int)

    public var description: String {
        switch self {
        case .all: "all"
        case .count(let n): String(n)
        }
    }
}

public struct Signatory: Sendable, Equatable {
    public var name: String
    public var role: String
    public var principal: String
    /// The OpenSSH public key line as written, normalised to `ssh-ed25519 BASE64`.
    public var key: String
}

public struct Overview: Sendable, Equatable {
    public var purpose: String
}

public struct IdealCustomer: Sendable, Equatable {
    public var criteria: [Criterion]
    public var personas: [Persona]
}

public struct Criterion: Sendable, Equatable {
    public var criterion: String
    public var characteristic: String
    /// 1 (most important) to 5.
    public var importance: Int
}

public struct Persona: Sendable, Equatable {
    public var name: String
    public var priority: PersonaPriority
    public var description: String?
}

public enum PersonaPriority: String, Sendable, CaseIterable, Codable {
    case primary, secondary, tertiary
}

public struct LeadDefinitions: Sendable, Equatable {
    public var matrix: LeadMatrix
    public var engagementThreshold: String
    public var flows: LeadFlows?
    public var lead: String
    public var mql: String
    public var sql: String
}

/// Priorities of the four quadrants of profile match x engagement, as the template draws them.
public struct LeadMatrix: Sendable, Equatable {
    public var goodMatchHighEngagement: Int
    public var goodMatchLowEngagement: Int
    public var poorMatchHighEngagement: Int
    public var poorMatchLowEngagement: Int
}

public struct LeadFlows: Sendable, Equatable {
    public var goodMatchLowEngagement: String?
    public var poorMatchHighEngagement: String?
    public var poorMatchLowEngagement: String?
}

public struct Goal: Sendable, Equatable {
    public var metric: GoalMetric
    public var target: Decimal
    public var unit: String?
    public var deadline: LocalDate
    public var note: String?
}

public enum GoalMetric: String, Sendable, CaseIterable, Codable {
    case leads, mql, sql, sales, revenue
}

public struct LeadHandling: Sendable, Equatable {
    public var marketing: MarketingCommitment
    public var sales: SalesCommitment
}

public struct MarketingCommitment: Sendable, Equatable {
    public var sqlPerMonth: Int
    public var revenueContribution: Decimal
    public var revenueUnit: String
    public var quality: String
    public var handover: String
}

public struct SalesCommitment: Sendable, Equatable {
    public var contactNonSQL: String
    public var responseTimeHours: Int
    public var followUpAttempts: Int
    public var notReady: String
}

public struct KPIs: Sendable, Equatable {
    public var items: [KPI]
    public var reporting: Reporting
}

public struct KPI: Sendable, Equatable {
    public var name: String
    public var definition: String
    public var target: String?
}

public struct Reporting: Sendable, Equatable {
    public var frequency: ReportingFrequency
    public var attendees: [String]
    public var optimisation: String
}

public enum ReportingFrequency: String, Sendable, CaseIterable, Codable {
    case weekly, biweekly, monthly, quarterly
}

public struct Validity: Sendable, Equatable, Codable {
    public var effectiveFrom: LocalDate
    public var renewalsPerYear: Int
    public var reviewer: String
    public var remindDaysBefore: [Int]

    /// Months between renewals: 6 for half-yearly.
    public var renewalIntervalMonths: Int { 12 / renewalsPerYear }
}

extension Agreement {
    /// Everything who must sign depends on, and nothing else: names and roles do not count
    /// (approval rule 3 compares this between versions).
    public struct SigningPolicy: Sendable, Hashable {
        public struct PartyPolicy: Sendable, Hashable {
            public let id: String
            public let required: Int
            public let signatories: Set<PrincipalKey>
        }
        public struct PrincipalKey: Sendable, Hashable {
            public let principal: String
            public let key: String
        }
        public let parties: Set<PartyPolicy>
    }

    public var signingPolicy: SigningPolicy {
        SigningPolicy(
            parties: Set(
                parties.map { party in
                    SigningPolicy.PartyPolicy(
                        id: party.id,
                        required: party.requiredCount,
                        signatories: Set(party.signatories.map { .init(principal: $0.principal, key: $0.key) }))
                }))
    }
}
