import Foundation
import MutualAidDomain
import TestSupport
import Testing

/// 申领付款 end to end: finance exports the bank file, the bank's clerk fills in the results
/// with openpyxl, finance imports it; a failed transfer goes to card change and is paid in
/// the next batch. Real binaries over TLS, on both stores.
@Suite(.serialized) struct PaymentBatchTests {
    typealias Office = CaseWorkflowTests.Office
    static let zhangwei = CaseWorkflowTests.idNumber("61100219850312001")
    static let lina = CaseWorkflowTests.idNumber("61100219900718002")
    static func day(_ offset: Int) -> String { CaseWorkflowTests.day(offset) }

    /// A hospitalisation accepted by the county agent, reviewed, archived and pushed to
    /// finance; returns its case number.
    static func pendingPayment(
        _ o: Office, idNumber: String, name: String, account: String, stay: (Int, Int), inScope: String,
        archive: String
    ) throws -> String {
        let accepted = try o.ok(
            "sz-agent",
            [
                "case", "accept", "--id-number", idNumber, "--type", "hospitalization", "--standard", "std-staff-med",
                "--admitted", day(stay.0), "--discharged", day(stay.1), "--hospital", "商洛市中心医院", "--diagnosis", "肺炎",
            ])
        let number = try #require((accepted["cases"] as! [[String: Any]])[0]["caseNumber"] as? String)
        try o.ok(
            "sz-agent",
            [
                "case", "payee", number, "--relation", "self", "--name", name, "--mobile", "13800000002",
                "--bank-account", account, "--bank-name", "中国工商银行",
            ])
        try o.ok(
            "sz-agent",
            [
                "case", "settlement", number, "--hospital", "商洛市中心医院", "--admitted", day(stay.0),
                "--discharged", day(stay.1), "--in-scope", inScope, "--pooled", "500.00", "--deductible", "100.00",
            ])
        try o.ok("sz-agent", ["case", "calc", number])
        try o.ok("sz-agent", ["case", "submit", number])
        for (login, step) in [
            ("sz-agent", ["case", "review", number, "--decision", "pass", "--note", "材料齐全"]),
            ("sl-agent", ["case", "review", number, "--decision", "pass", "--note", "同意"]),
            ("sz-agent", ["case", "archive", number, "--number", archive]),
        ] {
            try o.ok(login, ["case", "acquire", number])
            try o.ok(login, step)
        }
        try o.ok("sl-agent", ["case", "push", number])
        return number
    }

    /// The bank's clerk: checks the account column came as text, then writes each case's
    /// result (`成功:REF` or `失败:REASON`) into the three empty columns, as Excel would.
    static func bankFillsIn(_ file: String, _ results: [String: String], out: String, amounts: [String: String] = [:])
        throws
    {
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
            header = [c.value for c in ws[1]]
            assert header == ["案件号", "领款人", "银行账号", "开户银行", "金额（元）", "支付结果", "银行流水号", "失败原因"], header
            results = json.loads(sys.argv[3]); amounts = json.loads(sys.argv[4])
            for row in ws.iter_rows(min_row=2):
                number, account = row[0].value, row[2]
                assert account.data_type == "s" and len(account.value) == 19, (account.value, account.data_type)
                outcome, detail = results[number].split(":", 1)
                row[5].value = outcome
                if outcome == "成功": row[6].value = detail
                else: row[7].value = detail
                if number in amounts: row[4].value = float(amounts[number])
            wb.save(sys.argv[2])
            """
        try EnrolmentJourneyTests.python(
            script, [file, out, try json(results), try json(amounts)])
    }

    static func json(_ value: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    static func numbers(_ rows: Any?) -> [String] {
        ((rows as? [[String: Any]]) ?? []).compactMap { $0["caseNumber"] as? String }.sorted()
    }

    @Test func aBatchIsPaidThroughTheBankFileAndAFailedRowGoesToCardChange() throws {
        let o = try Office()
        defer { o.server.stop() }
        let dir = Scratch.directory("payment-batch")
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // (712.86 / 1000 / 2000 in scope − 500 pooled − 100 deductible) × 70% = 79.00, 280.00, 980.00.
        let failing = try Self.pendingPayment(
            o, idNumber: Self.zhangwei, name: "张伟", account: "6222020200112233445", stay: (-40, -31),
            inScope: "712.86", archive: "GD-PAY-1")
        let second = try Self.pendingPayment(
            o, idNumber: Self.lina, name: "李娜", account: "6222020200112230002", stay: (-30, -21),
            inScope: "1000.00", archive: "GD-PAY-2")
        let third = try Self.pendingPayment(
            o, idNumber: Self.lina, name: "李娜", account: "6222020200112230002", stay: (-20, -11),
            inScope: "2000.00", archive: "GD-PAY-3")
        let all = [failing, second, third].sorted()

        // Export: the three cases of the scope, with their total; an agency filter narrows it.
        let export = try o.ok("finance2602", ["payment", "export", "--out", path("付款.xlsx")])
        #expect(export["count"] as? Int == 3 && export["total"] as? String == "1339.00")
        #expect((export["caseNumbers"] as? [String])?.sorted() == all)
        let other = try o.ok("finance2602", ["payment", "export", "--out", path("洛南.xlsx"), "--agency", "sl-ln"])
        #expect(other["count"] as? Int == 0)
        #expect(try o.cli("sl-agent", ["payment", "export", "--out", path("x.xlsx")]).stderr.contains("财务"))

        // A returned file with one wrong amount changes nothing and names the row.
        let results = [failing: "失败:账户已销户", second: "成功:YH-20261202-0001", third: "成功:YH-20261202-0002"]
        try Self.bankFillsIn(path("付款.xlsx"), results, out: path("金额有误.xlsx"), amounts: [second: "280.01"])
        let bad = try o.cli("finance2602", ["payment", "import", path("金额有误.xlsx")])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("未导入任何一行") && bad.stderr.contains("金额 280.01 元与案件金额 280.00 元不一致"))
        for number in all { #expect(try o.state("finance2602", number) == "pending-payment") }

        // The bank's real answer: two paid, one failed.
        try Self.bankFillsIn(path("付款.xlsx"), results, out: path("银行回盘.xlsx"))
        let imported = try o.ok("finance2602", ["payment", "import", path("银行回盘.xlsx")])
        #expect(imported["outcome"] as? String == "done")
        #expect(Self.numbers(imported["paid"]) == [second, third].sorted())
        #expect(Self.numbers(imported["failed"]) == [failing])

        // The members see their cases: closed with the reference, or failed with the reason.
        _ = try o.cli("lina", ["sync"])
        let paid = try o.ok("lina", ["claim", "show", second])
        #expect(paid["stateText"] as? String == "已结案" && paid["paymentReference"] as? String == "YH-20261202-0001")
        _ = try o.cli("zhangwei", ["sync"])
        let failed = try o.ok("zhangwei", ["claim", "show", failing])
        #expect(failed["state"] as? String == "payment-failed" && failed["paymentFailure"] as? String == "账户已销户")
        let trail = (failed["trail"] as! [[String: Any]]).last
        #expect(trail?["step"] as? String == "支付失败" && trail?["note"] as? String == "账户已销户")
        let human = try o.cli("zhangwei", ["claim", "show", failing])
        #expect(human.stdout.contains("支付失败：账户已销户"))
        let inbox = try MessageCentreTests.list(o.devices["zhangwei"]!).messages
        let told = try #require(inbox.first { $0["kind"] as? String == "payment_failed" })
        #expect(told["caseNumber"] as? String == failing)
        for part in ["账户已销户", "卡号修改", "79.00 元"] {
            #expect((told["text"] as? String)?.contains(part) == true, "\(part)")
        }

        // The same file again is harmless; the failed case is not exported until its card changes.
        let again = try o.ok("finance2602", ["payment", "import", path("银行回盘.xlsx")])
        #expect(Self.numbers(again["paid"]).isEmpty && Self.numbers(again["failed"]).isEmpty)
        #expect(Self.numbers(again["unchanged"]) == all)
        #expect(try o.ok("finance2602", ["payment", "export", "--out", path("空.xlsx")])["count"] as? Int == 0)
        let failedList = try o.ok("finance2602", ["payment", "list", "--state", "failed"])["payments"]
        #expect(Self.numbers(failedList) == [failing])
        #expect(((failedList as? [[String: Any]])?.first?["failure"] as? String) == "账户已销户")
        let paidList = try o.ok("finance2602", ["payment", "list", "--state", "paid", "--from", Self.day(0)])[
            "payments"]
        #expect(Self.numbers(paidList) == [second, third].sorted())
        #expect(Self.numbers(try o.ok("finance2602", ["payment", "list", "--agency", "sl-ln"])["payments"]).isEmpty)
        let listed = try o.ok("finance2602", ["payment", "list", "--agency", "sl-sz", "--xlsx", path("到账查询.xlsx")])
        #expect(Self.numbers(listed["payments"]) == all)
        let check = """
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            assert [c.value for c in ws[1]][:5] == ["案件号", "支付状态", "金额（元）", "领款人", "银行账号"]
            rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
            assert len(rows) == 3, rows.keys()
            assert rows[sys.argv[2]][1].value == "支付失败" and rows[sys.argv[2]][8].value == "账户已销户"
            for r in rows.values(): assert r[4].data_type == "s" and len(r[4].value) == 19, r[4].value
            """
        try EnrolmentJourneyTests.python(check, [path("到账查询.xlsx"), failing])
        let pool = try o.ok("sz-agent", ["pool", "--step", "card-change"])["cases"] as! [[String: Any]]
        #expect(pool.map { $0["caseNumber"] as? String } == [failing])

        // Card change: back to finance with the new account, paid in the next batch.
        try o.ok(
            "sz-agent",
            [
                "case", "card", failing, "--bank-account", "6228480000000000017", "--bank-name", "中国农业银行", "--note",
                "会员更换银行卡",
            ])
        #expect(try o.state("finance2602", failing) == "pending-payment")
        let next = try o.ok("finance2602", ["payment", "export", "--out", path("补付.xlsx")])
        #expect(next["caseNumbers"] as? [String] == [failing] && next["total"] as? String == "79.00")
        try Self.bankFillsIn(path("补付.xlsx"), [failing: "成功:YH-20261203-0001"], out: path("补付回盘.xlsx"))
        let repaid = try o.ok("finance2602", ["payment", "import", path("补付回盘.xlsx")])
        #expect(Self.numbers(repaid["paid"]) == [failing])
        _ = try o.cli("zhangwei", ["sync"])
        let closed = try o.ok("zhangwei", ["claim", "show", failing])
        #expect(closed["state"] as? String == "closed" && closed["paymentReference"] as? String == "YH-20261203-0001")
        #expect(closed["paymentFailure"] == nil || closed["paymentFailure"] is NSNull)
        // The first file once more: its failed row is about the old card, so nothing changes.
        let stale = try o.ok("finance2602", ["payment", "import", path("银行回盘.xlsx")])
        #expect(Self.numbers(stale["unchanged"]) == all)
        for (login, device) in o.devices {
            #expect(try device.cli(["sync"]).status == 0)
            #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true, "\(login)")
        }
    }
}
