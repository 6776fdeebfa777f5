import Foundation
import PostgresNIO

/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as `--database` and `SYNC_DATABASE_URL`
/// take it. Without TLS: the store is reached on loopback or a private network.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public let user: String
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else {
            throw InvalidPostgresURL(
                reason: "应写作 postgres://用户@主机:端口/数据库，例如 postgres://postgres@127.0.0.1:5432/mutual_aid")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw InvalidPostgresURL(reason: "地址中缺少数据库名（…/数据库）")
        }
        self.user = user
        self.password = components.password
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
    }

    /// The same server, another database (tests clone a migrated template per test).
    public func with(database: String) -> PostgresURL {
        PostgresURL(user: user, password: password, host: host, port: port, database: database)
    }

    private init(user: String, password: String?, host: String, port: Int, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Without the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }
}

public struct InvalidPostgresURL: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "数据库地址无效：\(reason)" }
}
