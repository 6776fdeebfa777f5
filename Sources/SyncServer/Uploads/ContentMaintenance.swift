import Foundation
import Logging

/// Housekeeping of upload parts and stored content: expired uploads and their parts, leftovers
/// of a killed server, content nothing refers to any more (after the grace period), and the
/// certificate photos that still sit in the database from before migration 0006.
enum ContentMaintenance {
    /// On every new upload: expired uploads go, with their parts; unreferenced content past
    /// its grace period goes.
    static func sweep(
        store: any CaseStore, content: any BlobStore, grace: TimeInterval,
        schedule: SweepSchedule? = nil
    ) async throws {
        for id in try await store.sweepExpiredUploads(now: Date()) {
            try await content.removePart(id)
        }
        // Looking at every stored file is not for every upload: at most every ten minutes
        // (every time when the grace period is shorter, as in tests).
        guard schedule?.due(every: min(grace, 600)) ?? true else { return }
        _ = try await store.sweepContent(grace: grace, now: Date()) { sha, db in try content.remove(sha, in: db) }
    }

    /// At start: also parts without an upload and leftovers of an earlier run, then the photos.
    static func atStart(store: any CaseStore, content: any BlobStore, grace: TimeInterval, logger: Logger) async {
        do {
            try await moveCertificatePhotos(store: store, content: content)
            let stored = try await content.startMaintenance { try await store.openUploadIds() }
            // A completed upload killed before its commit keeps its content; HEAD finishes it.
            _ = try await store.removeUnrecordedContent(stored) { sha, db in try content.remove(sha, in: db) }
            try await sweep(store: store, content: content, grace: grace)
        } catch {
            logger.error("content maintenance failed", metadata: ["error": "\(error)"])
        }
    }

    /// Photos from the database into the content store, each dropped from the database in the
    /// transaction that stores it. Until then the old row is what is served.
    static func moveCertificatePhotos(store: any CaseStore, content: any BlobStore) async throws {
        for sha in try await store.legacyCertificatePhotoHashes() {
            try await store.moveCertificatePhoto(sha256: sha, now: Date()) { data, db in
                try content.store(data, sha256: sha, in: db)
            }
        }
    }
}

/// When the content sweep last ran in this process.
final class SweepSchedule: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Date?

    func due(every interval: TimeInterval, now: Date = Date()) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let last, now.timeIntervalSince(last) < interval { return false }
        last = now
        return true
    }
}
