import ArgumentParser
import MemberCore

/// Options of every staff step on units and enrolments: the client options and --offline.
struct WorkOptions: ParsableArguments {
    @OptionGroup var options: ClientOptions
    @Flag(help: "只保存在本机，下次同步时再提交。") var offline = false

    /// Runs a step and reports it: done, or kept for the next sync.
    func perform(
        done: String, _ body: (MemberClient) async throws -> ActionOutcome,
        view: ((MemberClient) throws -> (any Encodable)?)? = nil
    ) async throws {
        try await options.run { client in
            let outcome = try await body(client)
            if options.json {
                let detail = try view?(client)
                return Printer.json(WorkResult(outcome: outcome.rawValue, detail: detail.map(AnyEncodable.init)))
            }
            Printer.line(outcome == .done ? done : "已保存在本机，联网后运行 member-cli sync 提交。")
        }
    }

    struct WorkResult: Encodable {
        var outcome: String
        var detail: AnyEncodable?
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
