import Foundation

/// A tus upload in progress.
public struct UploadInfo: Sendable, Equatable {
    public var id: String
    public var accountId: String
    public var materialId: String
    public var length: Int64
    public var offset: Int64
    public var sha256: String
    public var expiresAt: Date
}

public enum UploadLookup: Sendable {
    case found(UploadInfo)
    case expired
    case missing
}

/// Where upload parts and material files live: `DIR/uploads/<id>.part` and, stored once per
/// content, `DIR/materials/<ab>/<sha256>`.
public struct MaterialFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    func partURL(_ uploadId: String) -> URL {
        root.appendingPathComponent("uploads/\(uploadId).part")
    }

    func blobURL(_ sha256: String) -> URL {
        root.appendingPathComponent("materials/\(sha256.prefix(2))/\(sha256)")
    }

    func prepare() throws {
        for dir in ["uploads", "materials"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// Moves a verified part into the content store; identical content is kept once.
    func store(part uploadId: String, sha256: String) throws {
        let target = blobURL(sha256)
        let fm = FileManager.default
        // Already stored (identical content, or a repeat after a crash between the two steps).
        if fm.fileExists(atPath: target.path) || !fm.fileExists(atPath: partURL(uploadId).path) {
            try? fm.removeItem(at: partURL(uploadId))
            return
        }
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(partURL(uploadId).path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
