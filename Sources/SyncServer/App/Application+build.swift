import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import MutualAidDomain
import NIOSSL

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var certificatePath: String
    public var privateKeyPath: String
    public var tokenLifetime: TimeInterval = 30 * 24 * 3600
    public var throttle = LoginThrottle()
    public var hasher = PasswordHasher.standard
    public var faults = FaultInjection(armed: nil)
    /// Where upload parts and material files are kept.
    public var dataDirectory: URL
    /// How long stored content nothing refers to any more is kept before it is removed.
    public var contentGrace: TimeInterval = ContentRetention.defaultGrace

    public init(host: String, port: Int, certificatePath: String, privateKeyPath: String, dataDirectory: URL) {
        self.host = host; self.port = port; self.dataDirectory = dataDirectory
        self.certificatePath = certificatePath; self.privateKeyPath = privateKeyPath
    }
}

/// The router with every route of the API; the OpenAPI test compares `routes` with docs/openapi.json.
public func buildRouter(store: any CaseStore, configuration: ServerConfiguration) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    let v1 = router.group("v1")
    v1.get("health") { request, _ in try JSONBody.response(HealthResponse(), for: request) }
    let auth = AuthRoutes(store: store, hasher: configuration.hasher, throttle: configuration.throttle,
                          tokenLifetime: configuration.tokenLifetime)
    auth.addPublic(to: v1)
    let authenticated = v1.group().add(middleware: BearerAuthMiddleware(store: store))
    auth.addAuthenticated(to: authenticated)
    SyncRoutes(store: store, faults: configuration.faults)
        .add(to: authenticated.group("sync").add(middleware: ProtocolVersionMiddleware()))
    let content = ContentStore(root: configuration.dataDirectory)
    let tus = TusRoutes(store: store, content: content, faults: configuration.faults, contentGrace: configuration.contentGrace)
    tus.addPublic(to: v1)
    let registrations = RegistrationRoutes(store: store, content: content)
    registrations.addPublic(to: v1)
    registrations.addAuthenticated(to: authenticated)
    tus.addAuthenticated(to: authenticated)
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
    let chain = try NIOSSLCertificate.fromPEMFile(configuration.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
    let key = try NIOSSLPrivateKey(file: configuration.privateKeyPath, format: .pem)
    let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
    let content = ContentStore(root: configuration.dataDirectory)
    try content.prepare()
    return Application(
        router: buildRouter(store: store, configuration: configuration),
        server: try .tls(.http1(), tlsConfiguration: tls),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sync-server"),
        onServerRunning: { channel in
            await ContentMaintenance.atStart(store: store, content: content, grace: configuration.contentGrace, logger: logger)
            await onRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
