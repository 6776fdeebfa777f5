import GRDB
import MutualAidDomain
import SyncStorage

/// Everything the client can fail with, each with a Chinese message that says what to do.
/// Messages never include member data.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case notConnected
    case notLoggedIn
    case sessionExpired
    case notAMember
    case invalidInput(RuleViolation)
    case unreachable(String)
    case tls(String)
    case upgradeRequired(String)
    case server(status: Int, code: String, message: String)
    case accountSwitchBlocked(pending: Int)
    case io(String)

    public var code: String {
        switch self {
        case .notConnected: "not_connected"
        case .notLoggedIn: "not_logged_in"
        case .sessionExpired: "session_expired"
        case .notAMember: "not_a_member"
        case .invalidInput: "invalid_input"
        case .unreachable: "unreachable"
        case .tls: "tls"
        case .upgradeRequired: "upgrade_required"
        case .server(_, let code, _): code
        case .accountSwitchBlocked: "pending_changes"
        case .io: "io"
        }
    }

    public var description: String {
        switch self {
        case .notConnected:
            "尚未设置服务器，请先运行 member-cli connect <地址>"
        case .notLoggedIn:
            "尚未登录，请先运行 member-cli login <账号>"
        case .sessionExpired:
            "登录已过期，请重新运行 member-cli login <账号>；本机未同步的更改都还在"
        case .notAMember:
            "当前账号不是会员账号，没有个人资料"
        case .invalidInput(let violation):
            violation.message
        case .unreachable(let detail):
            "无法连接服务器（\(detail)）。更改已保存在本机，联网后再运行 member-cli sync"
        case .tls(let detail):
            "服务器证书验证失败（\(detail)）。自签名部署请用 member-cli connect <地址> --ca-file <证书>"
        case .upgradeRequired(let message):
            message
        case .server(let status, _, let message):
            "\(message)（HTTP \(status)）"
        case .accountSwitchBlocked(let pending):
            "本机还有上一个账号的 \(pending) 条未同步更改，请先用该账号登录并同步后再切换账号"
        case .io(let detail):
            "本地数据读写失败：\(detail)"
        }
    }
}

extension ClientError {
    /// Any failure as a `ClientError`. Database errors keep only their result code: SQLite
    /// messages can quote stored values.
    public init(_ error: any Error) {
        switch error {
        case let error as ClientError: self = error
        case let error as DatabaseError: self = .io("SQLite 错误码 \(error.resultCode.rawValue)")
        case let error as RuleViolation: self = .invalidInput(error)
        case let error as DamagedRow: self = .io(error.description)
        default: self = .io(String(describing: type(of: error)))
        }
    }
}
