import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// The message centre (消息中心): `messages` lists what the server told this account, from
/// the replica (so offline too); `messages read ID…` marks messages read here at once and on
/// the account's other devices after the next sync.
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "消息中心：查看受理、补材、审核、支付、参保等通知，标记已读。",
        subcommands: [List.self, Read.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "列出消息，最新的在前（本机数据，离线可看；先运行 sync 获取新消息）。")
        @OptionGroup var options: ClientOptions
        @OptionGroup var export: XLSXExport

        func run() async throws {
            try await options.run { client in
                let list = try client.messages()
                try export.write(.messages, list.messages)
                if options.json { return Printer.json(list) }
                MessageOutput.print(list)
            }
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "read", abstract: "把消息标记为已读（本机立即生效，下次同步时更新到服务器）。")
        @OptionGroup var options: ClientOptions
        @Argument(help: "消息编号（可写多个；也可用列表中编号的前 8 位以上）。") var ids: [String]

        func validate() throws {
            if ids.isEmpty { throw ValidationError("请指定要标记为已读的消息编号") }
        }

        func run() async throws {
            try await options.run { client in
                let list = try client.markMessagesRead(ids)
                if options.json { return Printer.json(list) }
                Printer.line("已标记为已读，下次同步时更新到服务器。未读消息 \(list.unread) 条。")
            }
        }
    }
}

enum MessageOutput {
    static func print(_ list: MessageList) {
        guard !list.messages.isEmpty else { return Printer.line("暂无消息。") }
        Printer.line("消息 \(list.messages.count) 条，未读 \(list.unread) 条（时间为北京时间）：")
        for m in list.messages {
            let kind = MessageKind(rawValue: m.kind)?.chineseName ?? m.kind
            let number = m.caseNumber.map { "  案件号 \($0)" } ?? ""
            Printer.line("\(m.read ? "  已读" : "● 未读")  \(BeijingTime.text(m.at))  \(kind)\(number)")
            Printer.line("    \(m.text)")
            Printer.line("    编号：\(m.id)")
        }
    }
}
