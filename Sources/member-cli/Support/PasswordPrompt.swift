import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a password without echo from the terminal, or one line from stdin with
/// --password-stdin. Never from the command line, where it would land in shell history.
enum PasswordPrompt {
    static func read(fromStdin: Bool, prompt: String = "密码：") throws -> String {
        if fromStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("标准输入中没有密码")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("请在终端中输入密码，或使用 --password-stdin 从标准输入读取")
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("没有输入密码")
        }
        return line
    }

    /// A new password: one line with --password-stdin, else typed twice without echo.
    static func readNew(fromStdin: Bool) throws -> String {
        let new = try read(fromStdin: fromStdin, prompt: "新密码（至少8位，含字母和数字）：")
        if !fromStdin, try read(fromStdin: false, prompt: "再输入一次新密码：") != new {
            throw ValidationError("两次输入的新密码不一致")
        }
        return new
    }
}
