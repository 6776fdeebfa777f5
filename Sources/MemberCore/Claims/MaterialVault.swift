import Foundation

/// Material files in the client store: `home/materials/<id>.bin`, AES-GCM sealed, so the
/// original may be deleted and nobody reading the folder sees the photo.
struct MaterialVault: Sendable {
    let directory: URL
    let cipher: FieldCipher

    func url(_ materialId: String) -> URL { directory.appendingPathComponent("\(materialId).bin") }

    /// Written and synced before the database records the material.
    func store(_ data: Data, materialId: String) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let sealed = try cipher.seal(data)
        let tmp = url(materialId).appendingPathExtension("tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: sealed, attributes: [.posixPermissions: 0o600])
        else {
            throw ClientError.io("无法保存材料文件")
        }
        let handle = try FileHandle(forWritingTo: tmp)
        try handle.synchronize()
        try handle.close()
        guard rename(tmp.path, url(materialId).path) == 0 else { throw ClientError.io("无法保存材料文件") }
    }

    func read(_ materialId: String) throws -> Data {
        guard let sealed = FileManager.default.contents(atPath: url(materialId).path) else {
            throw ClientError.io("本机找不到材料文件")
        }
        return try cipher.open(sealed)
    }
}
