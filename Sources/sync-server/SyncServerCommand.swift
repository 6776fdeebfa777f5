import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MutualAidDomain
import NIOCore
import PostgresStorage
import ServiceLifecycle
import SyncServer

@main
struct SyncServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-server",
        abstract: "职工互助保障同步服务器：接收客户端更改与材料，按权限下发数据。",
        subcommands: [Serve.self, Demo.self, User.self, SMS.self, Migrate.self]
    )
}

struct DataOptions: ParsableArguments {
    @Option(help: "数据目录（内嵌案件库、证书、材料文件）。")
    var data: String

    @Option(
        help: ArgumentHelp(
            "PostgreSQL 案件库地址 postgres://用户@主机:端口/数据库；不给则读环境变量 SYNC_DATABASE_URL，都没有则用数据目录中的内嵌 SQLite 库。",
            valueName: "url"))
    var database: String?

    var directory: URL { URL(fileURLWithPath: data, isDirectory: true) }

    /// `--database`, else `SYNC_DATABASE_URL`; nil means the embedded store.
    var databaseURL: String? {
        if let database { return database }
        let fromEnvironment = ProcessInfo.processInfo.environment["SYNC_DATABASE_URL"] ?? ""
        return fromEnvironment.isEmpty ? nil : fromEnvironment
    }

    func validate() throws {
        if let databaseURL {
            do { _ = try PostgresURL(databaseURL) } catch { throw ValidationError("\(error)") }
        }
    }

    func openStore() async throws -> SQLCaseStore {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        if let databaseURL {
            return try await SQLCaseStore.connect(url: try PostgresURL(databaseURL))
        }
        return try SQLCaseStore(path: directory.appendingPathComponent("case-store.sqlite").path)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动 HTTPS 同步服务。")

    @OptionGroup var data: DataOptions
    @Option(help: "监听地址。") var host = "127.0.0.1"
    @Option(help: "监听端口；0 表示任选空闲端口。") var port = 8443
    @Option(help: "证书链 PEM 文件；不给则在 DIR/tls/ 下自动生成自签名证书。")
    var tlsCert: String?
    @Option(help: "私钥 PEM 文件。") var tlsKey: String?
    @Option(help: "空闲连接在多少秒后关闭（也限定请求头须在此时间内收齐）。")
    var idleTimeout = 60
    @Option(help: "一个请求的正文须在多少秒内收齐。")
    var requestTimeout = 300
    @Option(help: "同时打开的连接上限；超出的在监听队列中等待。")
    var maxConnections = 512
    @Option(help: "同时处理的上传（tus PATCH）上限；超出的排队，久等答 503。")
    var maxUploads = 16
    @Option(help: "同时处理的同步请求（推送、拉取、校验）上限；超出的排队，久等答 503。")
    var maxSyncs = ServerLimits().maxSyncRequests
    @Option(help: "同时进行的密码校验（scrypt，每个约 128 MiB）上限。")
    var maxPasswordChecks = ServerLimits().maxPasswordChecks
    @Option(
        help: ArgumentHelp(
            "可信的负载均衡地址（可重复）：来自它的请求以 X-Forwarded-For 中它追加的地址作为客户端地址（登录限速按此计）。",
            valueName: "ip"))
    var trustedProxy: [String] = []
    @Option(help: "在此端口（HTTP，仅监听地址 --host）提供 Prometheus 指标 /metrics；不给则不提供。")
    var metricsPort: Int?
    @OptionGroup(title: "短信网关") var sms: SMSGatewayOptions

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert 与 --tls-key 须同时给出")
        }
        guard (0...65535).contains(port), (0...65535).contains(metricsPort ?? 0) else {
            throw ValidationError("端口应在 0 到 65535 之间")
        }
        guard idleTimeout >= 1, requestTimeout >= 1 else { throw ValidationError("超时应至少为 1 秒") }
        for proxy in trustedProxy where (try? SocketAddress(ipAddress: proxy, port: 0)) == nil {
            throw ValidationError("--trusted-proxy 应为 IP 地址，例如 127.0.0.1：\(proxy)")
        }
        guard maxConnections >= 1, maxUploads >= 1, maxSyncs >= 1, maxPasswordChecks >= 1 else {
            throw ValidationError("--max-connections、--max-uploads、--max-syncs、--max-password-checks 应至少为 1")
        }
        _ = try sms.configuration()
    }

    func run() async throws {
        let store = try await data.openStore()
        let certPath: String
        let keyPath: String
        if let tlsCert, let tlsKey {
            certPath = tlsCert
            keyPath = tlsKey
        } else {
            let files = try SelfSignedCertificate.ensure(in: data.directory.appendingPathComponent("tls"))
            certPath = files.certificatePath
            keyPath = files.privateKeyPath
            Output.line("\(files.created ? "已生成" : "使用")自签名证书：\(files.certificatePath)")
            Output.line("证书 SHA-256 指纹：\(files.fingerprint)")
        }
        var configuration = ServerConfiguration(
            host: host, port: port, certificatePath: certPath, privateKeyPath: keyPath,
            dataDirectory: data.directory)
        configuration.faults = FaultInjection.fromEnvironment()
        // On PostgreSQL several processes may serve one store: material bytes live there too.
        if data.databaseURL != nil { configuration.blobStorage = .database }
        configuration.trustedProxies = Set(trustedProxy.compactMap { ClientAddress.key(text: $0) })
        configuration.limits.idleTimeout = .seconds(idleTimeout)
        configuration.limits.uploadWait = .seconds(min(30, max(1, idleTimeout / 2)))  // under the idle timer
        configuration.limits.syncWait = configuration.limits.uploadWait
        configuration.limits.maxSyncRequests = maxSyncs
        configuration.limits.requestReadTimeout = .seconds(requestTimeout)
        configuration.limits.maxConnections = maxConnections
        configuration.limits.maxUploads = maxUploads
        configuration.limits.maxPasswordChecks = maxPasswordChecks
        var logger = Logger(label: "sync-server")
        logger.logLevel = .info
        let host = self.host
        var metrics: ServerMetrics?
        if metricsPort != nil {
            if let database = store.database as? PostgresDatabase {
                metrics = ServerMetrics(pool: { await database.poolUsage() })
            } else {
                metrics = ServerMetrics()
            }
        }
        configuration.metrics = metrics
        let app = try buildApplication(store: store, configuration: configuration, logger: logger) { port in
            Output.line("listening on https://\(host):\(port)")
        }
        var services: [any Service] = [app]
        if let metrics, let metricsPort {
            services.append(buildMetricsApplication(metrics: metrics, host: host, port: metricsPort, logger: logger))
        }
        if let gateway = try sms.configuration() {
            Output.line("短信经网关发送：\(gateway.displayAddress)")
            services.append(SMSDeliveryService(store: store, configuration: gateway, logger: logger))
        }
        // On SIGTERM (or SIGINT) the servers stop accepting, finish the requests in flight (a
        // balancer's health check fails meanwhile, so it sends new ones elsewhere), then exit.
        try await ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "向新的数据目录装入演示数据，并打印各角色的登录账号。")

    @OptionGroup var data: DataOptions
    @Flag(help: "以 JSON 输出。") var json = false

    func run() async throws {
        let store = try await data.openStore()
        let logins: [DemoData.Login]
        do {
            // The demo passwords are printed in clear, so a costly hash would protect nothing and
            // cost 128 MiB and a noticeable time per account; the server raises each one to the
            // standard cost at its first login.
            logins = try await DemoData.load(into: store, hasher: .generated)
        } catch let failure as DemoData.Failure {
            throw ValidationError(failure.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Output.line(
                String(
                    decoding: try encoder.encode(DemoOutput(logins: logins, unactivated: DemoData.unactivated)),
                    as: UTF8.self))
        } else {
            Output.line("演示数据已装入 \(data.data)。登录账号：")
            for l in logins {
                Output.line("  \(l.role.chineseName)\t\(l.login)\t\(l.password)\t\(l.name)（\(l.org)）")
            }
            Output.line("尚未激活的参保人员（可用 member-cli activate 自行激活）：")
            for p in DemoData.unactivated { Output.line("  \(p.name)\t\(p.idNumber)\t\(p.mobile)") }
        }
    }
}

struct DemoOutput: Encodable {
    var logins: [DemoData.Login]
    var unactivated: [DemoData.Unactivated]
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "账号管理。", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "新建账号；密码从标准输入读取一行。")

        @OptionGroup var data: DataOptions
        @Option(help: "角色：member, unit, agent, office, finance。") var role: Role
        @Option(help: "登录名。") var login: String
        @Option(help: "所属机构编号（会员为其参保单位）。") var org: String
        @Option(help: "姓名。") var name: String
        @Option(help: "身份证号码（会员必填）。") var idNumber: String?
        @Option(help: "手机号码（会员可选）。") var mobile: String?

        func validate() throws {
            guard !login.isEmpty, login.count <= 64,
                login.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
            else {
                throw ValidationError("登录名只能包含字母、数字和 - _ .，最长64个字符")
            }
            if role == .member {
                guard let idNumber else { throw ValidationError("会员账号须提供 --id-number") }
                do { try ResidentID.validate(idNumber) } catch { throw ValidationError(error.message) }
            }
            if let mobile {
                do { try ContactRules.validateMobile(mobile) } catch { throw ValidationError(error.message) }
            }
        }

        func run() async throws {
            guard let password = readLine(strippingNewline: true), password.count >= 8 else {
                throw ValidationError("请从标准输入提供至少8位的密码")
            }
            let store = try await data.openStore()
            var memberId: String? = nil
            do {
                if role == .member, let idNumber = idNumber?.uppercased() {
                    memberId = try await store.memberId(idNumber: idNumber)
                    if memberId == nil {
                        let id = "m-" + UUID().uuidString.lowercased().prefix(8)
                        try await store.addMember(
                            NewMember(id: id, unitId: org, name: name, idNumber: idNumber, mobile: mobile),
                            now: Date())
                        memberId = id
                    }
                }
                _ = try await store.addAccount(
                    NewAccount(
                        login: login, role: role, orgId: org, name: name, memberId: memberId,
                        passwordHash: try PasswordHasher.standard.hash(password)), now: Date())
            } catch let error as StoreError {
                throw ValidationError(error.description)
            }
            Output.line("已创建账号 \(login)（\(role.chineseName)）")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Unbuffered lines on stdout: scripts wait for "listening on …" while the server runs.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
