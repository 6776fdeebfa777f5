import Testing

@testable import MutualAidDomain

/// 申领付款: the bank's result file read back (all or nothing, row-numbered problems, a second
/// import harmless) and the payment-failed step of the state machine.
@Suite struct PaymentBatchRulesTests {
    static let header = PaymentFile.header
    static let a = "CL26022026120100000001"
    static let b = "CL26022026120100000002"
    static let c = "CL26022026120100000003"

    static func standing(
        _ state: CaseState = .pendingPayment, amount: String = "79.00", account: String = "6222020200112233445",
        reference: String? = nil
    ) -> PaymentReturn.Standing {
        .init(state: state, amount: Money(amount), bankAccount: account, paymentReference: reference)
    }

    static func row(
        _ number: String, amount: String = "79.00", account: String = "6222020200112233445", result: String,
        reference: String = "", reason: String = ""
    ) -> [String] {
        [number, "张伟", account, "中国工商银行", amount, result, reference, reason]
    }

    static func problems(_ table: [[String]], _ cases: [String: PaymentReturn.Standing]) -> [String] {
        do {
            _ = try PaymentReturn.plan(table) { cases[$0] }
            return []
        } catch {
            return error.lines
        }
    }

    @Test func theExportedRowLeavesTheBankColumnsEmptyAndKeepsTheAccountWhole() {
        let p = PaymentFile.Payment(
            caseNumber: Self.a, payeeName: "张伟", bankAccount: "6222020200112233445", bankName: "中国工商银行",
            amount: Money(cents: 7900))
        #expect(p.row == [Self.a, "张伟", "6222020200112233445", "中国工商银行", "79.00", "", "", ""])
        #expect(PaymentFile.header.count == p.row.count)
        #expect(PaymentFile.textColumns.map { PaymentFile.header[$0] }.sorted() == ["案件号", "银行流水号", "银行账号"].sorted())
    }

    @Test func amountsAsASpreadsheetReturnsThem() {
        #expect(PaymentFile.amount("79.00") == Money(cents: 7900))
        #expect(PaymentFile.amount("79") == Money(cents: 7900))
        #expect(PaymentFile.amount("1,079.5") == Money(cents: 107_950))
        #expect(PaymentFile.amount("112.86000000000001") == Money(cents: 11286))
        #expect(PaymentFile.amount("112.855") == nil)
        #expect(PaymentFile.amount("-5") == nil)
        #expect(PaymentFile.amount("七十九") == nil)
        #expect(PaymentFile.amount("") == nil)
    }

    @Test func paidAndFailedRowsBecomeThePlan() throws {
        let table = [
            Self.header,
            Self.row(Self.a, result: "成功", reference: "YH20261201001"),
            [],
            Self.row(Self.b, amount: "3150", result: "失败", reason: "账户已销户"),
        ]
        let plan = try PaymentReturn.plan(table) {
            [Self.a: Self.standing(), Self.b: Self.standing(amount: "3150.00")][$0]
        }
        #expect(plan.paid == [.init(row: 2, caseNumber: Self.a, detail: "YH20261201001")])
        #expect(plan.failed == [.init(row: 4, caseNumber: Self.b, detail: "账户已销户")])
        #expect(plan.unchanged.isEmpty)
    }

    @Test func everyBadRowIsListedByItsRowAndNothingIsPlanned() {
        let table = [
            Self.header,
            Self.row(Self.a, amount: "80.00", result: "成功", reference: "R1"),
            Self.row("CL-UNKNOWN", result: "成功", reference: "R2"),
            Self.row(Self.b, result: "成功"),
            Self.row(Self.c, result: "失败"),
            Self.row(Self.c, result: "失败", reason: "户名不符"),
            Self.row("", result: "成功", reference: "R3"),
            Self.row("CL26022026120100000009", result: "", reference: "R4"),
            Self.row("CL26022026120100000010", result: "已退", reason: "x"),
        ]
        let cases = [
            Self.a: Self.standing(), Self.b: Self.standing(), Self.c: Self.standing(),
            "CL26022026120100000009": Self.standing(), "CL26022026120100000010": Self.standing(),
        ]
        let lines = Self.problems(table, cases)
        #expect(
            lines == [
                "第2行：金额 80.00 元与案件金额 79.00 元不一致",
                "第3行：找不到案件号 CL-UNKNOWN（不在您的管辖范围内，或本机尚未同步：请先运行 member-cli sync）",
                "第4行：支付成功须填写银行流水号",
                "第5行：支付失败须填写失败原因",
                "第6行：案件号 \(Self.c) 与第5行重复，每件案件只能有一行",
                "第7行：缺少案件号",
                "第8行：未填写支付结果（应为“成功”或“失败”）",
                "第9行：支付结果“已退”无法识别（应为“成功”或“失败”）",
            ])
    }

    @Test func aCaseNotWaitingForPaymentIsRefused() {
        let lines = Self.problems(
            [
                Self.header, Self.row(Self.a, result: "成功", reference: "R1"),
                Self.row(Self.b, result: "失败", reason: "户名不符"),
                Self.row(Self.c, result: "成功", reference: "R9"),
            ],
            [
                Self.a: Self.standing(.pendingPush), Self.b: Self.standing(.closed, reference: "R0"),
                Self.c: Self.standing(.paymentFailed),
            ])
        #expect(
            lines == [
                "第2行：案件 \(Self.a) 当前状态为「待推送」，不是待支付的案件",
                "第3行：案件 \(Self.b) 已支付结案，不能再登记支付失败",
                "第4行：案件 \(Self.c) 已登记支付失败，须先办理卡号修改，再用新导出的付款文件支付",
            ])
    }

    @Test func importingTheSameFileAgainChangesNothing() throws {
        let table = [
            Self.header,
            Self.row(Self.a, result: "成功", reference: "R1"),
            Self.row(Self.b, result: "失败", reason: "账户已销户"),
        ]
        let after = [Self.a: Self.standing(.closed, reference: "R1"), Self.b: Self.standing(.paymentFailed)]
        let plan = try PaymentReturn.plan(table) { after[$0] }
        #expect(plan.paid.isEmpty && plan.failed.isEmpty)
        #expect(plan.unchanged.map(\.detail) == ["已支付结案", "已登记支付失败"])
        // After the card change the old failure is about a card the case no longer has.
        let changed = [
            Self.a: Self.standing(.closed, reference: "R1"), Self.b: Self.standing(account: "6228480000000000001"),
        ]
        let again = try PaymentReturn.plan(table) { changed[$0] }
        #expect(again.failed.isEmpty && again.unchanged.count == 2)
        // A different reference for a case already paid is a conflict, not a repeat.
        #expect(
            Self.problems([Self.header, Self.row(Self.a, result: "成功", reference: "R2")], after)
                == ["第2行：案件 \(Self.a) 已按银行流水号 R1 支付结案，与本行的流水号 R2 不一致"])
    }

    @Test func aFileWithoutTheResultColumnsOrRowsIsRefused() {
        #expect(
            Self.problems([["案件号", "领款人", "银行账号", "金额（元）"]], [:]) == [
                "文件缺少“支付结果”列。请在 member-cli payment export 导出的付款文件上填写银行结果后导入",
                "文件缺少“银行流水号”列。请在 member-cli payment export 导出的付款文件上填写银行结果后导入",
                "文件缺少“失败原因”列。请在 member-cli payment export 导出的付款文件上填写银行结果后导入",
            ])
        #expect(Self.problems([["姓名"]], [:]).count == 1)
        #expect(Self.problems([Self.header, []], [:]) == ["文件中没有付款记录（表头下面没有数据行）"])
    }

    @Test func aFailedPaymentWaitsForACardChangeAndTellsTheMember() throws {
        let pending = CaseSnapshot(state: .pendingPayment, amount: Money(cents: 7900), source: .memberApp)
        let t = try CaseWorkflow.apply(.paymentFailed(reason: "账户已销户"), to: pending, by: WorkflowActors.finance)
        #expect(t.to == .paymentFailed && t.step == "支付失败" && t.note == "账户已销户")
        #expect(CaseWorkflow.stateAfterCardChange(.paymentFailed) == .pendingPayment)
        #expect(CaseWorkflow.stateAfterCardChange(.firstReview) == .firstReview)
        // Not paid, not failed again, not cancelled while it waits for the card.
        for action in [CaseAction.pay(reference: "R"), .paymentFailed(reason: "x"), .cancel(note: "x")] {
            #expect(throws: RuleViolation.self) {
                try CaseWorkflow.apply(action, to: t.snapshot, by: WorkflowActors.office)
            }
        }
        #expect(throws: RuleViolation.self) {
            try CaseWorkflow.apply(.paymentFailed(reason: " "), to: pending, by: WorkflowActors.finance)
        }
        #expect(throws: RuleViolation.self) {
            try CaseWorkflow.apply(.paymentFailed(reason: "x"), to: pending, by: WorkflowActors.city)
        }
        let message = try #require(
            Messages.forCaseStep(t, caseNumber: Self.a, amount: "79.00", itemNames: [:]))
        #expect(message.kind == .paymentFailed && message.caseNumber == Self.a)
        for part in ["79.00 元", "支付失败", "银行退回原因：账户已销户。", "卡号修改"] {
            #expect(message.text.contains(part), "\(part)")
        }
        // The request crosses the wire with the reason as its note.
        let fields = CaseRequest.workflow(.paymentFailed(reason: "账户已销户")).fields(claimId: "c1")
        #expect(fields["action"]?.stringValue == "payment-failed" && fields["note"]?.stringValue == "账户已销户")
        #expect(try CaseRequest(fields: fields) == .workflow(.paymentFailed(reason: "账户已销户")))
        #expect(PoolStep.cardChange.state == .paymentFailed)
    }
}
