import Foundation
import Logging

/// Housekeeping of the upload folder and the content store: expired uploads and their parts,
/// leftovers of a killed server, content nothing refers to any more (after the grace period),
/// and the certificate photos that still sit in the database from before migration 0006.
enum ContentMaintenance {
    /// On every new upload: expired uploads go, with their parts; unreferenced content past
    /// its grace period goes.
    static func sweep(
        store: any CaseStore, content: ContentStore, grace: TimeInterval,
        schedule: SweepSchedule? = nil
    ) async throws {
        for id in try await store.sweepExpiredUploads(now: Date()) {
            try DurableFile.remove(content.partURL(id))
        }
        // Looking at every stored file is not for every upload: at most every ten minutes
        // (every time when the grace period is shorter, as in tests).
        guard schedule?.due(every: min(grace, 600)) ?? true else { return }
        _ = try await store.sweepContent(grace: grace, now: Date()) { sha in try content.remove(sha) }
    }

    /// At start: also parts without an upload and chunks of an earlier run, then the photos.
    static func atStart(store: any CaseStore, content: ContentStore, grace: TimeInterval, logger: Logger) async {
        do {
            try await moveCertificatePhotos(store: store, content: content)
            // Listed before the uploads are read: a part made after the listing is not touched.
            let files = try FileManager.default.contentsOfDirectory(atPath: content.uploadsFolder.path)
            let open = try await store.openUploadIds()
            for file in files {
                let id = file.split(separator: ".").first.map(String.init) ?? ""
                let leftover = file.hasSuffix(".chunk") ? !file.contains(".\(UploadLease.run).") : !open.contains(id)
                if leftover { try DurableFile.remove(content.uploadsFolder.appendingPathComponent(file)) }
            }
            var stored: [String] = []
            for folder in try FileManager.default.contentsOfDirectory(atPath: content.contentFolder.path) {
                let dir = content.contentFolder.appendingPathComponent(folder)
                for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                    if file.hasSuffix(".tmp") {
                        // A store a killed server left half done.
                        if !file.hasPrefix(".\(UploadLease.run).") {
                            try DurableFile.remove(dir.appendingPathComponent(file))
                        }
                    } else {
                        stored.append(file)
                        // Content stored by a server from before 0006 was left writable.
                        let path = dir.appendingPathComponent(file).path
                        if (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
                            .intValue != 0o400
                        {
                            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
                        }
                    }
                }
            }
            // A completed upload killed before its commit stores its content again on HEAD.
            _ = try await store.removeUnrecordedContent(stored) { sha in try content.remove(sha) }
            try await sweep(store: store, content: content, grace: grace)
        } catch {
            logger.error("content maintenance failed", metadata: ["error": "\(error)"])
        }
    }

    /// Photos from the database into the content store, each dropped from the database only
    /// once its file is stored and synced. Until then the old row is what is served.
    static func moveCertificatePhotos(store: any CaseStore, content: ContentStore) async throws {
        for sha in try await store.legacyCertificatePhotoHashes() {
            try await store.moveCertificatePhoto(sha256: sha, now: Date()) { data in
                try content.store(data: data, sha256: sha)
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
