/// Limits on free text, counted in UTF-8 bytes as well as characters: one character may carry any
/// number of combining marks, so a character count alone bounds nothing a server stores.
public enum TextLimit {
    /// At most `characters` characters and three UTF-8 bytes per allowed character (room for
    /// that many Chinese characters).
    public static func fits(_ text: some StringProtocol, characters: Int) -> Bool {
        text.utf8.count <= characters * 3 && text.count <= characters
    }
}
