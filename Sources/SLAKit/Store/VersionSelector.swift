/// How commands name a version: `v3`, `latest`, `active` or `draft`.
public enum VersionSelector: Sendable, Equatable, CustomStringConvertible {
    case number(Int)
    case latest
    case active
    case draft

    /// Nil for anything else, including `v0` and `v03`.
    public init?(_ text: String) {
        switch text {
        case "latest": self = .latest
        case "active": self = .active
        case "draft": self = .draft
        default:
            guard let n = VersionSelector.versionNumber(text) else { return nil }
            self = .number(n)
        }
    }

    /// The highest version number (nine digits).
    public static let highest = 999_999_999

    /// The N of `vN`, written without leading zeros, 1 <= N <= `highest` (so N + 1 never overflows).
    public static func versionNumber(_ text: String) -> Int? {
        guard text.hasPrefix("v"), text.count <= 10, let n = Int(text.dropFirst()), n >= 1, "v\(n)" == text else { return nil }
        return n
    }

    public var description: String {
        switch self {
        case .number(let n): "v\(n)"
        case .latest: "latest"
        case .active: "active"
        case .draft: "draft"
        }
    }
}

/// Where an agreement's files live in the repository.
public struct AgreementPaths: Sendable {
    public let id: String

    public init(_ id: String) { self.id = id }

    public var folder: String { "agreements/\(id)" }
    public var draft: String { "\(folder)/draft.yaml" }
    public var versionsFolder: String { "\(folder)/versions" }
    public func version(_ n: Int) -> String { "\(versionsFolder)/v\(n).yaml" }
    public var signaturesFolder: String { "\(folder)/signatures" }
    public func signatures(_ n: Int) -> String { "\(signaturesFolder)/v\(n)" }
    public var activations: String { "\(folder)/activations.yaml" }
    public func tag(_ n: Int) -> String { "sla/\(id)/v\(n)" }
}
