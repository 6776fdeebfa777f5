import Foundation
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// The one error type of the server: an HTTP status, a stable code and a Chinese message,
/// sent as `{"error":{"code","message"}}`. Messages never carry member data.
public struct ServerError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(APIErrorBody(code: code, message: message))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func badRequest(_ message: String, code: String = "bad_request") -> ServerError {
        ServerError(.badRequest, code, message)
    }

    static let unauthenticated = ServerError(.unauthorized, "unauthenticated", "请先登录（member-cli login）")
    static let tokenExpired = ServerError(.unauthorized, "token_expired", "登录已过期，请重新登录（member-cli login）")
    static let invalidToken = ServerError(.unauthorized, "invalid_token", "登录凭证无效，请重新登录（member-cli login）")
    static let badCredentials = ServerError(.unauthorized, "bad_credentials", "账号或密码错误")
    static let accountDisabled = ServerError(
        .forbidden, "account_disabled", "该账号已停用，请联系所在单位或代办机构的管理人员")
    static let passwordChangeRequired = ServerError(
        .forbidden, "password_change_required",
        "首次登录须修改初始密码，请运行 member-cli password")
    static let forbidden = ServerError(.forbidden, "forbidden", "无权访问该记录")
    static let notFound = ServerError(.notFound, "not_found", "记录不存在")
    static let bodyTooLarge = ServerError(
        .contentTooLarge, "body_too_large",
        "请求内容过大，请分批同步（单次不超过 \(ProtocolVersion.maxBodyBytes / 1024 / 1024) MB）")
    static let unsupportedMedia = ServerError(
        .unsupportedMediaType, "unsupported_media_type",
        "请求内容应为 JSON（Content-Type: application/json）")

    /// Login back-off: the same answer whether or not the login exists.
    static func loginBackoff(seconds: Int) -> ServerError {
        let wait = seconds < 60 ? "\(seconds) 秒" : "\((seconds + 59) / 60) 分钟"
        var error = ServerError(.tooManyRequests, "login_backoff", "登录失败次数过多，请 \(wait)后再试")
        error.headers[.retryAfter] = String(seconds)
        return error
    }

    static func rule(_ v: RuleViolation) -> ServerError {
        ServerError(.unprocessableContent, "invalid_field", v.message)
    }

    static func upgradeRequired() -> ServerError {
        ServerError(
            .upgradeRequired, "upgrade_required",
            "客户端版本过旧（协议版本低于 \(ProtocolVersion.oldestSupported)），请升级 member-cli 后重试")
    }
}
