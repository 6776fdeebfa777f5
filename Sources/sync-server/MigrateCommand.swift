import ArgumentParser
import Foundation
import SyncServer

/// Brings a case store's schema up to date without serving: an operator runs it before
/// starting new versions of the servers, so they do not race to migrate.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "把案件库升级到当前版本的结构（不启动服务）。")

    @OptionGroup var data: DataOptions

    func run() async throws {
        let store = try await data.openStore()
        let empty = try await store.isEmpty()
        Output.line("案件库结构已是最新（\(data.databaseURL == nil ? "内嵌 SQLite" : "PostgreSQL")）\(empty ? "，库中尚无数据" : "")。")
    }
}
