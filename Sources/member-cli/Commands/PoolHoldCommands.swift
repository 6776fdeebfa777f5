import ArgumentParser
import MemberCore
import MutualAidDomain

/// `enrolment acquire|release` and `unit acquire|release`, shaped like `case acquire|release`:
/// several numbers at once are a batch acquire (批量获取).
struct HoldArguments: ParsableArguments {
    @OptionGroup var work: WorkOptions
    @Argument(help: "编号（可多个，批量获取或释放）。") var ids: [String]

    func validate() throws {
        if ids.isEmpty { throw ValidationError("请给出至少一个编号（见 member-cli pool --step …）") }
    }

    func run(_ subject: WorkSubject, acquire: Bool) async throws {
        try await work.perform(done: acquire ? "已获取 \(ids.count) 件；办理前别人不能获取或办理。" : "已释放 \(ids.count) 件，已放回工作池。") {
            try await $0.hold(subject, acquire: acquire, ids, online: !work.offline)
        }
    }
}

extension EnrolmentCommand {
    struct Acquire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acquire", abstract: "从工作池获取参保申请（可批量）；获取后只有你能办理该环节。")
        @OptionGroup var hold: HoldArguments
        func run() async throws { try await hold.run(.enrolment, acquire: true) }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "release", abstract: "释放已获取的参保申请，放回工作池。")
        @OptionGroup var hold: HoldArguments
        func run() async throws { try await hold.run(.enrolment, acquire: false) }
    }
}

extension UnitCommand {
    struct Acquire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acquire", abstract: "从注册审核工作池获取单位注册（可批量）；获取后只有你能审核。")
        @OptionGroup var hold: HoldArguments
        func run() async throws { try await hold.run(.registration, acquire: true) }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "release", abstract: "释放已获取的单位注册，放回工作池。")
        @OptionGroup var hold: HoldArguments
        func run() async throws { try await hold.run(.registration, acquire: false) }
    }
}
