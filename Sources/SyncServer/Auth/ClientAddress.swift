import Foundation
import NIOCore

/// The client address that login back-off is keyed by: the TCP peer, or behind a trusted proxy
/// the address it forwards (`ForwardedClientMiddleware`). IPv6 clients are keyed by their /64,
/// since one subscriber usually holds a whole /64.
public enum ClientAddress {
    public static func key(_ address: SocketAddress?) -> String {
        switch address {
        case .v4(let v4)?:
            return withUnsafeBytes(of: v4.address.sin_addr) { $0.map(String.init).joined(separator: ".") }
        case .v6(let v6)?:
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return bytes[12...].map(String.init).joined(separator: ".")  // IPv4-mapped
            }
            return stride(from: 0, to: 8, by: 2).map { String(format: "%02x%02x", bytes[$0], bytes[$0 + 1]) }
                .joined(separator: ":") + "::/64"
        case .unixDomainSocket?, nil:
            return "local"
        }
    }

    /// The key of an address written as text ("203.0.113.7", "2001:db8::1"), nil if it is none.
    public static func key(text: some StringProtocol) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let address = try? SocketAddress(ipAddress: trimmed, port: 0) else { return nil }
        return key(address)
    }
}
