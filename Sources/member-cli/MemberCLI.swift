import ArgumentParser

@main
struct MemberCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member-cli",
        abstract: "职工之家终端客户端：离线保存资料与申领，联网时同步。",
        discussion: "数据目录：--home，否则环境变量 MEMBER_CLI_HOME，否则 $XDG_DATA_HOME/member-cli。",
        subcommands: [
            Connect.self, Activate.self, Login.self, ResetPassword.self, Sessions.self, Logout.self, Sync.self,
            Status.self, Verify.self, ProfileCommand.self,
            Enrolments.self, ClaimCommand.self, Pool.self, CaseCommand.self, Catalogue.self, Register.self,
            Password.self, UnitCommand.self, EnrolmentCommand.self, Letter.self, Dashboard.self, Messages.self,
            Admin.self,
        ]
    )
}
