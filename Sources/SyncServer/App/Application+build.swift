import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MutualAidDomain
import NIOSSL
import SyncProtocol

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var certificatePath: String
    public var privateKeyPath: String
    public var tokenLifetime: TimeInterval = 30 * 24 * 3600
    public var throttle = LoginThrottle()
    public var hasher = PasswordHasher.standard
    public var faults = FaultInjection(armed: nil)
    /// Timeouts and caps on connections, uploads and password checks.
    public var limits = ServerLimits()
    /// Where upload parts and material files are kept.
    public var dataDirectory: URL
    /// How long stored content nothing refers to any more is kept before it is removed.
    public var contentGrace: TimeInterval = ContentRetention.defaultGrace
    /// Where upload parts and material bytes live: files under `dataDirectory` (one process) or
    /// the case store's database (several processes on one PostgreSQL store).
    public var blobStorage: BlobStorage = .files
    /// Peers (load balancers) whose `X-Forwarded-For` names the client, as address keys.
    public var trustedProxies: Set<String> = []
    /// Where requests are counted and timed (served by `buildMetricsApplication`), if anywhere.
    public var metrics: ServerMetrics?
    /// SMS codes for activation and password reset: validity, attempts, sending limits.
    public var verification = VerificationPolicy()

    public init(host: String, port: Int, certificatePath: String, privateKeyPath: String, dataDirectory: URL) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// The router with every route of the API; the OpenAPI test compares `routes` with docs/openapi.json.
public func buildRouter(store: any CaseStore, configuration: ServerConfiguration) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    if let metrics = configuration.metrics { router.add(middleware: MetricsMiddleware(metrics: metrics)) }
    router.add(middleware: ErrorMiddleware())
    if !configuration.trustedProxies.isEmpty {
        router.add(middleware: ForwardedClientMiddleware(trusted: configuration.trustedProxies))
    }
    let v1 = router.group("v1")
    // Readiness (the database answers) apart from liveness (the process runs).
    v1.get("health") { request, _ in
        guard await store.isReachable() else {
            var response = try JSONBody.response(
                HealthResponse(status: "unavailable", database: "unreachable"), for: request)
            response.status = .serviceUnavailable
            return response
        }
        return try JSONBody.response(HealthResponse(), for: request)
    }
    v1.get("health/live") { request, _ in try JSONBody.response(["status": "ok"], for: request) }
    let limits = configuration.limits
    let checks = PasswordChecks(
        hasher: configuration.hasher,
        limit: ConcurrencyLimit(
            limit: limits.maxPasswordChecks, queueLimit: limits.passwordQueue,
            maxWait: limits.passwordWait))
    let auth = AuthRoutes(
        store: store, checks: checks, throttle: configuration.throttle,
        tokenLifetime: configuration.tokenLifetime)
    auth.addPublic(to: v1)
    let sms = SMSOutbox()
    AccountRoutes(
        store: store, checks: checks, policy: configuration.verification, sms: sms,
        tokenLifetime: configuration.tokenLifetime
    ).addPublic(to: v1)
    let authenticated = v1.group().add(middleware: BearerAuthMiddleware(store: store))
    auth.addAuthenticated(to: authenticated)
    SessionRoutes(store: store, checks: checks, sms: sms).addAuthenticated(to: authenticated)
    AccountAdminRoutes(store: store, checks: checks, sms: sms).addAuthenticated(to: authenticated)
    CatalogueAdminRoutes(store: store).addAuthenticated(to: authenticated)
    RestrictionRoutes(store: store).addAuthenticated(to: authenticated)
    let syncs = ConcurrencyLimit(limit: limits.maxSyncRequests, queueLimit: limits.syncQueue, maxWait: limits.syncWait)
    SyncRoutes(store: store, faults: configuration.faults)
        .add(
            to: authenticated.group("sync").add(middleware: ProtocolVersionMiddleware())
                .add(middleware: ConcurrencyLimitMiddleware(limit: syncs) { _ in true }))
    let content = try blobStore(store: store, configuration: configuration)
    let tus = TusRoutes(
        store: store, content: content, faults: configuration.faults, contentGrace: configuration.contentGrace)
    tus.addPublic(to: v1)
    let registrations = RegistrationRoutes(store: store, content: content)
    registrations.addPublic(to: v1)
    registrations.addAuthenticated(to: authenticated)
    // A waiting PATCH (or POST with the file) does not read its body: bodies stay in the socket, not in memory.
    let uploads = ConcurrencyLimit(limit: limits.maxUploads, queueLimit: limits.uploadQueue, maxWait: limits.uploadWait)
    tus.addAuthenticated(
        to: authenticated.group().add(
            middleware: ConcurrencyLimitMiddleware(
                limit: uploads, busyHeaders: [.tusResumable: "1.0.0"]
            ) { $0.method == .patch || ($0.method == .post && TusRoutes.carriesBody($0)) }))
    return router
}

/// The HTTPS application, shared by `sync-server serve` and the tests. `onRunning` gets the
/// bound port once connections are accepted (port 0 binds a free one).
public func buildApplication(
    store: any CaseStore,
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "sync-server"),
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let chain = try NIOSSLCertificate.fromPEMFile(configuration.certificatePath).map {
        NIOSSLCertificateSource.certificate($0)
    }
    let key = try NIOSSLPrivateKey(file: configuration.privateKeyPath, format: .pem)
    var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
    tls.minimumTLSVersion = .tlsv12
    // A client that keeps its connection open never answers our close_notify: NIOSSL's default
    // wait of 5 s held every drain (SIGTERM, rolling restarts behind a balancer) that long.
    tls.shutdownTimeout = .seconds(1)
    let content = try blobStore(store: store, configuration: configuration)
    try content.prepare()
    let limits = configuration.limits
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            ReadSizeHandler(maximum: limits.readBufferBytes),
            RequestReadTimeoutHandler(timeout: limits.requestReadTimeout.timeAmount),
        ],
        idleTimeout: limits.idleTimeout.timeAmount)
    return Application(
        router: try buildRouter(store: store, configuration: configuration),
        server: try .tls(.http1(configuration: http1), tlsConfiguration: tls),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "sync-server",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
        services: configuration.blobStorage == .database ? [InstanceHeartbeat(store: store, logger: logger)] : [],
        onServerRunning: { channel in
            if configuration.blobStorage == .database {
                await InstanceHeartbeat.start(
                    store: store, dataDirectory: configuration.dataDirectory, host: configuration.host,
                    port: channel.localAddress?.port ?? configuration.port, logger: logger)
            }
            await ContentMaintenance.atStart(
                store: store, content: content, grace: configuration.contentGrace, logger: logger)
            await onRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The blob store the configuration names; the database one lives in the case store's database.
func blobStore(store: any CaseStore, configuration: ServerConfiguration) throws -> any BlobStore {
    switch configuration.blobStorage {
    case .files:
        return FileBlobStore(root: configuration.dataDirectory)
    case .database:
        guard let store = store as? SQLCaseStore else {
            throw ServerError(.internalServerError, "blob_storage", "这种案件库不能保存材料文件")
        }
        return DatabaseBlobStore(database: store.database, dataDirectory: configuration.dataDirectory)
    }
}
