import MutualAidDomain

/// Where a case stands with finance (到账查询): waiting to be paid, paid, or returned by the bank.
public enum PaymentState: String, Sendable, Codable, CaseIterable {
    case pending, paid, failed

    public var chineseName: String {
        switch self {
        case .pending: "待支付"
        case .paid: "已支付"
        case .failed: "支付失败"
        }
    }

    /// The payment state of a case in `state`, or nil for a case finance has not received.
    static func of(_ state: CaseState, reference: String?) -> PaymentState? {
        switch state {
        case .pendingPayment: .pending
        case .paymentFailed: .failed
        // A closed case without a reference was closed some other way in older data.
        case .closed: reference == nil ? nil : .paid
        default: nil
        }
    }
}

/// One payment as 到账查询 lists it. The account is whole: the replica holds only what the
/// account may see, and the terminal masks it for display.
public struct PaymentRow: Sendable, Codable, Equatable {
    public var id: String
    public var caseNumber: String
    public var state: String
    public var stateText: String
    public var claimType: String
    public var amount: String
    @NullWhenAbsent public var payeeName: String?
    @NullWhenAbsent public var bankAccount: String?
    @NullWhenAbsent public var bankName: String?
    /// When it was paid, when the bank's failure was recorded, or since when it waits.
    @NullWhenAbsent public var at: String?
    @NullWhenAbsent public var reference: String?
    @NullWhenAbsent public var failure: String?
    @NullWhenAbsent public var agency: String?
    @NullWhenAbsent public var unit: String?
}

/// Filters of the payment file and of 到账查询; nil matches everything. Dates are Beijing
/// calendar days of the row's `at`.
public struct PaymentQuery: Sendable {
    public var agency: String?
    public var unit: String?
    public var claimType: ClaimType?
    public var state: PaymentState?
    public var from: CalendarDate?
    public var to: CalendarDate?

    public init(
        agency: String? = nil, unit: String? = nil, claimType: ClaimType? = nil, state: PaymentState? = nil,
        from: CalendarDate? = nil, to: CalendarDate? = nil
    ) {
        self.agency = agency
        self.unit = unit
        self.claimType = claimType
        self.state = state
        self.from = from
        self.to = to
    }

    func matches(_ row: PaymentRow) -> Bool {
        if let state, row.state != state.rawValue { return false }
        if let agency, row.agency != agency { return false }
        if let unit, row.unit?.contains(unit) != true { return false }
        if let claimType, row.claimType != claimType.rawValue { return false }
        let day = row.at.flatMap(BeijingTime.day)
        if let from, day.map({ $0 < from }) ?? true { return false }
        if let to, day.map({ $0 > to }) ?? true { return false }
        return true
    }
}

/// What `payment export` wrote.
public struct PaymentExport: Sendable, Codable, Equatable {
    public var file: String
    public var count: Int
    public var total: String
    public var caseNumbers: [String]
    /// Cases ready for payment left out because their payee data is incomplete.
    public var incomplete: [String]
}

/// What `payment import` did: rows applied as paid or failed, rows already applied before.
public struct PaymentImport: Sendable, Codable, Equatable {
    public var outcome: ActionOutcome
    public var paid: [PaymentReturn.Row]
    public var failed: [PaymentReturn.Row]
    public var unchanged: [PaymentReturn.Row]
}
