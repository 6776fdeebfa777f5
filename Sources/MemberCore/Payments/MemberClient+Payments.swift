import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// 申领付款 and 到账查询 from the replica. The bank's results go back as the ordinary pushed
/// case actions (`pay`, `payment-failed`), so the server checks and records each like a
/// single payment, with its trail entry and the member's message.
extension MemberClient {
    /// Payments of the account's scope: cases waiting for payment, paid, or failed.
    public func payments(_ query: PaymentQuery = PaymentQuery()) throws -> [PaymentRow] {
        try database.read { db in try self.paymentRows(db).filter(query.matches) }
    }

    func paymentRows(_ db: Database) throws -> [PaymentRow] {
        let units = Dictionary(
            uniqueKeysWithValues: try database.table(.enrolment).all(db).map { ($0.id, $0.fields["unitName"]) })
        return try database.table(.claim).all(db).compactMap { id, f -> PaymentRow? in
            func text(_ key: String) -> String? { f[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
            let reference = text("paymentReference")
            guard let state = text("state").flatMap(CaseState.init(rawValue:)),
                let payment = PaymentState.of(state, reference: reference), let number = text("caseNumber")
            else { return nil }
            return PaymentRow(
                id: id, caseNumber: number, state: payment.rawValue, stateText: payment.chineseName,
                claimType: text("claimType") ?? "", amount: text("amount") ?? "", payeeName: text("payeeName"),
                bankAccount: text("payeeBankAccount"), bankName: text("payeeBankName"),
                at: payment == .paid ? text("paidAt") : text("stepStartedAt"),
                reference: payment == .paid ? reference : nil, failure: text("paymentFailure"),
                agency: text("acceptedBy"), unit: text("enrolmentId").flatMap { units[$0] ?? nil }?.stringValue)
        }.sorted { ($0.at ?? "", $0.caseNumber) < ($1.at ?? "", $1.caseNumber) }
    }

    /// The bank payment file: every case of the scope waiting for payment that matches the
    /// filters. A case whose payment failed is not in it until its card has been changed.
    public func exportPayments(to path: String, _ query: PaymentQuery = PaymentQuery()) throws -> PaymentExport {
        var pending = query
        pending.state = .pending
        let query = pending
        let rows = try database.read { db in
            _ = try self.staffAccount(db, roles: [.finance, .office], what: "导出付款文件")
            return try self.paymentRows(db).filter(query.matches)
        }
        var payments: [PaymentFile.Payment] = []
        var incomplete: [String] = []
        for r in rows {
            guard let name = r.payeeName, let account = r.bankAccount, let bank = r.bankName,
                let amount = Money(r.amount)
            else {
                incomplete.append(r.caseNumber)
                continue
            }
            payments.append(
                .init(caseNumber: r.caseNumber, payeeName: name, bankAccount: account, bankName: bank, amount: amount))
        }
        payments.sort { $0.caseNumber < $1.caseNumber }
        let columns = PaymentFile.header.enumerated().map { i, title in
            ListExport.Column(title, width: PaymentFile.columnWidths[i], text: PaymentFile.textColumns.contains(i))
        }
        try ListExport.write(path, sheet: PaymentFile.sheetName, columns: columns, rows: payments.map(\.row))
        return PaymentExport(
            file: path, count: payments.count, total: payments.reduce(Money.zero) { $0 + $1.amount }.description,
            caseNumbers: payments.map(\.caseNumber), incomplete: incomplete)
    }

    /// The bank's result file: checked whole against the cases (after a sync, so against the
    /// server's latest states), then applied as case actions in one push — or refused with
    /// every problem and nothing changed.
    public func importPayments(_ file: URL, online: Bool = true) async throws -> PaymentImport {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ClientError.io("无法读取文件 \(file.lastPathComponent)，请检查文件名和路径")
        }
        let table: [[String]]
        do throws(OfficeFormatError) { table = try TableFile.rows(data, fileName: file.lastPathComponent) } catch {
            throw ClientError.invalidInput(RuleViolation(field: "file", message: error.message))
        }
        _ = try database.read { db in try self.staffAccount(db, roles: [.finance], what: "导入银行付款结果") }
        if online {
            do { _ = try await sync() } catch ClientError.unreachable {}
        }
        let (plan, changes) = try database.write { db in
            var cases: [String: (id: String, standing: PaymentReturn.Standing)] = [:]
            for (id, f) in try self.database.table(.claim).all(db) {
                guard let number = f["caseNumber"]?.stringValue,
                    let state = f["state"]?.stringValue.flatMap(CaseState.init(rawValue:))
                else { continue }
                cases[number] = (
                    id,
                    .init(
                        state: state, amount: f["amount"]?.stringValue.flatMap(Money.init),
                        bankAccount: f["payeeBankAccount"]?.stringValue,
                        paymentReference: f["paymentReference"]?.stringValue)
                )
            }
            let plan: PaymentReturn.Plan
            do throws(PaymentReturn.Problems) {
                plan = try PaymentReturn.plan(table) { cases[$0]?.standing }
            } catch {
                throw ClientError.invalidInput(RuleViolation(field: "file", message: error.message))
            }
            let requests =
                plan.paid.map { ($0.caseNumber, CaseAction.pay(reference: $0.detail)) }
                + plan.failed.map { ($0.caseNumber, CaseAction.paymentFailed(reason: $0.detail)) }
            let changes = try requests.map { number, action in
                try LocalEdit.upsert(
                    db, self.database.table(.caseAction), id: UUID().uuidString.lowercased(),
                    fields: CaseRequest.workflow(action).fields(claimId: cases[number]!.id))
            }
            return (plan, changes)
        }
        let outcome = changes.isEmpty ? ActionOutcome.done : try await settle(changes, online: online)
        return PaymentImport(outcome: outcome, paid: plan.paid, failed: plan.failed, unchanged: plan.unchanged)
    }
}
