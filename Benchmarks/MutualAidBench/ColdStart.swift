import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

extension Suite {
    /// P7: `member-cli status` started cold on a logged-in device folder, beside `/bin/true`
    /// started the same way (what starting any process costs here). Medians of repeated runs.
    mutating func coldStart(_ server: ServerProcess, password: String) async throws {
        let home = work.appendingPathComponent("status-device").path
        let cli = bin.appendingPathComponent("member-cli").path
        _ = try run(cli, ["connect", server.url, "--ca-file", server.certificate, "--home", home])
        _ = try run(cli, ["login", "wangfang", "--password-stdin", "--home", home], stdin: password + "\n")
        _ = try run(cli, ["sync", "--home", home])
        let runs = 31
        let status = try (0..<runs).map { _ in try spawnSeconds(cli, ["status", "--home", home]) }.sorted()
        let bare = try (0..<runs).map { _ in try spawnSeconds("/bin/true", []) }.sorted()
        let ms = status[runs / 2] * 1000
        let trueMs = bare[runs / 2] * 1000
        figures["P7"] = Figure(
            value: ms, goal: 30, unit: "ms", atMost: true, baseline: trueMs, baselineUnit: "ms /bin/true",
            absolute: String(format: "%.1f × /bin/true", ms / trueMs),
            note: "median wall time of \(runs) starts of `member-cli status` on a synced device folder")
    }
}

/// Wall time from posix_spawn to waitpid, output to /dev/null: no polling in between.
func spawnSeconds(_ executable: String, _ arguments: [String]) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    let start = DispatchTime.now().uptimeNanoseconds
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw SupportError("posix_spawn \(executable): \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard status == 0 else { throw SupportError("\(executable) \(arguments) exited with \(status)") }
    return seconds
}
