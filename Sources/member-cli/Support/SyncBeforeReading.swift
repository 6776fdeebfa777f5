import MemberCore

extension MemberClient {
    /// The lists staff read (pools, searches, letters, statistics) sync first so they are
    /// current, and fall back to this device's data when the server cannot be reached: answers
    /// the line that says so, or nil.
    func syncBeforeReading(offline: Bool = false) async throws -> String? {
        guard !offline else { return nil }
        do { _ = try await sync() } catch ClientError.unreachable { return "（无法连接服务器，以下为本机数据）" }
        return nil
    }
}
