import Foundation
import HTTPTypes

/// A tus upload in progress.
public struct UploadInfo: Sendable, Equatable {
    public var id: String
    public var accountId: String
    public var materialId: String
    public var length: Int64
    public var offset: Int64
    public var sha256: String
    public var expiresAt: Date
    /// Every byte is in the part, its whole hash passed and the content is stored: only the
    /// commit that verifies the material is left (done again by HEAD after a crash).
    public var completed: Bool
}

public enum UploadLookup: Sendable {
    case found(UploadInfo)
    case expired
    case missing
}

/// The answer to taking an upload for a PATCH, a finishing HEAD or a DELETE.
public enum UploadTake: Sendable {
    case taken(UploadInfo)
    /// Another request holds it.
    case busy
    case expired
    case missing
}

/// One request's hold on an upload: other requests get 423 until it is released or expires.
public struct UploadLease: Sendable {
    /// Leases of a run that is no longer alive are free: a killed server never leaves an upload
    /// locked. With one process per store (no heartbeats), every earlier run is dead; with
    /// several, a run is alive while its `InstanceHeartbeat` keeps saying so.
    static let run = UUID().uuidString.lowercased()
    static let lifetime: TimeInterval = 60

    public let token: String

    public init() { token = "\(Self.run):\(UUID().uuidString.lowercased())" }
}

/// Files of the content store nothing refers to any longer are removed after this long
/// (a deleted draft's material; a photo of a registration that was refused).
public enum ContentRetention {
    public static let defaultGrace: TimeInterval = 24 * 3600
}

extension ServerError {
    /// Another request holds the upload (tus clients: ask with HEAD, then go on).
    static var uploadBusy: ServerError {
        var error = ServerError(
            HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "upload_busy",
            "该上传正由另一个请求处理，请稍后用 HEAD 查询进度再继续")
        error.headers[.retryAfter] = "1"
        return error
    }

    static let uploadExpired = ServerError(.gone, "upload_expired", "上传已过期，请重新上传该材料")
    static let uploadMissing = ServerError(.notFound, "not_found", "上传不存在或无权访问")
    static let alreadyUploaded = ServerError(.conflict, "already_uploaded", "该材料已上传并校验")
    /// The whole file's bytes are not the registered file: the client sends the material again.
    static let fileChecksumMismatch = ServerError(
        TusHeaderValues.checksumMismatch, "file_checksum_mismatch", "整个文件的校验值与登记的不符，请重新上传该材料")
}
