/// A refusal or failure a person can act on. `sla` prints the message (and any
/// diagnostics) and exits 1; nothing has been written when one is thrown.
public struct SLAError: Error, Sendable, CustomStringConvertible {
    /// What sort of failure: the command line maps every kind to exit 1, the web service to a
    /// status (bad input 400, not found 404, refused 409, fault 409). Named values, so a new kind
    /// never breaks callers.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An argument or file that is malformed: an id, a version, a date, an agreement file.
        public static let badInput = Kind(rawValue: "bad-input")
        /// It names nothing that exists: an agreement, a version, a ref.
        public static let notFound = Kind(rawValue: "not-found")
        /// Well-formed and found, but the rules say no (not approved, rollback, uncommitted changes).
        public static let refused = Kind(rawValue: "refused")
        /// The agreement's history breaks a History rule, so it fails closed.
        public static let fault = Kind(rawValue: "fault")

        public var description: String { rawValue }
    }

    public let kind: Kind
    public let message: String
    /// Problems in agreement files, printed one per line before the message.
    public let diagnostics: [Diagnostic]

    public init(_ message: String, kind: Kind = .refused, diagnostics: [Diagnostic] = []) {
        self.kind = kind
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }

    /// A text the user gave, as a message quotes it: cut after 64 characters, so a huge
    /// argument or URL is not echoed back whole.
    public static func shown(_ text: String) -> String {
        text.count <= 64 ? text : text.prefix(64) + "… (\(text.count) characters)"
    }

    /// The one wording of a malformed agreement id.
    public static func invalidID(_ id: String) -> SLAError {
        SLAError(
            "'\(shown(id))' is not a valid agreement id: use lower-case letters, digits and '-', starting with a letter or digit (at most 63)",
            kind: .badInput)
    }
}
