/// What a claim material file may be, one definition for the client that attaches it, the
/// server that registers and receives it, and the uploader that sizes its chunks.
public enum MaterialLimits {
    /// 10 MB: a photo or a scanned record, compressed if larger.
    public static let maxBytes = 10 * 1024 * 1024
    /// The types `ContentSniffer` recognises.
    public static let contentTypes: Set<String> = ["image/png", "image/jpeg", "application/pdf"]
}
