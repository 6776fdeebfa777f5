import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol

extension MemberClient {
    /// Checks the server (TLS and protocol) and remembers it. The CA file is copied into the
    /// data folder so the client keeps working if the original moves.
    public func connect(url: String, caFile: String?, pinnedPublicKey: String?) async throws -> HealthResponse {
        var base = url.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard base.lowercased().hasPrefix("https://"), URL(string: base)?.host != nil else {
            throw ClientError.invalidInput(
                RuleViolation(field: "url", message: "服务器地址应以 https:// 开头，例如 https://127.0.0.1:8443"))
        }
        var storedCA: String? = nil
        if let caFile {
            guard let pem = FileManager.default.contents(atPath: caFile),
                String(decoding: pem, as: UTF8.self).contains("BEGIN CERTIFICATE")
            else {
                throw ClientError.invalidInput(RuleViolation(field: "caFile", message: "CA 文件不存在或不是 PEM 证书：\(caFile)"))
            }
            let target = home.appendingPathComponent("ca.pem")
            try? FileManager.default.removeItem(at: target)
            guard
                FileManager.default.createFile(
                    atPath: target.path, contents: pem, attributes: [.posixPermissions: 0o600])
            else {
                throw ClientError.io("无法保存 CA 文件")
            }
            storedCA = target.path
        }
        let server = base
        let ca = storedCA
        let tls = TLSSettings(caFile: ca, pinnedPublicKey: pinnedPublicKey)
        let api = APIClient(transport: transport(tls), baseURL: server, token: nil)
        let health = try await api.get("/v1/health", as: HealthResponse.self)
        if health.oldestSupported > ProtocolVersion.current {
            throw ClientError.upgradeRequired("服务器要求协议版本 \(health.oldestSupported) 以上，请升级 member-cli")
        }
        try database.write { db in
            let previous = try Meta.serverURL.get(db)
            if previous != nil && previous != server {
                let pending = try Outbox.count(db)
                if pending > 0 { throw ClientError.accountSwitchBlocked(pending: pending) }
                try Self.resetReplica(db)
            }
            try Meta.serverURL.set(db, server)
            try Meta.caFile.set(db, ca)
            try Meta.pinnedKey.set(db, pinnedPublicKey)
        }
        return health
    }

    public func login(_ login: String, password: String) async throws -> LoginResponse {
        let api = try api(requireLogin: false)
        let clientId = try database.write { db in try LocalClock.clientId(db) }
        let response = try await api.post(
            "/v1/auth/login", LoginRequest(login: login, password: password, clientId: clientId),
            as: LoginResponse.self)
        try remember(response)
        return response
    }

    /// Keeps a new session (login or activation) for the account it belongs to.
    func remember(_ response: LoginResponse) throws {
        let accountJSON = String(decoding: try JSONEncoder().encode(response.account), as: UTF8.self)
        try database.write { db in
            if let previous = try Self.account(db), previous.id != response.account.id {
                // Another person's data must not stay visible to this one, nor be lost.
                let pending = try Outbox.count(db)
                if pending > 0 { throw ClientError.accountSwitchBlocked(pending: pending) }
                try Self.resetReplica(db)
            }
            // Sealed like personal data: a copy of the database alone must not carry a live session.
            try Meta.token.set(db, try self.database.cipher.seal(text: response.token))
            try Meta.tokenExpiresAt.set(db, response.expiresAt)
            try Meta.account.set(db, accountJSON)
        }
    }

    /// Ends the session on the server when it can be reached, and always forgets the token.
    /// Unsynced changes stay for the next login of the same account.
    public func logout() async throws -> Bool {
        var reached = false
        if let api = try? api() {
            reached = (try? await api.post("/v1/auth/logout", [String: String](), as: [String: String].self)) != nil
        }
        try database.write { db in
            try Meta.token.set(db, nil)
            try Meta.tokenExpiresAt.set(db, nil)
        }
        return reached
    }

    public func currentAccount() throws -> AccountInfo? {
        try database.read { db in try Self.account(db) }
    }

    /// Forgets everything pulled (another account or server takes over this folder).
    static func resetReplica(_ db: Database) throws {
        for table in SyncTable.all { try db.execute(sql: "DELETE FROM \(table.name)") }
        try db.execute(sql: "DELETE FROM material_upload")
        try db.execute(sql: "DELETE FROM rejected_change")
        try Meta.cursor.set(db, nil)
        try Meta.lastSync.set(db, nil)
        try Meta.account.set(db, nil)
        try Meta.token.set(db, nil)
    }
}
