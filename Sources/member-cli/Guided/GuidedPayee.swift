import Foundation
import MemberCore
import MutualAidDomain

/// `claim payee` at a terminal: relation from a list, then name, mobile and bank account with
/// the claim's (or the profile's) values in brackets, so Enter keeps them.
struct GuidedPayee {
    let client: MemberClient
    let claim: String?
    let given: PayeeInput
    let prompter = Prompter()

    static let relations = ["本人", "配偶", "子女", "父母", "其他"]

    func run() throws {
        let id = try claim ?? DraftPicker.pick(client, prompter)
        let current = try client.claim(id).payee
        var input = given
        let relation =
            try input.relation
            ?? prompter.choice(
                "领款人与被保险人关系", Self.relations.map { (text: $0, value: $0) },
                default: Self.relations.firstIndex(of: current.relation ?? "本人") ?? 0)
        input.relation = relation
        let preset = defaults(for: relation, current: current)
        input.name = try input.name ?? prompter.text("领款人姓名", default: preset.name, check: Prompter.fits(50, "姓名"))
        input.mobile =
            try input.mobile
            ?? prompter.text(
                "领款人手机", default: preset.mobile, check: Prompter.problem { try ContactRules.validateMobile($0) })
        input.bankAccount = try input.bankAccount ?? askAccount(preset.bankAccount)
        input.bankName =
            try input.bankName
            ?? prompter.text(
                "开户银行", default: preset.bankName, check: Prompter.problem { try ContactRules.validateBankName($0) })
        prompter.summary(
            "请核对领款人",
            [
                ("与被保险人关系", input.relation), ("姓名", input.name), ("手机", input.mobile),
                ("银行账号", input.bankAccount), ("开户银行", input.bankName),
            ])
        guard try prompter.confirm("确认保存？") else { throw Prompter.cancelled }
        prompter.line("")
        ClaimOutput.print(try client.setPayee(id, input), json: false, brief: true)
    }

    private struct Preset {
        var name: String?
        var mobile: String?
        var bankAccount: String?
        var bankName: String?
    }

    /// The claim's payee when it is the same relation; for 本人 the profile fills the gaps.
    private func defaults(for relation: String, current c: ClaimView.Payee) -> Preset {
        var preset =
            c.relation == relation
            ? Preset(name: c.name, mobile: c.mobile, bankAccount: c.bankAccount, bankName: c.bankName) : Preset()
        guard relation == "本人", let profile = try? client.profile() else { return preset }
        preset.name = preset.name ?? profile.name
        preset.mobile = preset.mobile ?? profile.mobile
        preset.bankAccount = preset.bankAccount ?? profile.bankAccount
        preset.bankName = preset.bankName ?? profile.bankName
        return preset
    }

    /// Card numbers are often typed in groups of four: the spaces are dropped before the check.
    private func askAccount(_ preset: String?) throws -> String {
        try prompter.ask("领款银行账号", preset: preset) { answer in
            let digits = answer.filter { !$0.isWhitespace }
            return Prompter.problem { try ContactRules.validateBankAccount($0) }(digits).map { .failure(Problem($0)) }
                ?? .success(digits)
        }
    }
}
