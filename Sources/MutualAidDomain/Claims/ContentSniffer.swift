import Foundation

/// Identifies a material file by its first bytes, never by its name or by what a client says:
/// the client checks a file before attaching it, the server names the type it serves.
public enum ContentSniffer {
    public static func contentType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}
