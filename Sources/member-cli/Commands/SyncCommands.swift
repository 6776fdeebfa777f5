import ArgumentParser
import Foundation
import MemberCore

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "上传本机更改并下载最新数据。")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        MemberClient.prepareNetwork()
        try await options.run { client in
            // Unset: chunks adapt to the link (SyncOptions); set: every chunk has that size.
            let chunk = ProcessInfo.processInfo.environment["MEMBER_CLI_CHUNK_BYTES"].flatMap { Int($0) }
            let json = options.json
            var sync = SyncOptions(chunkSize: chunk) { p in
                guard !json else { return }
                let percent = p.total > 0 ? p.sent * 100 / p.total : 100
                Printer.line(
                    "上传材料 \(p.item)：\(percent)%  \(Units.bytes(p.sent))/\(Units.bytes(p.total))  \(Units.bytes(Int64(p.bytesPerSecond)))/s"
                )
            }
            // "off": every material is created first, then sent with PATCH (tus without creation-with-upload).
            sync.wholeFileInCreation = ProcessInfo.processInfo.environment["MEMBER_CLI_UPLOAD_IN_CREATION"] != "off"
            let report = try await client.sync(sync)
            if options.json {
                Printer.json(report)
            } else {
                Printer.line(
                    "同步完成：上传 \(report.pushed) 条，材料 \(report.uploaded) 份，下载 \(report.pulled) 条"
                        + (report.rejected > 0 ? "，被拒绝 \(report.rejected) 条（运行 member-cli status 查看原因）" : "") + "。")
            }
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "查看待同步和被拒绝的更改。")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.run { client in
            let status = try client.status()
            if options.json {
                Printer.json(status)
                return
            }
            Printer.line("服务器：\(status.server ?? "未设置")")
            Printer.line("账号：\(status.login ?? "未登录")")
            Printer.line("待同步更改：\(status.pendingChanges) 条")
            if status.pendingUploads > 0 { Printer.line("待上传材料：\(status.pendingUploads) 份") }
            for reason in status.failedUploads { Printer.line("材料上传被拒绝：\(reason)") }
            Printer.line("上次同步：\(status.lastSync.map { BeijingTime.text($0) + "（北京时间）" } ?? "从未同步")")
            // Messages are an account's: a folder nobody has logged into has none to count.
            if status.login != nil { Printer.line("未读消息 \(status.unreadMessages) 条") }
            if !status.rejected.isEmpty {
                Printer.line("被服务器拒绝的更改：\(status.rejectedChanges) 条")
                for r in status.rejected {
                    Printer.line("  [\(r.table)] \(r.reason)（\(BeijingTime.text(r.rejectedAt))）")
                }
            }
        }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "核对本机数据与服务器是否一致，并列出不一致的记录。")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await options.run { client in
            let report = try await client.verify()
            if options.json {
                Printer.json(report)
            } else if report.ok {
                Printer.line(
                    "核对一致：本机数据与服务器相同。" + (report.pendingChanges > 0 ? "另有 \(report.pendingChanges) 条待同步更改。" : ""))
            } else {
                Printer.line("核对发现 \(report.differences.count) 处不一致：")
                for d in report.differences { Printer.line("  [\(d.table)] \(d.recordId)：\(d.kind.chineseName)") }
                if report.pendingChanges > 0 {
                    Printer.line("本机有 \(report.pendingChanges) 条待同步更改，先运行 member-cli sync 再核对。")
                }
            }
            if !report.ok { throw ExitCode(1) }
        }
    }
}

enum Units {
    static func bytes(_ n: Int64) -> String {
        n >= 1 << 20 ? String(format: "%.1f MB", Double(n) / 1_048_576) : String(format: "%.0f KB", Double(n) / 1024)
    }
}
