import Foundation
import NIOCore

/// The client address that login back-off is keyed by: the TCP peer (the server terminates TLS
/// itself; behind a proxy this would be the proxy, see the README). IPv6 clients are keyed by
/// their /64, since one subscriber usually holds a whole /64.
enum ClientAddress {
    static func key(_ address: SocketAddress?) -> String {
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
}
