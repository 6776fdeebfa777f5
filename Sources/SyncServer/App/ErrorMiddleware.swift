import GRDB
import Hummingbird
import Logging
import PostgresStorage
import SyncStorage

/// Turns every error into the JSON error body. Framework errors (unknown route, wrong method)
/// get Chinese messages; anything unexpected is logged and answered with a plain 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            throw error
        } catch let error as any HTTPResponseError {
            throw Self.translate(error.status)
        } catch let error as DatabaseError {
            // SQLite's message names tables and constraints, never bound values; the SQL
            // arguments (member data) are left out.
            context.logger.error(
                "database error",
                metadata: [
                    "code": "\(error.resultCode.rawValue)",
                    "message": "\(error.message ?? "")",
                ])
            throw ServerError(.internalServerError, "internal", "服务器内部错误，请稍后重试")
        } catch let error as PostgresStoreError {
            // SQLSTATE and the message up to its first colon: never a bound value.
            context.logger.error(
                "database error", metadata: ["sqlstate": "\(error.sqlState ?? "")", "message": "\(error.summary)"])
            throw ServerError(.internalServerError, "internal", "服务器内部错误，请稍后重试")
        } catch let error as PostgresUnavailable {
            // An outage, not the client's fault: another instance (or a later try) may answer.
            context.logger.error("database unavailable", metadata: ["reason": "\(error.reason)"])
            var unavailable = ServerError(.serviceUnavailable, "store_unavailable", "服务器暂时无法访问案件库，请稍后重试")
            unavailable.headers[.retryAfter] = "5"
            throw unavailable
        } catch let error as SQLColumnError {
            context.logger.error("unexpected column", metadata: ["column": "\(error.column)"])
            throw ServerError(.internalServerError, "internal", "服务器内部错误，请稍后重试")
        } catch let error as DamagedRow {
            // Table and column only: enough for the operator to find the damage, no member data.
            context.logger.error("damaged row", metadata: ["table": "\(error.table)", "column": "\(error.column)"])
            throw ServerError(.internalServerError, "internal", "服务器内部错误，请稍后重试")
        } catch {
            // The error's type only: descriptions may carry request data.
            context.logger.error("unhandled error", metadata: ["type": "\(type(of: error))"])
            throw ServerError(.internalServerError, "internal", "服务器内部错误，请稍后重试")
        }
    }

    static func translate(_ status: HTTPResponse.Status) -> ServerError {
        switch status {
        case .notFound: ServerError(.notFound, "not_found", "没有这个接口")
        case .methodNotAllowed: ServerError(.methodNotAllowed, "method_not_allowed", "该接口不支持此请求方法")
        case .contentTooLarge: .bodyTooLarge
        case .unauthorized: .unauthenticated
        default: ServerError(status, "http_\(status.code)", "请求无法处理（\(status.code)）")
        }
    }
}
