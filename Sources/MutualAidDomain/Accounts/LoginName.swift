import Foundation

/// A login as the server looks it up: an ID number (a member's login) with an upper-case X,
/// anything else as typed but trimmed.
public enum LoginName {
    public static func normalized(_ typed: String) -> String {
        let login = typed.trimmingCharacters(in: .whitespaces)
        guard login.count == 18, login.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }) else { return login }
        return login.uppercased()
    }
}
