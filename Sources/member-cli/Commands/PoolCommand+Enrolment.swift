import ArgumentParser
import Foundation
import MemberCore
import MutualAidDomain

/// A pool's step as typed after `--step`: a claim step, an enrolment step or registration review.
enum PoolChoice: ExpressibleByArgument {
    case claim(PoolStep)
    case enrolment(EnrolmentPoolStep)

    init?(argument: String) {
        if let step = PoolStep(rawValue: argument) {
            self = .claim(step)
        } else if let step = EnrolmentPoolStep(rawValue: argument) {
            self = .enrolment(step)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] {
        PoolStep.allCases.map(\.rawValue) + EnrolmentPoolStep.allCases.map(\.rawValue)
    }
}

/// The enrolment and registration pools: list, print, and export as the manual's columns.
enum EnrolmentPoolOutput {
    static func show(
        _ client: MemberClient, _ step: EnrolmentPoolStep, filter: PoolFilter, note: String?, json: Bool,
        xlsx: String?
    ) throws {
        if step == .registration {
            let rows = try client.registrationPool(filter: filter)
            if let xlsx { try writeRegistrations(rows, to: xlsx) }
            if json { return Printer.json(["registrations": rows]) }
            header(step, rows.count, note: note)
            for r in rows {
                Printer.line(
                    "  [\(r.id)] \(tabText(r.tab))  \(r.name)（\(r.code)）  \(r.agency ?? "")  "
                        + "联系人 \(r.contactName ?? "") \(r.mobile ?? "")  \(BeijingTime.text(r.submittedAt))"
                        + holderText(r.holderName, r.holder))
            }
            return
        }
        let rows = try client.enrolmentPool(step, filter: filter)
        if let xlsx { try writeApplications(rows, step: step, to: xlsx) }
        if json { return Printer.json(["applications": rows]) }
        header(step, rows.count, note: note)
        for a in rows {
            Printer.line(
                "  [\(a.id)] \(tabText(a.tab))  \(a.stateText)  \(a.agency ?? "")  \(a.unit ?? "")  "
                    + "参保人次 \(a.insured)  会费 \(a.fee) 元  \(a.applicationDate ?? "")"
                    + holderText(a.holderName, a.holder))
        }
    }

    static func header(_ step: EnrolmentPoolStep, _ count: Int, note: String?) {
        if let note { Printer.line(note) }
        Printer.line("\(step.chineseName)工作池：\(count) 件")
    }

    static func tabText(_ tab: String) -> String { PoolTab(rawValue: tab)?.chineseName ?? tab }

    static func holderText(_ name: String?, _ login: String?) -> String {
        login.map { "  经办：\(name ?? $0)（\($0)）" } ?? ""
    }

    static func writeApplications(_ rows: [PoolApplication], step: EnrolmentPoolStep, to path: String) throws {
        try ListExport.write(
            path, sheet: step.chineseName,
            columns: [
                .init("编号", width: 38, text: true), .init("标签", width: 10), .init("核保状态", width: 14),
                .init("所属机构", width: 20), .init("单位名称", width: 30), .init("参保人次", width: 10),
                .init("会费（元）", width: 12), .init("申请日期", width: 12), .init("确认书编号", width: 26, text: true),
                .init("经办人", width: 12),
            ],
            rows: rows.map { a in
                [
                    a.id, tabText(a.tab), a.stateText, a.agency ?? "", a.unit ?? "", String(a.insured), a.fee,
                    a.applicationDate ?? "", a.letterNumber ?? "", a.holderName ?? "",
                ]
            })
    }

    static func writeRegistrations(_ rows: [PoolRegistration], to path: String) throws {
        try ListExport.write(
            path, sheet: EnrolmentPoolStep.registration.chineseName,
            columns: [
                .init("编号", width: 38, text: true), .init("标签", width: 10), .init("单位状态", width: 10),
                .init("申请时间（北京时间）", width: 20), .init("单位性质", width: 12), .init("所属机构", width: 20),
                .init("单位名称", width: 30), .init("单位代码", width: 22, text: true), .init("联系人", width: 10),
                .init("办公电话", width: 16, text: true), .init("手机号", width: 14, text: true), .init("经办人", width: 12),
            ],
            rows: rows.map { r in
                [
                    r.id, tabText(r.tab), r.stateText, r.submittedAt.map { BeijingTime.text($0) } ?? "", r.nature ?? "",
                    r.agency ?? "", r.name, r.code, r.contactName ?? "", r.officePhone ?? "", r.mobile ?? "",
                    r.holderName ?? "",
                ]
            })
    }
}
