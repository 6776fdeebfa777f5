import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, not Foundation's `Process`: `Process.run` on
/// Linux crashed (a bad read inside it) now and then when many suites of the one test process
/// started binaries, even serialised. Standard streams go to files (nothing blocks on a pipe),
/// every descriptor above 2 is closed in the child, signals start at their defaults, and the
/// exit status is read only once `waitpid` has reaped the child.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var rawStatus: Int32?

    /// Starts `executable`; `stdout` and `stderr` may name the same file (one log).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        // Sockets and database files of the test process stay out of the child.
        guard Self.addCloseFrom(&actions, 3) == 0 else {
            throw SupportError("posix_spawn: cannot close inherited files")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SupportError("cannot start \(executable): \(String(cString: strerror(code)))") }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not show: looked up once by name.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 =
        {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else {
                fatalError("glibc 2.34 or newer is needed (posix_spawn_file_actions_addclosefrom_np)")
            }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    /// The raw wait status once the child has ended (reaping it), else nil.
    private func poll(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let rawStatus { return rawStatus }
        var raw: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &raw, blocking ? 0 : WNOHANG) } while result == -1 && errno == EINTR
        guard result == pid else { return nil }
        rawStatus = raw
        return raw
    }

    public var isRunning: Bool { poll(blocking: false) == nil }

    /// The exit code, or the number of the signal that ended it (as Foundation's
    /// `terminationStatus` has it; `signalled` tells which); nil while it runs.
    public var status: Int32? {
        guard let raw = poll(blocking: false) else { return nil }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }

    /// True when a signal ended it (kill -9).
    public var signalled: Bool {
        guard let raw = poll(blocking: false) else { return false }
        let signal = raw & 0x7f
        return signal != 0 && signal != 0x7f
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits until it ends; one that overstays the deadline is killed and reaped, and the wait
    /// throws naming `what`.
    public func wait(
        _ deadline: Deadline, what: @autoclosure () -> String, every interval: Double = 0.005,
        sample: () -> Void = {}
    ) throws {
        do {
            try deadline.wait(for: what(), every: interval) {
                sample()
                return !isRunning
            }
        } catch {
            kill(pid, SIGKILL)
            _ = poll(blocking: true)
            throw error
        }
    }

    /// Kills it (when still running) and reaps it.
    public func kill9() {
        signal(SIGKILL)
        _ = poll(blocking: true)
    }

    deinit {
        // No zombie and no orphan outlives its test.
        if poll(blocking: false) == nil {
            kill(pid, SIGKILL)
            _ = poll(blocking: true)
        }
    }
}
