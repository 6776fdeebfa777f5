import ArgumentParser
import Foundation
import SyncServer

/// `serve`'s HTTP SMS gateway. Each option falls back to an environment variable, so the
/// provider's credentials need not appear in the process list.
struct SMSGatewayOptions: ParsableArguments {
    @Option(
        name: .customLong("sms-gateway-url"),
        help: ArgumentHelp(
            "短信网关地址（http:// 或 https://）：待发短信逐条以 JSON POST 到此地址，失败的按退避重试，直到对方答 2xx；不给则读环境变量 SYNC_SMS_GATEWAY_URL，都没有则不发送，短信留在发件箱由操作员用 sms list 转发。",
            valueName: "url"))
    var url: String?
    @Option(
        name: .customLong("sms-gateway-header"),
        help: ArgumentHelp(
            "随每条短信发送的请求头（可重复），例如 \"Authorization: Bearer 令牌\"；不给则读环境变量 SYNC_SMS_GATEWAY_HEADER（每行一个）。",
            valueName: "名称: 值"))
    var header: [String] = []
    @Option(
        name: .customLong("sms-gateway-template"),
        help: ArgumentHelp(
            "POST 正文的 JSON 模板：{mobile}、{text}、{id} 代入手机号、短信内容和短信唯一编号（重发时不变，也作 Idempotency-Key 请求头），代入值按 JSON 转义，应写在引号内；不给则读环境变量 SYNC_SMS_GATEWAY_TEMPLATE，默认 \(SMSGatewayConfiguration.defaultTemplate)。",
            valueName: "json"))
    var template: String?
    @Option(name: .customLong("sms-gateway-timeout"), help: "一次 POST（含建立连接）最多等待的秒数。")
    var timeout = 10
    @Option(
        name: .customLong("sms-gateway-ca-file"),
        help: ArgumentHelp(
            "短信网关使用私有 CA 时，信任此 PEM 证书文件（代替系统证书）；不给则读环境变量 SYNC_SMS_GATEWAY_CA_FILE。",
            valueName: "path"))
    var caFile: String?

    /// The gateway's configuration, nil when no address is given (the operator's outbox).
    func configuration() throws -> SMSGatewayConfiguration? {
        let environment = ProcessInfo.processInfo.environment
        func fromEnvironment(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        guard let url = url ?? fromEnvironment("SYNC_SMS_GATEWAY_URL") else { return nil }
        guard timeout >= 1 else { throw ValidationError("--sms-gateway-timeout 应至少为 1 秒") }
        let headers =
            header.isEmpty
            ? (fromEnvironment("SYNC_SMS_GATEWAY_HEADER") ?? "").split(whereSeparator: \.isNewline).map(String.init)
            : header
        let template = template ?? fromEnvironment("SYNC_SMS_GATEWAY_TEMPLATE")
        do {
            return try SMSGatewayConfiguration(
                url: url, headers: headers, template: template ?? SMSGatewayConfiguration.defaultTemplate,
                timeout: TimeInterval(timeout), caFile: caFile ?? fromEnvironment("SYNC_SMS_GATEWAY_CA_FILE"))
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// The default SMS gateway's outbox: what the operator forwards (initial passwords). Once a
/// message is passed on it is marked delivered and its text keeps no secret.
struct SMS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sms", abstract: "短信发件箱。",
        subcommands: [List.self, Delivered.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出待发送的短信（最早的在前）。")

        @OptionGroup var data: DataOptions
        @Flag(help: "以 JSON 输出。") var json = false
        @Flag(help: "列出后即标记为已发送（短信内容中的密码随即清除）。") var markDelivered = false

        func run() async throws {
            let store = try await data.openStore()
            let messages = try await store.smsMessages()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                Output.line(String(decoding: try encoder.encode(["messages": messages]), as: UTF8.self))
            } else if messages.isEmpty {
                Output.line("没有待发送的短信。")
            } else {
                for m in messages { Output.line("\(m.id)\t\(m.createdAt)\t\(m.mobile)\t\(m.text)") }
            }
            if markDelivered { try await store.markSMSDelivered(ids: messages.map(\.id), now: Date()) }
        }
    }

    struct Delivered: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "把短信标记为已发送：其内容中的密码随即清除，不再出现在待发送列表中。")

        @OptionGroup var data: DataOptions
        @Argument(help: "短信编号（sms list 的第一列）。") var ids: [Int64]

        func run() async throws {
            let count = try await data.openStore().markSMSDelivered(ids: ids, now: Date())
            Output.line("已标记 \(count) 条短信为已发送。")
        }
    }
}
