/// Chinese resident identity number (GB 11643-1999): 18 characters, the last a mod-11 check
/// character, with the birth date inside it.
public enum ResidentID {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkChars: [Character] = Array("10X98765432")

    public static func checkCharacter(for first17: some StringProtocol) -> Character? {
        let digits = first17.compactMap(\.wholeNumberValue)
        guard first17.count == 17, digits.count == 17, first17.allSatisfy(\.isASCIIDigit) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkChars[sum % 11]
    }

    /// Checks length, characters, the birth date and the check character.
    public static func validate(_ raw: String, field: String = "idNumber") throws(RuleViolation) {
        let id = raw.uppercased()
        guard id.count == 18 else {
            throw RuleViolation(field: field, message: "身份证号码应为18位")
        }
        guard id.prefix(17).allSatisfy(\.isASCIIDigit), let last = id.last,
            last.isASCIIDigit || last == "X"
        else {
            throw RuleViolation(field: field, message: "身份证号码只能包含数字，最后一位可以是X")
        }
        let birth = String(id.dropFirst(6).prefix(8))
        guard let y = Int(birth.prefix(4)), let m = Int(birth.dropFirst(4).prefix(2)),
            let d = Int(birth.suffix(2)), CalendarDate(year: y, month: m, day: d) != nil, y >= 1900
        else {
            throw RuleViolation(field: field, message: "身份证号码中的出生日期无效")
        }
        guard checkCharacter(for: id.prefix(17)) == last else {
            throw RuleViolation(field: field, message: "身份证号码校验位不正确，请核对后重新输入")
        }
    }

    /// First 6 and last 4 shown, as on the members' screens.
    public static func masked(_ id: String) -> String {
        guard id.count > 10 else { return String(repeating: "*", count: id.count) }
        return id.prefix(6) + String(repeating: "*", count: id.count - 10) + id.suffix(4)
    }
}
