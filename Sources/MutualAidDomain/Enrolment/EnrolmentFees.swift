/// Fees of one activity of an application (开票录入, DOMAIN §4): total = fee × shares ×
/// insured; payable = total − subsidy − gifted cover; the payable amount is split by fee
/// source and invoiced until nothing remains.
public struct ActivityFees: Codable, Hashable, Sendable {
    public var activityId: String
    public var activityName: String
    public var feePerShare: Money
    public var shares: Int
    public var insured: Int
    public var subsidy: Money
    public var gift: Money
    public var split: FeeSplit?
    public var invoices: [Invoice]

    public init(
        activityId: String, activityName: String, feePerShare: Money, shares: Int, insured: Int,
        subsidy: Money = .zero, gift: Money = .zero, split: FeeSplit? = nil, invoices: [Invoice] = []
    ) {
        self.activityId = activityId
        self.activityName = activityName
        self.feePerShare = feePerShare
        self.shares = shares
        self.insured = insured
        self.subsidy = subsidy
        self.gift = gift
        self.split = split
        self.invoices = invoices
    }

    public var total: Money { feePerShare.times(shares * insured) }
    public var payable: Money { total - subsidy - gift }
    public var invoiced: Money { invoices.reduce(.zero) { $0 + $1.amount } }
    /// 剩余开票金额: nothing can be invoiced before the split is set.
    public var remaining: Money { split == nil ? payable : payable - invoiced }

    public func invoiced(from source: FeeSource) -> Money {
        invoices.filter { $0.feeSource == source }.reduce(.zero) { $0 + $1.amount }
    }
}

/// 费用来源.
public enum FeeSource: String, Codable, Sendable, CaseIterable {
    case unionFunds = "union"
    case adminFunds = "admin"
    case selfPaid = "self"

    public var chineseName: String {
        switch self {
        case .unionFunds: "工会经费"
        case .adminFunds: "行政经费"
        case .selfPaid: "会员自付"
        }
    }

    public init?(text: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == text || $0.chineseName == text }) else {
            return nil
        }
        self = match
    }
}

public struct FeeSplit: Codable, Hashable, Sendable {
    public var unionFunds: Money
    public var adminFunds: Money
    public var selfPaid: Money
    public init(unionFunds: Money, adminFunds: Money, selfPaid: Money) {
        self.unionFunds = unionFunds
        self.adminFunds = adminFunds
        self.selfPaid = selfPaid
    }
    public var sum: Money { unionFunds + adminFunds + selfPaid }
    public func amount(_ source: FeeSource) -> Money {
        switch source {
        case .unionFunds: unionFunds
        case .adminFunds: adminFunds
        case .selfPaid: selfPaid
        }
    }
}

public struct Invoice: Codable, Hashable, Sendable {
    public var batch: String
    public var feeSource: FeeSource
    public var title: String
    public var taxNumber: String
    public var amount: Money
    public init(batch: String, feeSource: FeeSource, title: String, taxNumber: String, amount: Money) {
        self.batch = batch
        self.feeSource = feeSource
        self.title = title
        self.taxNumber = taxNumber
        self.amount = amount
    }
}

/// The rules of invoice entry; each refusal says what would make it right.
public enum Invoicing {
    public static func setSplit(_ fees: inout ActivityFees, subsidy: Money, gift: Money, split: FeeSplit)
        throws(RuleViolation)
    {
        guard fees.invoices.isEmpty else {
            throw RuleViolation(field: "split", message: "该保障活动已开具发票，不能再修改费用来源")
        }
        for amount in [subsidy, gift, split.unionFunds, split.adminFunds, split.selfPaid] where amount < .zero {
            throw RuleViolation(field: "split", message: "金额不能为负数")
        }
        guard subsidy + gift <= fees.total else {
            throw RuleViolation(field: "subsidy", message: "补贴与赠险合计 \(subsidy + gift) 元超过总会费 \(fees.total) 元")
        }
        let payable = fees.total - subsidy - gift
        guard split.sum == payable else {
            throw RuleViolation(field: "split", message: "工会经费 + 行政经费 + 会员自付 = \(split.sum) 元，与应交会费 \(payable) 元不一致")
        }
        fees.subsidy = subsidy
        fees.gift = gift
        fees.split = split
    }

    public static func add(_ invoice: Invoice, to fees: inout ActivityFees) throws(RuleViolation) {
        guard let split = fees.split else {
            throw RuleViolation(field: "split", message: "请先录入该保障活动的费用来源（工会经费、行政经费、会员自付）")
        }
        guard invoice.amount > .zero else { throw RuleViolation(field: "amount", message: "发票金额须大于 0") }
        guard !invoice.batch.isEmpty, invoice.batch.count <= 40 else {
            throw RuleViolation(field: "batch", message: "请填写批次号（不超过40个字符）")
        }
        guard !invoice.title.isEmpty, invoice.title.count <= 100 else {
            throw RuleViolation(field: "title", message: "请填写发票抬头（不超过100个字）")
        }
        guard (15...20).contains(invoice.taxNumber.count),
            invoice.taxNumber.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw RuleViolation(field: "taxNumber", message: "纳税人识别号应为15到20位数字或字母")
        }
        guard invoice.amount <= fees.remaining else {
            throw RuleViolation(field: "amount", message: "发票金额 \(invoice.amount) 元超过剩余开票金额 \(fees.remaining) 元")
        }
        let left = split.amount(invoice.feeSource) - fees.invoiced(from: invoice.feeSource)
        guard invoice.amount <= left else {
            throw RuleViolation(
                field: "amount", message: "\(invoice.feeSource.chineseName)剩余可开票 \(left) 元，发票金额 \(invoice.amount) 元超出")
        }
        fees.invoices.append(invoice)
    }

    /// All activities invoiced to the last cent.
    public static func isComplete(_ fees: [ActivityFees]) -> Bool {
        !fees.isEmpty && fees.allSatisfy { $0.split != nil && $0.remaining == .zero }
    }
}
