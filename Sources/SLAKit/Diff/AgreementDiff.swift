import Foundation

/// The section-by-section difference between two versions of an agreement: the one engine
/// behind `sla diff`, the reminders' "what changed", the web page and the audit log.
///
/// Records in lists are matched by identity, so reordering alone is no change: criteria by
/// criterion name (by criterion and characteristic where a name is used twice in either
/// version), personas and KPIs by name, goals by metric and deadline, parties by id,
/// signatories and informed people by principal. Attendees and `remind_days_before` compare
/// as (multi)sets. Added and removed records are whole values; a record present in both
/// versions yields one change per changed field.
///
/// Order: section by section (0 first, then 1–7), fields in the schema's order, records in
/// the order of the *to* version with removed ones after them in the *from* version's order.
public struct AgreementDiff: Sendable, Equatable {

    public struct Change: Sendable, Hashable {
        public enum Kind: String, Sendable, CaseIterable {
            case added, removed, changed
        }

        /// The top-level key the change is under: `parties`, `title`, `ideal_customer`, …
        public let section: String
        /// Dotted, with list records addressed by identity:
        /// `ideal_customer.criteria[Branche].importance`, `goals[sql@2027-06-30].target`,
        /// `parties[sales].signatories[soren@acme.dk].key`. A `]` or `\` inside an identity
        /// is escaped with `\`.
        public let path: String
        public let kind: Kind
        /// Nil where absent (an added record or field, a set element that was added).
        public let old: DiffValue?
        public let new: DiffValue?
        /// The path as steps, for renderers that label each step for people.
        let steps: [DiffStep]

        init(steps: [DiffStep], kind: Kind, old: DiffValue?, new: DiffValue?) {
            self.steps = steps
            self.section = steps.first?.key ?? ""
            self.path = DiffStep.path(steps)
            self.kind = kind
            self.old = old
            self.new = new
        }

        /// The heading (0–7) the change is shown under.
        public var sectionNumber: Int { Vocabulary.sectionNumber(section) }

        /// Whether the change can change who must sign (approval rule 3): any change under
        /// `parties` except a party's or a signatory's name or role.
        public var affectsSigning: Bool {
            guard section == "parties" else { return false }
            if case .field(let key) = steps.last, steps.count > 2, key == "name" || key == "role" {
                return false
            }
            return true
        }

        /// The same change seen from the other side.
        public func inverted() -> Change {
            let kind: Kind =
                switch self.kind {
                case .added: .removed
                case .removed: .added
                case .changed: .changed
                }
            return Change(steps: steps, kind: kind, old: new, new: old)
        }
    }

    public let changes: [Change]

    public init(from old: Agreement, to new: Agreement) {
        let ambiguous = DiffTree.ambiguousCriterionNames(old, new)
        var differ = Differ()
        differ.compare(
            DiffTree.node(old, ambiguousCriteria: ambiguous),
            DiffTree.node(new, ambiguousCriteria: ambiguous), at: [])
        // The tree's top level is in schema order, which puts every field of section 0
        // first; the stable sort only makes that independent of the tree's layout.
        changes = differ.changes.enumerated()
            .sorted { ($0.element.sectionNumber, $0.offset) < ($1.element.sectionNumber, $1.offset) }
            .map(\.element)
    }

    init(changes: [Change]) {
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// Any change to the parties, their `required`, their signatories or keys: such a
    /// version must also be approved by the signatories of the version in force.
    public var changesSigningPolicy: Bool { changes.contains { $0.affectsSigning } }

    /// The diff from `new` back to `old`: each change inverted (old and new swapped, added
    /// and removed swapped), in this diff's order. It holds the same changes as
    /// `AgreementDiff(from: new, to: old)`; only the order of records may differ, since
    /// records follow the *to* version. `sameChanges(as:)` compares ignoring that order.
    public func inverted() -> AgreementDiff {
        AgreementDiff(changes: changes.map { $0.inverted() })
    }

    /// Whether both diffs hold the same changes, whatever their order.
    public func sameChanges(as other: AgreementDiff) -> Bool {
        guard changes.count == other.changes.count else { return false }
        var counts: [Change: Int] = [:]
        for change in changes { counts[change, default: 0] += 1 }
        for change in other.changes {
            guard let n = counts[change], n > 0 else { return false }
            counts[change] = n - 1
        }
        return true
    }

    /// The changed headings (0–7) in order, each with its number of changes.
    public var changesPerSection: [(section: Int, count: Int)] {
        var counts: [Int: Int] = [:]
        for change in changes { counts[change.sectionNumber, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// One line: "3 ændringer: 0. Parter og ansvarlig (1), 4. Målsætninger (2)", with
    /// "; ændrer hvem der skal underskrive" when the signing policy changes;
    /// "Ingen ændringer" / "No changes" when empty.
    public func summary(language: Language) -> String {
        let words = Vocabulary.words(language)
        guard !isEmpty else { return words.noChanges }
        let sections =
            changesPerSection
            .map { "\(Vocabulary.sectionTitle($0.section, language: language)) (\($0.count))" }
            .joined(separator: ", ")
        var line = "\(changes.count) \(changes.count == 1 ? words.change : words.changes): \(sections)"
        if changesSigningPolicy { line += "; " + words.changesWhoMustSign.lowercased() }
        return line
    }
}

// MARK: - Steps

/// One step of a change's path: a field under its key, or a list record by its identity.
enum DiffStep: Sendable, Hashable {
    case field(String)
    case record(String)

    var key: String {
        switch self {
        case .field(let key), .record(let key): key
        }
    }

    static func path(_ steps: [DiffStep]) -> String {
        var path = ""
        for step in steps {
            switch step {
            case .field(let key):
                if !path.isEmpty { path += "." }
                path += key
            case .record(let identity):
                // By scalar: `]` followed by a combining mark is one Character, and would end
                // the identity unescaped.
                var escaped = String.UnicodeScalarView()
                for scalar in identity.unicodeScalars {
                    if scalar == "\\" || scalar == "]" { escaped.append("\\") }
                    escaped.append(scalar)
                }
                path += "[" + String(escaped) + "]"
            }
        }
        return path
    }

    /// The path without record identities, which names the field in the vocabulary:
    /// `parties.signatories.key`.
    static func schemaPath(_ steps: some Sequence<DiffStep>) -> String {
        steps.compactMap { if case .field(let key) = $0 { key } else { nil } }.joined(separator: ".")
    }
}

// MARK: - The generic comparison

/// An agreement as the diff sees it: fixed records, lists keyed by identity, sets, leaves.
indirect enum DiffNode: Sendable {
    /// A scalar; nil where an optional field is absent.
    case leaf(DiffValue?)
    /// Fixed fields in schema order.
    case record([(key: String, node: DiffNode)])
    /// Records matched by identity, in the file's order.
    case keyed([(identity: String, node: DiffNode)])
    /// Plain values compared as a multiset, in the file's order.
    case set([DiffValue])

    /// The whole value, as an added or removed record is reported; nil for an absent leaf.
    var value: DiffValue? {
        switch self {
        case .leaf(let value): value
        case .record(let fields):
            .object(fields.compactMap { field in field.node.value.map { DiffValue.Field(field.key, $0) } })
        case .keyed(let items): .list(items.compactMap(\.node.value))
        case .set(let values): .list(values)
        }
    }
}

struct Differ {
    var changes: [Change] = []

    typealias Change = AgreementDiff.Change

    mutating func compare(_ old: DiffNode, _ new: DiffNode, at steps: [DiffStep]) {
        switch (old, new) {
        case (.leaf(let a), .leaf(let b)):
            guard a != b else { return }
            let kind: Change.Kind = a == nil ? .added : b == nil ? .removed : .changed
            changes.append(Change(steps: steps, kind: kind, old: a, new: b))

        case (.record(let a), .record(let b)):
            for field in b {
                let before = a.first { $0.key == field.key }?.node ?? .leaf(nil)
                compare(before, field.node, at: steps + [.field(field.key)])
            }
            for field in a where !b.contains(where: { $0.key == field.key }) {
                compare(field.node, .leaf(nil), at: steps + [.field(field.key)])
            }

        case (.keyed(let a), .keyed(let b)):
            var before: [String: DiffNode] = [:]
            for item in a { before[item.identity] = item.node }
            var seen = Set<String>()
            for item in b {
                seen.insert(item.identity)
                let here = steps + [.record(item.identity)]
                if let old = before[item.identity] {
                    compare(old, item.node, at: here)
                } else {
                    changes.append(Change(steps: here, kind: .added, old: nil, new: item.node.value))
                }
            }
            for item in a where !seen.contains(item.identity) {
                changes.append(
                    Change(
                        steps: steps + [.record(item.identity)], kind: .removed,
                        old: item.node.value, new: nil))
            }

        case (.set(let a), .set(let b)):
            var remaining: [DiffValue: Int] = [:]
            for value in a { remaining[value, default: 0] += 1 }
            var kept: [DiffValue: Int] = [:]
            for value in b {
                if let n = remaining[value], n > 0 {
                    remaining[value] = n - 1
                    kept[value, default: 0] += 1
                } else {
                    changes.append(Change(steps: steps, kind: .added, old: nil, new: value))
                }
            }
            for value in a {
                if let n = kept[value], n > 0 {
                    kept[value] = n - 1
                } else {
                    changes.append(Change(steps: steps, kind: .removed, old: value, new: nil))
                }
            }

        default:
            // Two shapes for one field cannot come from one schema; report it whole
            // rather than lose it.
            let a = old.value
            let b = new.value
            guard a != b else { return }
            let kind: Change.Kind = a == nil ? .added : b == nil ? .removed : .changed
            changes.append(Change(steps: steps, kind: kind, old: a, new: b))
        }
    }
}
