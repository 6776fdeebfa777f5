import Testing

@testable import MutualAidDomain

/// The staff requests travel as `case_action` and `work_action` records that clients in the
/// field already have queued: every request survives encode → decode, and the field maps the
/// previous client wrote decode to the request they meant.
@Suite struct StaffRequestCodecTests {
    static let everyCaseRequest: [CaseRequest] = [
        .acquire, .release, .calculate, .restrict(note: nil), .restrict(note: "多次虚假申领"),
        .cardChange(bankAccount: "6222020200112233445", bankName: "工商银行", note: nil),
        .cardChange(bankAccount: "6222020200112233445", bankName: "工商银行", note: "原卡已注销"),
        .supplementaryPayment(note: nil), .supplementaryPayment(note: "补充发票"),
        .workflow(.submitCosts),
        .workflow(.review(decision: .pass, note: nil)), .workflow(.review(decision: .fail, note: "材料不实")),
        .workflow(.review(decision: .back, note: "退回")),
        .workflow(.routeToExpert(note: nil)), .workflow(.routeToInvestigation(note: "核实")),
        .workflow(.requestFinalReview(note: "金额大")),
        .workflow(.suspend(note: "等待鉴定")), .workflow(.resume),
        .workflow(.requestSupplement(items: ["invoice", "discharge"], note: "请补充")),
        .workflow(.archive(number: "GD-001", mode: .online, note: nil)),
        .workflow(.archive(number: "GD-002", mode: .offline, note: "纸质")),
        .workflow(.push), .workflow(.pay(reference: "ZF-20261201-1")), .workflow(.cancel(note: "申请人撤回")),
    ]

    @Test func everyCaseRequestSurvivesItsRecord() throws {
        for request in Self.everyCaseRequest {
            let fields = request.fields(claimId: "c-1")
            #expect(fields["claimId"] == .string("c-1"))
            #expect(try CaseRequest(fields: fields) == request, "\(request)")
        }
        // Every workflow step with a record is covered above; the two without one are refused.
        let covered = Set(Self.everyCaseRequest.map(\.wireName))
        for step in [CaseAction.acceptCase, .resubmit] {
            #expect(!covered.contains(step.wireName))
            #expect(throws: RuleViolation(field: "action", message: "不认识的案件操作：\(step.wireName)")) {
                try CaseRequest(fields: CaseRequest.workflow(step).fields(claimId: "c-1"))
            }
        }
    }

    /// Field maps exactly as the previous client (`CaseActionInput.fields`) wrote them.
    @Test func recordsOfThePreviousClientDecode() throws {
        func old(_ action: String, _ extra: FieldMap = [:]) -> FieldMap {
            (["claimId": .string("c-1"), "action": .string(action)] as FieldMap).merging(extra) { _, new in new }
        }
        let expected: [(FieldMap, CaseRequest, sameBytes: Bool)] = [
            (old("acquire"), .acquire, true),
            (old("calculate"), .calculate, true),
            (old("submit-costs"), .workflow(.submitCosts), true),
            (
                old("review", ["decision": .string("pass"), "note": .string("同意")]),
                .workflow(.review(decision: .pass, note: "同意")), true
            ),
            // `--route` used to send the (required) decision along; the route ignores it.
            (old("final-review", ["decision": .string("pass")]), .workflow(.requestFinalReview(note: nil)), false),
            (
                old("expert", ["decision": .string("pass"), "note": .string("疑难")]),
                .workflow(.routeToExpert(note: "疑难")), false
            ),
            (
                old("supplement", ["note": .string("补发票"), "items": .string("[\"invoice\"]")]),
                .workflow(.requestSupplement(items: ["invoice"], note: "补发票")), true
            ),
            (old("restrict"), .restrict(note: nil), true),
            (
                old("archive", ["archiveNumber": .string("A-1"), "archiveMode": .string("offline")]),
                .workflow(.archive(number: "A-1", mode: .offline, note: nil)), true
            ),
            (
                old("archive", ["archiveNumber": .string("A-1")]),
                .workflow(.archive(number: "A-1", mode: .online, note: nil)), false
            ),
            (old("pay", ["reference": .string("R-9")]), .workflow(.pay(reference: "R-9")), true),
            (old("cancel", ["note": .string("撤回")]), .workflow(.cancel(note: "撤回")), true),
            (
                old("card-change", ["note": .string("换卡"), "bankAccount": .string("6222"), "bankName": .string("建行")]),
                .cardChange(bankAccount: "6222", bankName: "建行", note: "换卡"), true
            ),
            (old("supplementary-payment"), .supplementaryPayment(note: nil), true),
        ]
        for (fields, request, sameBytes) in expected {
            #expect(try CaseRequest(fields: fields) == request)
            if sameBytes { #expect(request.fields(claimId: "c-1") == fields) }
        }
    }

    @Test func malformedCaseRecordsAreRefusedWithTheirField() {
        let refused: [(FieldMap, String)] = [
            (["action": .string("fly-to-the-moon")], "action"),
            ([:], "action"),
            (["action": .string("review")], "action"),
            (["action": .string("review"), "decision": .string("maybe")], "action"),
            (["action": .string("archive")], "archiveNumber"),
            (["action": .string("archive"), "archiveNumber": .string("")], "archiveNumber"),
            (
                ["action": .string("archive"), "archiveNumber": .string("A"), "archiveMode": .string("cloud")],
                "archiveMode"
            ),
            (["action": .string("pay")], "reference"),
            (["action": .string("pay"), "reference": .int(5)], "reference"),
            (["action": .string("supplement"), "items": .string("{not json")], "items"),
            (["action": .string("card-change"), "bankAccount": .string("6222")], "bankAccount"),
        ]
        for (fields, field) in refused {
            do throws(RuleViolation) {
                let request = try CaseRequest(fields: fields)
                Issue.record("\(fields) decoded as \(request)")
            } catch {
                #expect(error.field == field)
                #expect(!error.message.isEmpty && error.message.unicodeScalars.contains { $0.value >= 0x4E00 })
            }
        }
    }

    static let everyWorkRequest: [WorkRequest] = [
        WorkRequest(subjectId: "r-1", action: .reviewRegistration(pass: true, note: nil)),
        WorkRequest(subjectId: "r-1", action: .reviewRegistration(pass: false, note: "证照过期")),
        WorkRequest(subjectId: "u-1", action: .mergeUnit(from: "u-2")),
        WorkRequest(subjectId: "a-1", action: .enrolment(.firstReview(pass: true, note: nil))),
        WorkRequest(
            subjectId: "a-1",
            action: .enrolment(
                .firstReview(
                    pass: true, note: "同意",
                    effectiveDate: CalendarDate(year: 2027, month: 1, day: 1)))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.firstReview(pass: false, note: "名单有误"))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.secondReview(pass: true, toFinal: true, note: "转终审"))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.secondReview(pass: false, toFinal: false, note: "退回"))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.finalReview(pass: true, note: nil))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.confirmPayment(note: nil))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.confirmPayment(note: "已到账"))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.returnPayment(note: "未到账"))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.archive(pass: true, note: nil))),
        WorkRequest(subjectId: "a-1", action: .enrolment(.cancel(note: "不参保了"))),
        WorkRequest(
            subjectId: "a-1",
            action: .setFees(
                activityId: "act-accident", subsidy: Money("10")!, gift: .zero,
                split: FeeSplit(unionFunds: Money("90")!, adminFunds: .zero, selfPaid: Money("0.50")!))),
        WorkRequest(
            subjectId: "a-1",
            action: .addInvoice(
                activityId: "act-accident",
                Invoice(
                    batch: "B1", feeSource: .adminFunds, title: "某公司",
                    taxNumber: "9161", amount: Money("35.50")!))),
        WorkRequest(subjectId: "a-1", action: .printLetter),
        WorkRequest(subjectId: "a-1", action: .acquire(.enrolment)),
        WorkRequest(subjectId: "a-1", action: .release(.enrolment)),
        WorkRequest(subjectId: "r-1", action: .acquire(.registration)),
        WorkRequest(subjectId: "r-1", action: .release(.registration)),
    ]

    @Test func everyWorkRequestSurvivesItsRecord() throws {
        for request in Self.everyWorkRequest {
            #expect(try WorkRequest(fields: request.fields) == request, "\(request)")
        }
        for step in [EnrolmentAction.submit, .invoicingDone] {
            #expect(throws: RuleViolation.self) {
                try WorkRequest(fields: WorkRequest(subjectId: "a-1", action: .enrolment(step)).fields)
            }
        }
    }

    /// Field maps exactly as the previous client (`MemberClient.work`) wrote them.
    @Test func workRecordsOfThePreviousClientDecode() throws {
        func old(
            _ subject: String, _ id: String, _ action: String, decision: String? = nil, note: String? = nil,
            data: String = "{}"
        ) -> FieldMap {
            [
                "subject": .string(subject), "subjectId": .string(id), "action": .string(action),
                "decision": decision.map(FieldValue.string) ?? .null, "note": note.map(FieldValue.string) ?? .null,
                "data": .string(data),
            ]
        }
        let expected: [(FieldMap, WorkAction)] = [
            (old("registration", "r-1", "review", decision: "pass"), .reviewRegistration(pass: true, note: nil)),
            (old("unit", "u-1", "merge", data: #"{"from":"u-2"}"#), .mergeUnit(from: "u-2")),
            (
                old("enrolment", "a-1", "first-review", decision: "pass", data: #"{"effectiveDate":"2027-01-01"}"#),
                .enrolment(
                    .firstReview(pass: true, note: nil, effectiveDate: CalendarDate(year: 2027, month: 1, day: 1)))
            ),
            (
                old("enrolment", "a-1", "second-review", decision: "pass", note: "同意", data: #"{"toFinal":false}"#),
                .enrolment(.secondReview(pass: true, toFinal: false, note: "同意"))
            ),
            (
                old("enrolment", "a-1", "final-review", decision: "fail", note: "不符"),
                .enrolment(.finalReview(pass: false, note: "不符"))
            ),
            (
                old(
                    "enrolment", "a-1", "fees",
                    data:
                        #"{"activityId":"act-1","admin":"0.00","gift":"0.00","self":"20.00","subsidy":"0.00","union":"0.00"}"#
                ),
                .setFees(
                    activityId: "act-1", subsidy: .zero, gift: .zero,
                    split: FeeSplit(unionFunds: .zero, adminFunds: .zero, selfPaid: Money("20")!))
            ),
            (
                old(
                    "enrolment", "a-1", "invoice",
                    data:
                        #"{"activityId":"act-1","amount":"20.00","batch":"B","feeSource":"union","taxNumber":"T","title":"某工会"}"#
                ),
                .addInvoice(
                    activityId: "act-1",
                    Invoice(batch: "B", feeSource: .unionFunds, title: "某工会", taxNumber: "T", amount: Money("20")!))
            ),
            (old("enrolment", "a-1", "confirm-payment", note: "到账"), .enrolment(.confirmPayment(note: "到账"))),
            (old("enrolment", "a-1", "return-payment", note: "未到"), .enrolment(.returnPayment(note: "未到"))),
            (old("enrolment", "a-1", "archive", decision: "pass"), .enrolment(.archive(pass: true, note: nil))),
            (old("enrolment", "a-1", "cancel", note: "撤回"), .enrolment(.cancel(note: "撤回"))),
            (old("enrolment", "L-2026-1", "print"), .printLetter),
        ]
        for (fields, action) in expected {
            let request = try WorkRequest(fields: fields)
            #expect(request.action == action)
            #expect(request.subjectId == fields["subjectId"]?.stringValue)
            #expect(request.fields == fields, "the same request writes the same record")
        }
    }

    @Test func malformedWorkRecordsAreRefusedWithTheirField() {
        func record(_ subject: String, _ action: String, decision: String? = nil, data: FieldValue = .string("{}"))
            -> FieldMap
        {
            [
                "subject": .string(subject), "subjectId": .string("x"), "action": .string(action),
                "decision": decision.map(FieldValue.string) ?? .null, "data": data,
            ]
        }
        let refused: [(FieldMap, String)] = [
            (record("payroll", "review"), "subject"),
            (record("registration", "review"), "decision"),
            (record("registration", "approve", decision: "pass"), "decision"),
            (record("unit", "split"), "action"),
            (record("unit", "merge"), "unitId"),
            (record("enrolment", "first-review", decision: "ok"), "decision"),
            (
                record("enrolment", "first-review", decision: "pass", data: .string(#"{"effectiveDate":"明年"}"#)),
                "effectiveDate"
            ),
            (record("enrolment", "fees", data: .string(#"{"activityId":"a","gift":"1.234"}"#)), "gift"),
            (record("enrolment", "fees"), "activityId"),
            (record("enrolment", "invoice", data: .string(#"{"activityId":"a","feeSource":"bank"}"#)), "feeSource"),
            (record("enrolment", "invoice", data: .string("[1,2]")), "data"),
            (record("enrolment", "teleport"), "action"),
        ]
        for (fields, field) in refused {
            do throws(RuleViolation) {
                let request = try WorkRequest(fields: fields)
                Issue.record("\(fields) decoded as \(request)")
            } catch {
                #expect(error.field == field, "\(fields)")
            }
        }
    }
}
