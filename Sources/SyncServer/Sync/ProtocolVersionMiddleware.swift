import HTTPTypes
import Hummingbird
import MutualAidDomain
import SyncProtocol

/// Every sync request names its protocol version; too old gets 426 with "please upgrade".
struct ProtocolVersionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let name = HTTPField.Name(ProtocolVersion.header), let text = request.headers[name] else {
            throw ServerError.badRequest("缺少协议版本（\(ProtocolVersion.header) 请求头）", code: "missing_protocol_version")
        }
        try Self.check(Int(text))
        return try await next(request, context)
    }

    static func check(_ version: Int?) throws {
        guard let version else {
            throw ServerError.badRequest("协议版本应为整数", code: "bad_protocol_version")
        }
        if version < ProtocolVersion.oldestSupported { throw ServerError.upgradeRequired() }
        if version > ProtocolVersion.current {
            throw ServerError.badRequest("服务器尚不支持协议版本 \(version)，请联系管理员升级服务器", code: "unsupported_protocol_version")
        }
    }
}
