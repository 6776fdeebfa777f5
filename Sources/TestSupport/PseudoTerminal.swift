import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A binary run on a pseudo-terminal, as a person at a terminal runs it: stdin, stdout and
/// stderr are the pty's slave side (so `isatty` holds), the test types answers on the master
/// side and reads what the program printed. Every read has a deadline; nothing here can hang.
public final class PseudoTerminal: @unchecked Sendable {
    public let pid: pid_t
    private let master: Int32
    private var received = Data()
    /// Bytes of `received` already matched by `expect`.
    private var mark = 0
    private var rawStatus: Int32?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        // posix_openpt is open("/dev/ptmx"); unlockpt and ptsname_r are hidden from the Glibc
        // module behind feature macros, so they are looked up by name.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, Self.unlockpt(master) == 0 else {
            throw SupportError("no pseudo-terminal (errno \(errno))")
        }
        var name = [CChar](repeating: 0, count: 128)
        guard Self.ptsname(master, &name, name.count) == 0 else {
            close(master)
            throw SupportError("ptsname failed")
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            close(master)
            throw SupportError("cannot open \(path)")
        }
        defer { close(slave) }  // the child holds its own copies; EOF reaches us once it exits
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
        // Nothing else of the test process (sockets, other terminals) reaches the program.
        guard Self.addCloseFrom(&actions, 3) == 0 else {
            close(master)
            throw SupportError("posix_spawn: cannot close inherited files")
        }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard code == 0 else {
            close(master)
            throw SupportError("cannot start \(executable): error \(code)")
        }
        self.pid = pid
    }

    /// Everything printed so far (line ends as the terminal sends them, \r\n, made \n).
    public var output: String { Self.text(received) }

    /// Waits until `text` appears in what was printed since the last match and returns that
    /// stretch; throws at the deadline, or when the program ends without printing it.
    @discardableResult
    public func expect(_ text: String, timeout: Double = 30) throws -> String {
        let deadline = Deadline(seconds: timeout)
        while true {
            let pending = String(decoding: received[mark...], as: UTF8.self)
            if let range = pending.range(of: text) {
                let matched = String(pending[..<range.upperBound])
                mark += matched.utf8.count
                return Self.text(Data(matched.utf8))
            }
            let open = pump(milliseconds: 50)
            if !open || deadline.hasPassed {
                throw SupportError(
                    "\(open ? "timed out" : "program ended") waiting for \"\(text)\"; it printed:\n\(Self.text(received[mark...]))"
                )
            }
        }
    }

    /// Types one line (Enter included).
    public func send(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        guard write(master, bytes, bytes.count) == bytes.count else {
            throw SupportError("cannot write to the terminal")
        }
    }

    /// Ctrl-D at the start of a line: end of input for the program.
    public func sendEndOfInput() throws {
        guard write(master, [UInt8(4)], 1) == 1 else { throw SupportError("cannot write to the terminal") }
    }

    /// Reads the rest of the output until the program exits; its exit code (or the signal).
    public func wait(timeout: Double = 30) throws -> Int32 {
        let deadline = Deadline(seconds: timeout)
        while reap() == nil {
            _ = pump(milliseconds: 20)
            if deadline.hasPassed {
                kill(pid, SIGKILL)
                throw SupportError("timed out waiting for the program to exit; it printed:\n\(output)")
            }
        }
        while pump(milliseconds: 0) {}
        let raw = rawStatus ?? 0
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    /// Reads what is there (waiting up to `milliseconds`); false once the slave side is closed.
    private func pump(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        if count > 0 {
            received.append(contentsOf: buffer[..<count])
            return true
        }
        return count < 0 && (errno == EAGAIN || errno == EINTR)  // EIO: the program has gone
    }

    private func reap() -> Int32? {
        if let rawStatus { return rawStatus }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        rawStatus = raw
        return raw
    }

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("no \(name) in libc") }
        return unsafeBitCast(symbol, to: type)
    }

    private static let unlockpt = symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    private static let ptsname = symbol(
        "ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, which the Glibc module does not show.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 =
        {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { fatalError("glibc 2.34 or newer is needed (posix_spawn_file_actions_addclosefrom_np)") }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    private static func text(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    deinit {
        if reap() == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
        close(master)
    }
}
