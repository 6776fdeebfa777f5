import MemberCore

enum ClaimOutput {
    static func print(_ c: ClaimView, json: Bool, brief: Bool) {
        if json { return Printer.json(c) }
        Printer.line("申领编号：\(c.id)")
        Printer.line("案件号：\(c.caseNumber ?? "（提交并同步后由服务器分配）")  状态：\(c.stateText)")
        Printer.line("申领类型：\(c.claimTypeText)  申领人：\(c.payee.name ?? "")")
        if let admitted = c.admitted {
            Printer.line(
                "住院：\(admitted) 至 \(c.discharged ?? "?")\(c.days.map { "，共 \($0) 天" } ?? "")  医院：\(c.hospital ?? "")  诊断：\(c.diagnosis ?? "")"
            )
        }
        if let incident = c.incidentDate { Printer.line("出险日期：\(incident)") }
        let account =
            c.payee.bankAccount.map { String(repeating: "*", count: max(0, $0.count - 4)) + $0.suffix(4) } ?? "未填写"
        Printer.line("领款人：\(c.payee.name ?? "未填写")（\(c.payee.relation ?? "")） 账号：\(account) \(c.payee.bankName ?? "")")
        if let amount = c.amount { Printer.line("互助金：\(amount) 元") }
        if let reference = c.paymentReference { Printer.line("支付流水号：\(reference)") }
        if let failure = c.paymentFailure {
            Printer.line("支付失败：\(failure)（待卡号修改，修改后重新支付）")
        }
        if !c.supplementItems.isEmpty { Printer.line("需补充材料：\(c.supplementItems.joined(separator: "、"))") }
        if brief { return }
        Printer.line("材料：")
        for m in c.materials { Printer.line("  \(m.item)  \(m.bytes) 字节  \(m.uploaded ? "已上传" : "待上传")") }
        if !c.trail.isEmpty {
            Printer.line("流程轨迹：")
            for t in c.trail {
                Printer.line("  \(BeijingTime.text(t.at))  \(t.step)  \(t.stateText)  \(t.note ?? "")  \(t.operator)")
            }
        }
    }
}
