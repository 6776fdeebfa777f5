import Foundation

/// 12 characters without look-alikes (0/O, 1/l/I), for a password read off an SMS.
public enum OneTimePassword {
    public static func make() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
