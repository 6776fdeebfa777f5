import Foundation
import MutualAidDomain

/// The authenticated account behind a request, with what it may see.
public struct Principal: Sendable, Hashable {
    public let accountId: String
    public let login: String
    public let name: String
    public let role: Role
    public let orgId: String
    public let orgPath: String
    public let orgLevel: OrgLevel
    public let memberId: String?
    /// An initial password not yet changed: only the password change is allowed.
    public var mustChangePassword = false
    /// When the session behind the request was last recorded as used (nil: not from a session).
    public var sessionLastSeen: Date? = nil

    public var scope: Scope {
        // A member account without a member record sees nothing rather than its unit's subtree.
        if role == .member { return .member(memberId: memberId ?? "") }
        return .subtree(path: orgPath)
    }
}
