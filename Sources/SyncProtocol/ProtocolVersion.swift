/// The sync protocol version. A client sends it in the `X-Sync-Protocol` header of every
/// request; the server answers 426 with a Chinese "please upgrade" message when it is too old.
public enum ProtocolVersion {
    public static let current = 1
    public static let oldestSupported = 1
    public static let header = "X-Sync-Protocol"
    /// On a pull answer that has more: the `after` of the next page, the same as the body's
    /// `cursor`, readable before the body is, so a client can ask for the next page at once.
    public static let nextAfterHeader = "X-Sync-Next-After"

    /// Bounds that keep one request cheap for the server (see docs/sync-protocol.md).
    /// A client starts at 500 and grows its batches while they go quickly (`SyncEngine`): a slow
    /// link keeps batches quick to send again when cut, a fast one pays fewer commits and round
    /// trips. This release's server takes this many per push and says so on every push answer
    /// (`maxChangesHeader`); its client sends at most this many.
    public static let maxChangesPerPush = 8_000
    /// What a client assumes of a server that does not say (the first release's limit): batches
    /// go past it only to a server that answered with a larger `maxChangesHeader`.
    public static let assumedMaxChangesPerPush = 2_000
    public static let maxChangesHeader = "X-Sync-Max-Changes"
    public static let maxPullPage = 5_000
    public static let maxBodyBytes = 4 * 1024 * 1024
    public static let maxInflatedBytes = 32 * 1024 * 1024
}
