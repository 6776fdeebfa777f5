/// The bank's answer to a payment (申领付款): a failed transfer waits for a card change
/// (卡号修改), which sends the case back to finance with the new account.
extension CaseWorkflow {
    /// The longest bank failure reason kept on a case (the `paymentFailure` field).
    public static let failureReasonLimit = 200

    /// The state a card change leaves the case in: a failed payment goes back to pending
    /// payment with the new account; any other state is unchanged.
    public static func stateAfterCardChange(_ state: CaseState) -> CaseState {
        state == .paymentFailed ? .pendingPayment : state
    }

    static func checkFailureReason(_ reason: String) throws(RuleViolation) {
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw RuleViolation(field: "note", message: "登记支付失败须填写银行退回的失败原因")
        }
        guard TextLimit.fits(reason, characters: failureReasonLimit) else {
            throw RuleViolation(field: "note", message: "支付失败原因不能超过\(failureReasonLimit)个字")
        }
    }
}
