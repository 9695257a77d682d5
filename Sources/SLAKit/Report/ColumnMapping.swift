import Foundation
import SLALimits

/// The columns `sla report` reads, by logical name (DESIGN.md, "Report"), and the export
/// headers that hold them: a preset per CRM, overridable by a `--mapping` file.
public struct ColumnMapping: Sendable, Equatable {
    public enum Column: String, Sendable, CaseIterable {
        case recordID = "record_id"
        case createDate = "create_date"
        case leadDate = "lead_date"
        case mqlDate = "mql_date"
        case sqlDate = "sql_date"
        case customerDate = "customer_date"
        case firstEngagement = "first_engagement"
        case owner
        case timesContacted = "times_contacted"
        case dealID = "deal_id"
        case dealStage = "deal_stage"
        case amount
        case closeDate = "close_date"
        case dealOwner = "deal_owner"
    }

    public enum Preset: String, Sendable, CaseIterable {
        case hubspot, salesforce, pipedrive
    }

    public var preset: Preset
    public var headers: [Column: String]
    /// Deal stages that mean closed-won and closed-lost, compared ignoring case.
    public var closedWon: [String]
    public var closedLost: [String]
    /// A strftime pattern for every date column, when the export's form is not recognised.
    public var dateFormat: String?
    public var delimiter: Character?
    public var decimalComma: Bool?

    public init(preset: Preset) {
        self.preset = preset
        closedWon = ["closed won", "closedwon"]
        closedLost = ["closed lost", "closedlost"]
        switch preset {
        case .hubspot:
            // HubSpot's contact and deal export headers.
            headers = [
                .recordID: "Record ID", .createDate: "Create Date", .leadDate: "Became a Lead Date",
                .mqlDate: "Became a Marketing Qualified Lead Date", .sqlDate: "Became a Sales Qualified Lead Date",
                .customerDate: "Became a Customer Date", .firstEngagement: "Date of first engagement",
                .owner: "Contact owner", .timesContacted: "Number of times contacted",
                .dealID: "Record ID", .dealStage: "Deal Stage", .amount: "Amount", .closeDate: "Close Date",
                .dealOwner: "Deal owner",
            ]
        case .salesforce:
            // Salesforce report exports use the fields' labels; the stage dates are the usual
            // custom fields (README, "Report").
            headers = [
                .recordID: "Lead ID", .createDate: "Created Date", .leadDate: "Created Date", .mqlDate: "MQL Date",
                .sqlDate: "SQL Date", .customerDate: "Converted Date", .firstEngagement: "First Activity Date",
                .owner: "Lead Owner", .timesContacted: "Number of Activities",
                .dealID: "Opportunity ID", .dealStage: "Stage", .amount: "Amount", .closeDate: "Close Date",
                .dealOwner: "Opportunity Owner",
            ]
        case .pipedrive:
            // Pipedrive's exports prefix each field with its object ("Person - …", "Deal - …").
            headers = [
                .recordID: "Person - ID", .createDate: "Person - Person created", .leadDate: "Person - Person created",
                .mqlDate: "Person - MQL date", .sqlDate: "Person - SQL date", .customerDate: "Person - Customer date",
                .firstEngagement: "Person - First activity date", .owner: "Person - Owner",
                .timesContacted: "Person - Total activities",
                .dealID: "Deal - ID", .dealStage: "Deal - Status", .amount: "Deal - Value", .closeDate: "Deal - Deal closed on",
                .dealOwner: "Deal - Owner",
            ]
            closedWon = ["won"]
            closedLost = ["lost"]
        }
    }

    public func header(_ column: Column) -> String { headers[column] ?? column.rawValue }

    /// Reads a `--mapping` file (YAML): `preset`, `columns`, `closed_won`, `closed_lost`,
    /// `date_format`, `delimiter`, `decimal_comma`. Every problem is named with its line.
    public static func load(_ data: Data, file: String) throws -> ColumnMapping {
        let (root, problems) = YAMLReader.read(data)
        if let problem = problems.first {
            throw SLAError("\(file):\(problem.position.line):\(problem.position.column): \(problem.message)", kind: .badInput)
        }
        guard case .mapping(let top)? = root else {
            throw SLAError(
                "\(file): expected a map with preset, columns, closed_won, closed_lost, date_format, delimiter, decimal_comma",
                kind: .badInput)
        }
        func fail(_ node: YAMLNode, _ message: String) -> SLAError {
            SLAError("\(file):\(node.position.line):\(node.position.column): \(message)", kind: .badInput)
        }
        func text(_ node: YAMLNode, _ key: String) throws -> String {
            guard case .scalar(let scalar) = node, !scalar.isNull, !scalar.text.isEmpty else { throw fail(node, "\(key) must be text") }
            return scalar.text
        }
        func texts(_ node: YAMLNode, _ key: String) throws -> [String] {
            if case .sequence(let list) = node { return try list.items.map { try text($0, key).lowercased() } }
            return [try text(node, key).lowercased()]
        }
        var mapping = ColumnMapping(preset: .hubspot)
        if let node = top["preset"] {
            let name = try text(node, "preset")
            guard let preset = Preset(rawValue: name) else {
                throw fail(node, "preset must be one of \(Preset.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
            }
            mapping = ColumnMapping(preset: preset)
        }
        for entry in top.entries {
            let key = entry.key.text
            switch key {
            case "preset": continue
            case "columns":
                guard case .mapping(let columns) = entry.value else {
                    throw fail(entry.value, "columns must be a map of logical names to headers")
                }
                for column in columns.entries {
                    guard let logical = Column(rawValue: column.key.text) else {
                        throw fail(
                            column.value,
                            "unknown column '\(column.key.text)'; the columns are \(Column.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    mapping.headers[logical] = try text(column.value, "columns.\(logical.rawValue)")
                }
            case "closed_won": mapping.closedWon = try texts(entry.value, key)
            case "closed_lost": mapping.closedLost = try texts(entry.value, key)
            case "date_format":
                let format = try text(entry.value, key)
                if let problem = ExportDateReader.problem(format: format) { throw fail(entry.value, "date_format '\(format)': \(problem)") }
                mapping.dateFormat = format
            case "delimiter":
                let value = try text(entry.value, key)
                guard value == "," || value == ";" || value == "\\t" else { throw fail(entry.value, "delimiter must be ',', ';' or '\\t'") }
                mapping.delimiter = value == "\\t" ? "\t" : Character(value)
            case "decimal_comma":
                guard case .scalar(let scalar) = entry.value, let flag = Bool(scalar.text) else {
                    throw fail(entry.value, "decimal_comma must be true or false")
                }
                mapping.decimalComma = flag
            default:
                throw fail(
                    entry.value,
                    "unknown key '\(key)'; a mapping has preset, columns, closed_won, closed_lost, date_format, delimiter, decimal_comma")
            }
        }
        return mapping
    }
}
