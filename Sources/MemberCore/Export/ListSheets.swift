import Foundation
import MutualAidDomain
import SyncProtocol

/// The spreadsheets of the list commands, one per view type; codes are shown by their Chinese
/// names and times in 北京时间, as on the terminal.
extension ListSheet where Row == ClaimView {
    public static let claims = ListSheet(
        "申领",
        [
            .text("案件号", width: 26) { $0.caseNumber ?? "" }, .plain("状态", width: 12) { $0.stateText },
            .plain("申领类型", width: 12) { $0.claimTypeText },
            .plain("入院或出险日期", width: 14) { $0.admitted ?? $0.incidentDate ?? "" },
            .plain("出院日期", width: 12) { $0.discharged ?? "" }, .plain("医院", width: 24) { $0.hospital ?? "" },
            .plain("金额（元）", width: 12) { $0.amount ?? "" }, .plain("支付流水号", width: 20) { $0.paymentReference ?? "" },
            .plain("新建时间（北京时间）", width: 20) { $0.createdAt.map { BeijingTime.text($0) } ?? "" },
        ])
}

extension ListSheet where Row == EnrolmentView {
    public static let enrolments = ListSheet(
        "参保记录",
        [
            .plain("保障活动", width: 28) { $0.activity }, .plain("单位", width: 28) { $0.unit },
            .plain("被保险人", width: 10) { $0.insuredName }, .plain("关系", width: 8) { $0.relation },
            .text("身份证号码", width: 22) { $0.idNumber }, .plain("保障起期", width: 12) { $0.periodStart },
            .plain("保障止期", width: 12) { $0.periodEnd }, .plain("份数", width: 6) { String($0.shares) },
            .plain("会费（元）", width: 12) { $0.fee }, .plain("续保", width: 6) { $0.renewal ? "是" : "" },
        ])
}

extension ListSheet where Row == EnrolmentApplicationView {
    public static let applications = ListSheet(
        "参保申请",
        [
            .text("申请编号", width: 38) { $0.id }, .plain("单位", width: 28) { $0.unitName ?? $0.unitId },
            .plain("代办机构", width: 16) { $0.agencyName ?? "" }, .plain("状态", width: 14) { $0.stateName },
            .plain("保障活动", width: 36) { $0.lines.map(\.activityName).joined(separator: "、") },
            .plain("在职人数", width: 10) { String($0.employees) }, .plain("会费合计（元）", width: 14) { $0.feeTotal },
            .plain("申请日期", width: 12) { $0.applicationDate ?? "" },
            .text("确认书编号", width: 22) { $0.letterNumber ?? "" },
        ])
}

extension ListSheet where Row == ActivityView {
    public static let catalogue = ListSheet(
        "保障活动",
        [
            .text("活动编号", width: 22) { $0.id }, .plain("名称", width: 30) { $0.name },
            .plain("细类", width: 14) { $0.subtype }, .plain("标准会费（元/份）", width: 16) { $0.fee },
            .plain("最低参保率（%）", width: 14) { String($0.minEnrolmentRatePct) },
            .plain("给付标准", width: 48) { a in
                a.standards.map { "\($0.name)（\(ClaimType(rawValue: $0.claimType)?.chineseName ?? $0.claimType)）" }
                    .joined(separator: "、")
            },
        ])
}

extension ListSheet where Row == FeeDashboard.Row {
    public static let dashboard = ListSheet(
        "会费收入",
        [
            .plain("排名", width: 6) { String($0.rank) }, .plain("代办机构", width: 20) { $0.agencyName },
            .plain("会费收入（元）", width: 14) { $0.amount.description },
            .plain("上年同期（元）", width: 14) { $0.previous.description }, .plain("同比", width: 10) { $0.changeText },
            .plain("参保申请数", width: 10) { String($0.applications) },
        ])
}

extension ListSheet where Row == MessageView {
    public static let messages = ListSheet(
        "消息",
        [
            .plain("时间（北京时间）", width: 20) { BeijingTime.text($0.at) }, .plain("内容", width: 60) { $0.text },
            .text("案件号", width: 26) { $0.caseNumber ?? "" }, .plain("已读", width: 6) { $0.read ? "是" : "否" },
        ])
}

extension ListSheet where Row == MemberClient.PendingRegistration {
    public static let registrations = ListSheet(
        "单位注册",
        [
            .plain("单位名称", width: 30) { $0.name }, .text("统一社会信用代码", width: 22) { $0.code },
            .plain("代办机构", width: 16) { $0.agencyName },
            .plain("状态", width: 10) { RegistrationStatus.chineseName($0.state) },
            .plain("联系人", width: 10) { $0.contactName }, .text("手机号码", width: 14) { $0.mobile },
            .plain("方式", width: 10) { $0.source == "agent" ? "代注册" : "自助注册" },
            .plain("提交时间（北京时间）", width: 20) { BeijingTime.text($0.submittedAt) },
        ])
}

extension ListSheet where Row == MemberClient.UnitView {
    public static let units = ListSheet(
        "单位",
        [
            .text("单位编号", width: 16) { $0.id }, .plain("单位名称", width: 30) { $0.name },
            .text("统一社会信用代码", width: 22) { $0.code }, .plain("代办机构", width: 16) { $0.agencyName ?? "" },
            .plain("地址", width: 30) { $0.address ?? "" },
        ])
}

extension ListSheet where Row == SessionInfo {
    public static let sessions = ListSheet(
        "登录设备",
        [
            .text("设备编号", width: 38) { $0.id }, .plain("本机", width: 6) { $0.current ? "是" : "" },
            .plain("首次使用（北京时间）", width: 20) { BeijingTime.text($0.firstSeen) },
            .plain("最近使用（北京时间）", width: 20) { BeijingTime.text($0.lastSeen) },
            .text("地址", width: 18) { $0.address ?? "" }, .text("客户端", width: 38) { $0.clientId ?? "" },
        ])
}

extension ListSheet where Row == AccountAuditEntry {
    public static let accountAudit = ListSheet(
        "账号变更记录",
        [
            .plain("时间（北京时间）", width: 20) { BeijingTime.text($0.at) }, .plain("操作人", width: 12) { $0.actor },
            .plain("操作", width: 14) { $0.action.chineseName }, .text("账号或机构", width: 22) { $0.target },
            .plain("内容", width: 40) { $0.detail },
        ])
}

extension ListSheet where Row == OrgEntry {
    public static let orgs = ListSheet(
        "机构",
        [
            .plain("机构名称", width: 30) { String(repeating: "　", count: $0.depth) + $0.name },
            .plain("层级", width: 12) { $0.level.chineseName }, .text("机构编号", width: 16) { $0.id },
            .text("机构代码", width: 22) { $0.code ?? "" }, .text("上级机构编号", width: 16) { $0.parentId ?? "" },
            .plain("状态", width: 8) { $0.closed ? "已撤销" : "正常" },
        ])
}

extension ListSheet where Row == MaterialRequirement {
    public static let checklist = ListSheet(
        "申领材料",
        [
            .text("材料编号", width: 22) { $0.item }, .plain("材料名称", width: 30) { $0.name },
            .plain("必需", width: 8) { $0.required ? "必需" : "非必需" }, .plain("最多份数", width: 10) { String($0.maxCount) },
        ])
}

extension ListSheet where Row == ClaimSearchRow {
    /// 申领查询 and 既往申领: ID numbers whole, for staff in scope.
    public static let claimSearch = ListSheet(
        "申领查询",
        [
            .text("案件号", width: 26) { $0.caseNumber ?? "" }, .plain("状态", width: 12) { $0.stateText },
            .plain("申领类型", width: 12) { ClaimType(rawValue: $0.claimType)?.chineseName ?? $0.claimType },
            .plain("金额（元）", width: 12) { $0.amount ?? "" }, .plain("姓名", width: 10) { $0.name ?? "" },
            .text("身份证号码", width: 22) { $0.idNumber ?? "" }, .plain("单位", width: 28) { $0.unit ?? "" },
            .plain("受理机构", width: 12) { $0.agency ?? "" },
            .plain("受理时间（北京时间）", width: 20) { $0.acceptedAt.map { BeijingTime.text($0) } ?? "" },
            .plain("限制名单", width: 10) { $0.restricted ? "是" : "" },
        ])
}

extension ListSheet where Row == StaffAccount {
    public static let accounts = ListSheet(
        "账号",
        [
            .text("登录账号", width: 22) { $0.login }, .plain("角色", width: 16) { $0.role.chineseName },
            .plain("姓名", width: 10) { $0.name }, .plain("所属机构", width: 24) { $0.orgName },
            .text("手机号码", width: 14) { $0.mobile ?? "" }, .plain("状态", width: 8) { $0.disabled ? "已停用" : "正常" },
            .plain("开通时间（北京时间）", width: 20) { BeijingTime.text($0.createdAt) },
        ])
}

extension ListSheet where Row == DisabilityGrade {
    public static let grades = ListSheet(
        "伤残等级表",
        [
            .plain("等级", width: 8) { String($0.grade) }, .plain("名称", width: 20) { $0.itemName },
            .plain("给付比例（%）", width: 14) { PercentText.format(basisPoints: $0.ratioBasisPoints) },
        ])
}
