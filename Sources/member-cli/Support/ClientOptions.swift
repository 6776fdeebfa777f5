import ArgumentParser
import Foundation
import MemberCore

/// Options every subcommand takes after its name.
struct ClientOptions: ParsableArguments {
    @Option(help: "数据目录（默认 MEMBER_CLI_HOME 或 $XDG_DATA_HOME/member-cli）。")
    var home: String?

    @Flag(help: "在标准输出打印一个 JSON 对象，而不是中文说明。")
    var json = false

    var homeURL: URL {
        let env = ProcessInfo.processInfo.environment
        if let home { return URL(fileURLWithPath: home, isDirectory: true) }
        if let home = env["MEMBER_CLI_HOME"], !home.isEmpty { return URL(fileURLWithPath: home, isDirectory: true) }
        let xdg =
            env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("member-cli")
    }

    /// The exactly-once tests and the fault suite set MEMBER_CLI_CRASH_AT (`after-push-response`,
    /// `pull-page-written`) to have the process killed at that point; unset, no point is armed.
    var faults: ClientFaults {
        let armed = ProcessInfo.processInfo.environment["MEMBER_CLI_CRASH_AT"].flatMap(
            ClientFaults.Point.init(rawValue:))
        return ClientFaults(armed: armed)
    }

    /// Opens the client, runs `body`, and turns a failure into a clear message on stderr (and a
    /// JSON error object with --json) and a non-zero exit.
    func run(_ body: (MemberClient) async throws -> Void) async throws {
        do {
            try await body(try MemberClient(home: homeURL, faults: faults))
        } catch let error as ClientError {
            throw fail(code: error.code, message: error.description, exit: error.isUnreachable ? 3 : 1)
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            let clientError = ClientError(error)
            throw fail(code: clientError.code, message: clientError.description, exit: 1)
        }
    }

    /// Prints the failure and gives the exit code to throw: ArgumentParser ends the process
    /// with it and prints nothing more.
    private func fail(code: String, message: String, exit: Int32) -> ExitCode {
        if json { Printer.json(["error": ["code": code, "message": message]]) }
        Printer.error(message)
        return ExitCode(exit)
    }
}

extension ClientError {
    var isUnreachable: Bool { if case .unreachable = self { true } else { false } }
}
