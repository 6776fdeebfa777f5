import Foundation
import HTTPTypes
import Hummingbird
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// POST /v1/sync/push, GET /v1/sync/pull, GET /v1/sync/checksum.
struct SyncRoutes {
    let store: any CaseStore
    let faults: FaultInjection
    private static let maxChangesField = HTTPField.Name(ProtocolVersion.maxChangesHeader)!

    func add(to group: RouterGroup<AppRequestContext>) {
        group.post("push") { request, context in try await push(request, context) }
        group.get("pull") { request, context in try await pull(request, context) }
        group.get("checksum") { request, context in try await checksum(request, context) }
    }

    private func push(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let body = try await JSONBody.decode(
            PushRequest.self, from: request, fast: { WireJSON.fastDecode(PushRequest.self, from: $0) })
        try ProtocolVersionMiddleware.check(body.protocolVersion)
        guard body.changes.count <= ProtocolVersion.maxChangesPerPush else {
            throw ServerError(
                .contentTooLarge, "batch_too_large",
                "单次最多同步 \(ProtocolVersion.maxChangesPerPush) 条更改，请分批发送")
        }
        let clientId = body.clientId
        guard ChangeRules.isValidClientId(clientId) else {
            throw ServerError.badRequest("客户端编号应为 1 到 64 个 ASCII 字符（不含空格和冒号）", code: "bad_client_id")
        }
        guard body.changes.allSatisfy({ ChangeRules.isValidChangeId($0.changeId, clientId: clientId) }) else {
            throw ServerError.badRequest("更改编号应为“客户端编号:序号”", code: "bad_change_id")
        }
        guard Set(body.changes.map(\.changeId)).count == body.changes.count else {
            throw ServerError.badRequest("同一批次中有重复的更改编号", code: "duplicate_change_id")
        }
        let results = try await store.push(body.changes, by: principal, now: Date())
        faults.reached(.afterPushCommit)
        var response = JSONBody.response(json: WireJSON.encode(PushResponse(results: results)), for: request)
        // A client goes past the first release's 2000 only when told (PostgreSQL's push ran a
        // third faster at 8000: fewer commits and round trips per change).
        response.headers[Self.maxChangesField] = String(ProtocolVersion.maxChangesPerPush)
        return response
    }

    /// Without `table`: counts and digests. With `table`: that table's record hashes, a page at a time.
    private func checksum(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.uri.queryParameters
        guard let table = query["table"].map(String.init) else {
            if query["detail"] != nil {
                throw ServerError.badRequest("逐条校验值须按表分页获取：table=表名&after=编号&limit=条数", code: "checksum_detail_paged")
            }
            return try JSONBody.response(try await store.checksum(for: principal), for: request)
        }
        let after = query["after"].map(String.init) ?? ""
        guard let limit = Int(query["limit"].map(String.init) ?? "1000"),
            (1...ProtocolVersion.maxPullPage).contains(limit),
            after.utf8.count <= 64
        else {
            throw ServerError.badRequest(
                "limit 应在 1 到 \(ProtocolVersion.maxPullPage) 之间，after 不超过 64 字节", code: "bad_limit")
        }
        guard let page = try await store.checksumPage(for: principal, table: table, after: after, limit: limit) else {
            throw ServerError(.notFound, "not_found", "没有这个同步数据表")
        }
        return try JSONBody.response(page, for: request)
    }

    private func pull(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.uri.queryParameters
        guard let after = Int64(query["after"].map(String.init) ?? "0"), after >= 0 else {
            throw ServerError.badRequest("after 应为非负整数", code: "bad_cursor")
        }
        guard let limit = Int(query["limit"].map(String.init) ?? "1000"),
            (1...ProtocolVersion.maxPullPage).contains(limit)
        else {
            throw ServerError.badRequest("limit 应在 1 到 \(ProtocolVersion.maxPullPage) 之间", code: "bad_limit")
        }
        let page = try await store.pullPage(for: principal, after: after, limit: limit)
        faults.reached(.beforePullAnswer)
        var response = JSONBody.response(json: page.json(), for: request)
        if let next = page.nextAfter { response.headers[.syncNextAfter] = String(next) }
        return response
    }
}

extension HTTPField.Name {
    static let syncNextAfter = Self(ProtocolVersion.nextAfterHeader)!
}
