/// One problem found in an agreement file, with the place to fix it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public let severity: Severity
    /// Repository-relative path, as `sla check` prints it.
    public let file: String
    public let position: SourcePosition
    public let message: String

    public init(_ severity: Severity, file: String, position: SourcePosition, message: String) {
        self.severity = severity
        self.file = file
        self.position = position
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`; warnings are prefixed `warning:`.
    public var description: String {
        let located = "\(file):\(position.line):\(position.column): \(message)"
        return severity == .error ? located : "warning: \(located)"
    }
}

extension Array where Element == Diagnostic {
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// In file order, errors before warnings at the same place.
    public func sortedByPosition() -> [Diagnostic] {
        sorted {
            ($0.file, $0.position.line, $0.position.column, $0.severity == .error ? 0 : 1, $0.message)
                < ($1.file, $1.position.line, $1.position.column, $1.severity == .error ? 0 : 1, $1.message)
        }
    }
}
