import ArgumentParser
import CMallocTuning

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
            Claims.self, Insured.self, PaymentCommand.self, Stats.self, Restricted.self,
        ]
    )

    /// ArgumentParser's own `main()`, except that its messages (parse errors, usage, help) are
    /// printed in Chinese; exit codes are unchanged.
    static func main() async {
        // A command runs for a moment: freed memory is kept for reuse rather than given back
        // and faulted in again (a first sync's page faults 7,000 → 3,400).
        cmalloc_keep_freed_memory()
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            // ArgumentParser validates before it reports unknown arguments; without the
            // missing-option checks a second parse finds such a mistake, which is reported first.
            GuidedMode.checksRequired = false
            var other: (any Error)?
            do { _ = try await asyncParseAsRoot() } catch { other = error }
            ChineseHelp.exit(Self.self, withError: other ?? error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ChineseHelp.exit(Self.self, withError: error, afterParsing: true)
        }
    }
}
