/// A change's id, "clientId:seq": the device that made it and the entry's number in that
/// device's outbox (which never reuses a number).
public enum ChangeId {
    public static func make(clientId: String, seq: Int64) -> String { "\(clientId):\(seq)" }

    /// The parts of an id whose number is written as the client writes it: up to the first
    /// ':' the device, after it 1 to 18 digits without a leading zero (so one number has one
    /// text, and fits an Int64). The server's push watermark counts on exactly this shape, and
    /// its migration parses the existing ledger the same way; any other id is nil.
    public static func parts(_ id: String) -> (clientId: Substring, seq: Int64)? {
        let bytes = id.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let digits = bytes[bytes.index(after: colon)...]
        guard (1...18).contains(digits.count), let first = digits.first, first != UInt8(ascii: "0") else { return nil }
        var seq: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            seq = seq * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return (Substring(bytes[..<colon]), seq)
    }
}
