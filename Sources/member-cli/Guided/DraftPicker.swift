import MemberCore
import MutualAidDomain

/// The claim a guided step works on, when none was named: one of this device's drafts.
enum DraftPicker {
    static func pick(_ client: MemberClient, _ prompter: Prompter) throws -> String {
        let drafts = try client.claims().filter { $0.state == CaseState.draft.rawValue }
        guard !drafts.isEmpty else {
            throw ClientError.invalidInput(
                RuleViolation(
                    field: "claim", message: "本机没有未提交的申领草稿。请用 member-cli claim new 新建，或在命令中给出申领编号"))
        }
        return try prompter.choice(
            "申领草稿",
            drafts.map { c in
                let when = c.admitted ?? c.incidentDate ?? "日期未填写"
                return (text: "\(c.id.prefix(8))  \(c.claimTypeText)  \(when)  \(c.hospital ?? "")", value: c.id)
            })
    }
}
