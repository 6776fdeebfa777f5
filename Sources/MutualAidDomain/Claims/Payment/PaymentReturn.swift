import Foundation

/// Reading the bank's result file back (申领付款): every row is checked against the case it
/// names, and the file is applied only when every row is right — one bad row and nothing
/// changes, with every problem listed by spreadsheet row. Rows already applied (the same
/// file imported twice) are reported, not applied again.
public enum PaymentReturn {
    /// What the importing client knows of a case named in the file.
    public struct Standing: Sendable {
        public var state: CaseState
        public var amount: Money?
        public var bankAccount: String?
        public var paymentReference: String?

        public init(state: CaseState, amount: Money?, bankAccount: String?, paymentReference: String?) {
            self.state = state
            self.amount = amount
            self.bankAccount = bankAccount
            self.paymentReference = paymentReference
        }
    }

    /// One row of the file, the spreadsheet's row number (the header is row 1) and its case.
    public struct Row: Hashable, Sendable, Codable {
        public var row: Int
        public var caseNumber: String
        /// The bank reference of a paid row, the bank's reason of a failed one, or why an
        /// unchanged row needs nothing.
        public var detail: String
    }

    public struct Plan: Sendable {
        public var paid: [Row] = []
        public var failed: [Row] = []
        /// Rows whose outcome is already on the case: nothing to do.
        public var unchanged: [Row] = []
    }

    /// Every problem of a refused file, each naming its row.
    public struct Problems: Error, Sendable {
        public var lines: [String]
        public var message: String { "付款结果文件有误，未导入任何一行：\n" + lines.joined(separator: "\n") }
    }

    public static func plan(_ table: [[String]], cases: (String) -> Standing?) throws(Problems) -> Plan {
        guard let headerIndex = table.prefix(5).firstIndex(where: { $0.map(clean).contains(PaymentFile.caseNumber) })
        else { throw Problems(lines: [missing(PaymentFile.caseNumber)]) }
        let head = table[headerIndex].map(clean)
        var columns: [String: Int] = [:]
        var lines: [String] = []
        for name in [
            PaymentFile.caseNumber, PaymentFile.account, PaymentFile.result, PaymentFile.reference,
            PaymentFile.reason,
        ] {
            if let i = head.firstIndex(of: name) { columns[name] = i } else { lines.append(missing(name)) }
        }
        if let i = head.firstIndex(where: { $0 == PaymentFile.amount || $0 == "金额" }) {
            columns[PaymentFile.amount] = i
        } else {
            lines.append(missing(PaymentFile.amount))
        }
        guard lines.isEmpty else { throw Problems(lines: lines) }

        var plan = Plan()
        var seen: [String: Int] = [:]
        for (offset, cells) in table.enumerated().dropFirst(headerIndex + 1) {
            if cells.allSatisfy({ clean($0).isEmpty }) { continue }
            let rowNumber = offset + 1
            func cell(_ name: String) -> String {
                let i = columns[name]!
                return i < cells.count ? clean(cells[i]) : ""
            }
            let number = cell(PaymentFile.caseNumber)
            let outcome = check(
                number: number, amount: cell(PaymentFile.amount), account: cell(PaymentFile.account),
                result: cell(PaymentFile.result), reference: cell(PaymentFile.reference),
                reason: cell(PaymentFile.reason), firstSeen: seen[number], standing: cases(number))
            if !number.isEmpty && seen[number] == nil { seen[number] = rowNumber }
            switch outcome {
            case .problem(let text): lines.append("第\(rowNumber)行：\(text)")
            case .paid(let reference): plan.paid.append(Row(row: rowNumber, caseNumber: number, detail: reference))
            case .failed(let reason): plan.failed.append(Row(row: rowNumber, caseNumber: number, detail: reason))
            case .unchanged(let why): plan.unchanged.append(Row(row: rowNumber, caseNumber: number, detail: why))
            }
        }
        if seen.isEmpty && lines.isEmpty { lines.append("文件中没有付款记录（表头下面没有数据行）") }
        guard lines.isEmpty else { throw Problems(lines: lines) }
        return plan
    }

    enum Outcome: Equatable {
        case paid(reference: String)
        case failed(reason: String)
        case unchanged(String)
        case problem(String)
    }

    static func check(
        number: String, amount amountText: String, account: String, result: String, reference: String,
        reason: String, firstSeen: Int?, standing: Standing?
    ) -> Outcome {
        guard !number.isEmpty else { return .problem("缺少案件号") }
        if let firstSeen { return .problem("案件号 \(number) 与第\(firstSeen)行重复，每件案件只能有一行") }
        guard let standing else {
            return .problem("找不到案件号 \(number)（不在您的管辖范围内，或本机尚未同步：请先运行 member-cli sync）")
        }
        guard let amount = PaymentFile.amount(amountText) else {
            return .problem("金额“\(amountText.prefix(20))”不是有效的金额（应为元，最多两位小数）")
        }
        guard amount == standing.amount else {
            return .problem("金额 \(amount) 元与案件金额 \(standing.amount?.description ?? "（未计算）") 元不一致")
        }
        switch result {
        case PaymentFile.paidText, "支付成功":
            guard !reference.isEmpty else { return .problem("支付成功须填写银行流水号") }
            guard reference.count <= PaymentFile.referenceLimit else {
                return .problem("银行流水号不能超过\(PaymentFile.referenceLimit)个字符")
            }
            switch standing.state {
            case .pendingPayment:
                return .paid(reference: reference)
            case .closed where standing.paymentReference == reference:
                return .unchanged("已支付结案")
            case .closed:
                return .problem(
                    "案件 \(number) 已按银行流水号 \(standing.paymentReference ?? "") 支付结案，与本行的流水号 \(reference) 不一致")
            case .paymentFailed:
                return .problem("案件 \(number) 已登记支付失败，须先办理卡号修改，再用新导出的付款文件支付")
            default:
                return .problem("案件 \(number) 当前状态为「\(standing.state.chineseName)」，不是待支付的案件")
            }
        case PaymentFile.failedText, "支付失败":
            guard !reason.isEmpty else { return .problem("支付失败须填写失败原因") }
            guard TextLimit.fits(reason, characters: CaseWorkflow.failureReasonLimit) else {
                return .problem("失败原因不能超过\(CaseWorkflow.failureReasonLimit)个字")
            }
            // A failure on the card the case no longer has: the card was changed since.
            if let current = standing.bankAccount,
                PaymentFile.normalizedAccount(current) != PaymentFile.normalizedAccount(account)
            {
                return .unchanged("领款卡号已修改，本行是修改前的付款结果")
            }
            switch standing.state {
            case .pendingPayment: return .failed(reason: reason)
            case .paymentFailed: return .unchanged("已登记支付失败")
            case .closed: return .problem("案件 \(number) 已支付结案，不能再登记支付失败")
            default: return .problem("案件 \(number) 当前状态为「\(standing.state.chineseName)」，不是待支付的案件")
            }
        case "":
            return .problem("未填写支付结果（应为“\(PaymentFile.paidText)”或“\(PaymentFile.failedText)”）")
        default:
            return .problem(
                "支付结果“\(result.prefix(20))”无法识别（应为“\(PaymentFile.paidText)”或“\(PaymentFile.failedText)”）")
        }
    }

    static func missing(_ column: String) -> String {
        "文件缺少“\(column)”列。请在 member-cli payment export 导出的付款文件上填写银行结果后导入"
    }

    static func clean(_ cell: String) -> String { cell.trimmingCharacters(in: .whitespacesAndNewlines) }
}
