/// A refusal or failure a person can act on. `sla` prints the message (and any
/// diagnostics) and exits 1; nothing has been written when one is thrown.
public struct SLAError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Problems in agreement files, printed one per line before the message.
    public let diagnostics: [Diagnostic]

    public init(_ message: String, diagnostics: [Diagnostic] = []) {
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
