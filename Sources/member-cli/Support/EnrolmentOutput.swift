import MemberCore

enum EnrolmentOutput {
    static func print(_ a: EnrolmentApplicationView) {
        Printer.line("参保申请 \(a.id)  \(a.stateName)")
        if let original = a.originalId { Printer.line("变更申请（增减员），原参保申请 \(original)") }
        Printer.line(
            "单位：\(a.unitName ?? a.unitId)\(a.agencyName.map { "（\($0)）" } ?? "")  申请日期：\(a.applicationDate ?? "")\(a.newEmployment ? "  新就业形态" : "")"
        )
        Printer.line("在职职工 \(a.employees) 人，其中女职工 \(a.women) 人，高危职业 \(a.highRisk) 人")
        for s in a.summary {
            Printer.line(
                "  \(s.activityName)（\(s.subtype)）\(s.feePerShare) 元/份 × \(s.shares) 份  参保 \(s.insured) 人  参保率 \(s.rateText)  会费 \(s.feeTotal) 元"
            )
        }
        Printer.line("会费合计：\(a.feeTotal) 元")
        if !a.checks.isEmpty { Printer.line("自核结果：") }
        for c in a.checks { Printer.line("  \(c.passed ? "通过" : "不通过")  \(c.activityName)：\(c.reason)") }
        for f in a.fees {
            Printer.line(
                "开票 \(f.activityName)：总会费 \(f.total)，补贴 \(f.subsidy)，赠险 \(f.gift)，应交 \(f.payable)，已开票 \(f.invoiced)，剩余 \(f.remaining)"
            )
        }
        if let number = a.letterNumber {
            Printer.line(
                "确认书：\(number)  保障期间 \(a.periodStart ?? "")日0时至\(a.periodEnd ?? "")日24时  已打印 \(a.printCount) 次")
        }
        for i in a.imports { Printer.line("导入：\(i.fileName)  共 \(i.total) 行，成功 \(i.succeeded)，失败 \(i.failedCount)") }
        for t in a.trail {
            Printer.line("  \(BeijingTime.text(t.at))  \(t.step)  \(t.operatorName)\(t.note.map { "：\($0)" } ?? "")")
        }
        if a.pendingChanges > 0 { Printer.line("（本机有 \(a.pendingChanges) 条更改待同步）") }
    }
}
