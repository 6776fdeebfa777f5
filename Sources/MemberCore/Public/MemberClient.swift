import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import Synchronization

/// The public face of MemberCore: one client per data folder. Everything local works with no
/// network; `connect`, `login`, `logout`, `sync` and `verify` talk to the server.
public final class MemberClient: Sendable {
    public let home: URL
    let database: ClientDatabase
    /// Makes the transport of every request, for the stored session's TLS settings.
    let transport: TransportFactory
    /// Made with the client and kept for its life: it runs one sync at a time.
    let syncEngine: SyncEngine

    /// Talks to the server through libcurl. member-cli arms `faults` from MEMBER_CLI_CRASH_AT;
    /// everyone else leaves them unarmed.
    public convenience init(home: URL, faults: ClientFaults = .none) throws(ClientError) {
        try self.init(home: home, transport: { CurlTransport(tls: $0) }, clock: .system, faults: faults)
    }

    /// For a command about to sync: the network library loads on another thread while the
    /// client opens its store. Optional; the first request loads it otherwise.
    public static func prepareNetwork() {
        CurlTransport.preload()
    }

    /// Tests pass an in-memory transport and their own clock.
    init(home: URL, transport: @escaping TransportFactory, clock: ClientClock, faults: ClientFaults) throws(ClientError)
    {
        self.home = home
        self.transport = transport
        do {
            try FileManager.default.createDirectory(
                at: home, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let cipher = try FieldCipher.load(directory: home.appendingPathComponent("keys", isDirectory: true))
            database = try ClientDatabase(
                path: home.appendingPathComponent("member.sqlite").path, cipher: cipher,
                clock: clock)
            // The client id is made once, at setup; every change id starts with it.
            _ = try database.write { db in try LocalClock.clientId(db) }
        } catch {
            throw .io("无法打开数据目录 \(home.path)")
        }
        syncEngine = SyncEngine(database: database, faults: faults)
    }

    // MARK: Local state

    public func status() throws -> SyncStatus {
        try database.read { db in
            let rejected = try Row.fetchAll(db, sql: "SELECT * FROM rejected_change ORDER BY rejected_at").map {
                RejectedChange(
                    changeId: $0["change_id"], table: $0["tbl"], recordId: $0["record_id"], reason: $0["reason"],
                    rejectedAt: $0["rejected_at"])
            }
            let account = try Self.account(db)
            let uploads = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(PendingUploads.fromWhere)") ?? 0
            let failed = try String.fetchAll(db, sql: "SELECT error FROM material_upload WHERE error IS NOT NULL")
            return SyncStatus(
                server: try Meta.serverURL.get(db), login: account?.login,
                pendingChanges: try Outbox.count(db), rejectedChanges: rejected.count,
                pendingUploads: uploads, failedUploads: failed, uploadedBytes: try Meta.uploadedBytes(db),
                lastSync: try Meta.lastSync.get(db), rejected: rejected,
                unreadMessages: try Self.unreadMessages(db))
        }
    }

    static func account(_ db: Database) throws -> AccountInfo? {
        guard let text = try Meta.account.get(db) else { return nil }
        if let (known, account) = lastAccount.withLock({ $0 }), known == text { return account }
        let account = try JSONDecoder().decode(AccountInfo.self, from: Data(text.utf8))
        lastAccount.withLock { $0 = (text, account) }
        return account
    }

    /// The account text decoded last, and what it decoded to: every edit checks the account,
    /// and Foundation's decoder was a tenth of an `editClaim`.
    private static let lastAccount = Mutex<(String, AccountInfo)?>(nil)

    func session() throws -> (server: String, tls: TLSSettings, token: String?) {
        let values = try database.read { db in
            (try Meta.serverURL.get(db), try Meta.caFile.get(db), try Meta.pinnedKey.get(db), try Meta.token.get(db))
        }
        guard let server = values.0 else { throw ClientError.notConnected }
        return (
            server, TLSSettings(caFile: values.1, pinnedPublicKey: values.2),
            try values.3.map(database.cipher.open(text:))
        )
    }

    func api(requireLogin: Bool = true) throws -> APIClient {
        let s = try session()
        if requireLogin && s.token == nil { throw ClientError.notLoggedIn }
        return APIClient(transport: transport(s.tls), baseURL: s.server, token: s.token)
    }

    // MARK: Sync

    /// Pushes, uploads and pulls. A call made while another sync of this client runs waits for
    /// it and then runs in full (see `SyncEngine`).
    public func sync(_ options: SyncOptions = SyncOptions()) async throws -> SyncReport {
        try await syncEngine.run(vault: vault, options: options) { try self.api() }
    }
}

public struct RejectedChange: Sendable, Codable {
    public var changeId: String
    public var table: String
    public var recordId: String
    public var reason: String
    public var rejectedAt: String
}

public struct SyncStatus: Sendable, Codable {
    @NullWhenAbsent public var server: String?
    @NullWhenAbsent public var login: String?
    public var pendingChanges: Int
    public var rejectedChanges: Int
    /// Materials recorded here whose bytes the server does not hold yet.
    public var pendingUploads: Int
    /// Reasons the server gave for refusing material uploads.
    public var failedUploads: [String]
    public var uploadedBytes: Int64
    @NullWhenAbsent public var lastSync: String?
    public var rejected: [RejectedChange]
    /// Messages (消息中心) not yet marked read on any of this account's devices that synced.
    public var unreadMessages: Int
}
