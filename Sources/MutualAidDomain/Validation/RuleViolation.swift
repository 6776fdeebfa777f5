/// A broken business rule: which field, and a Chinese message that says what to do.
/// Messages never repeat the offending value, so they are safe to log.
public struct RuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
