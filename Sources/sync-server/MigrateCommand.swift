import ArgumentParser
import Foundation
import PostgresStorage
import SyncServer

/// Brings a case store's schema up to date without serving (an operator runs it before starting
/// new versions of the servers, so they do not race to migrate); with `--to`, moves the embedded
/// store of `--data` into an empty PostgreSQL database.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "把案件库升级到当前版本的结构（不启动服务）；加 --to 则把数据目录中的内嵌库整体迁入一个空的 PostgreSQL 库。")

    @OptionGroup var data: DataOptions
    @Option(
        help: ArgumentHelp(
            "迁入的空 PostgreSQL 库 postgres://用户@主机:端口/数据库（先停掉使用该数据目录的服务器）。", valueName: "url"))
    var to: String?

    func validate() throws {
        if let to {
            guard data.database == nil else { throw ValidationError("--to 与 --database 不能同时使用：迁移的来源是 --data 中的内嵌库") }
            do { _ = try PostgresURL(to) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        if let to {
            Output.line(try await SQLCaseStore.moveEmbeddedStore(from: data.directory, to: try PostgresURL(to)))
            return
        }
        let store = try await data.openStore()
        let empty = try await store.isEmpty()
        Output.line("案件库结构已是最新（\(data.databaseURL == nil ? "内嵌 SQLite" : "PostgreSQL")）\(empty ? "，库中尚无数据" : "")。")
    }
}
