import Foundation

/// The bank payment file of 申领付款: finance exports the cases ready for payment, the bank
/// fills in the three result columns and finance imports the file back (`PaymentReturn`).
/// Case numbers, accounts and bank references are text columns so no spreadsheet turns a
/// 19-digit account into 6.22E+18.
public enum PaymentFile {
    public static let sheetName = "申领付款"
    public static let caseNumber = "案件号"
    public static let payee = "领款人"
    public static let account = "银行账号"
    public static let bank = "开户银行"
    public static let amount = "金额（元）"
    /// Filled in by the bank: 成功 or 失败.
    public static let result = "支付结果"
    public static let reference = "银行流水号"
    public static let reason = "失败原因"

    public static let header = [caseNumber, payee, account, bank, amount, result, reference, reason]
    public static let textColumns: Set<Int> = [0, 2, 6]
    public static let columnWidths: [Double] = [26, 12, 24, 22, 12, 10, 26, 30]

    public static let paidText = "成功"
    public static let failedText = "失败"
    /// The longest bank reference kept on a case (the `paymentReference` field).
    public static let referenceLimit = 64

    /// One transfer the bank is asked to make.
    public struct Payment: Hashable, Sendable {
        public var caseNumber: String
        public var payeeName: String
        public var bankAccount: String
        public var bankName: String
        public var amount: Money

        public init(caseNumber: String, payeeName: String, bankAccount: String, bankName: String, amount: Money) {
            self.caseNumber = caseNumber
            self.payeeName = payeeName
            self.bankAccount = bankAccount
            self.bankName = bankName
            self.amount = amount
        }

        /// The row as exported: the result columns are left for the bank.
        public var row: [String] {
            [caseNumber, payeeName, bankAccount, bankName, amount.description, "", "", ""]
        }
    }

    /// An amount cell as a bank's spreadsheet may return it: "79.00", "79", "1,079.5", or a
    /// float written back as 112.86000000000001. Anything not within a millionth of whole
    /// cents is refused rather than rounded.
    public static func amount(_ cell: String) -> Money? {
        let text = cell.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "元", with: "")
            .trimmingCharacters(in: .whitespaces)
        guard !text.hasPrefix("-") else { return nil }
        if let money = Money(text) { return money }
        guard text.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
            var value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        var cents = Decimal()
        NSDecimalRound(&cents, &value, 2, .plain)
        guard abs(value - cents) < Decimal(string: "0.000001")! else { return nil }
        return Money(cents.description)
    }

    /// An account as compared between the file and the case: digits and letters only.
    public static func normalizedAccount(_ account: String) -> String {
        String(account.filter { !$0.isWhitespace && $0 != "-" })
    }
}
