import Foundation
import Logging
import ServiceLifecycle

/// Tells the store every few seconds that this process (its `UploadLease.run`) is alive, when
/// several processes share the store: a lease of a run silent for `silence` is free, so an
/// upload a killed instance held continues on another after that long, while a live
/// instance's lease is never taken.
struct InstanceHeartbeat: Service {
    static let interval: Duration = .seconds(5)
    static let silence: TimeInterval = 15

    let store: any CaseStore
    let logger: Logger

    /// At start, on the address the process listens on: the run that listened there before is
    /// dead (two live processes cannot share an address), so its uploads continue at once here
    /// rather than after `silence`. The address's last run is kept under the data folder.
    static func start(store: any CaseStore, dataDirectory: URL, host: String, port: Int, logger: Logger) async {
        let folder = dataDirectory.appendingPathComponent("runs")
        let file = folder.appendingPathComponent("\(host)_\(port)")
        let previous = (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await store.heartbeat(run: UploadLease.run, now: Date(), retiring: previous)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(UploadLease.run.utf8).write(to: file, options: .atomic)
        } catch {
            logger.error("heartbeat failed", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await store.heartbeat(run: UploadLease.run, now: Date(), retiring: nil)
            } catch {
                logger.error("heartbeat failed", metadata: ["error": "\(error)"])
            }
            // Ends at once when the server drains.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
        }
    }
}
