import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

/// Push batches valid enough to reach the table rules behind the route.
extension FuzzGenerator {
    // MARK: Pushes that reach the table rules

    mutating func deepPushRequest(clientId: String, seqBase: Int, staff: Bool) -> FuzzRequest {
        let changes = (0..<rng.int(1...6)).map { deepChange(clientId: clientId, seq: seqBase + $0 + 1, staff: staff) }
        var body = FuzzJSON.object([
            ("protocolVersion", .int(1)), ("clientId", .string(clientId)), ("changes", .array(changes)),
        ])
        var applied: [String] = []
        if rng.chance(0.15) { body = mutate(body, count: 1, heavyAllowed: false, applied: &applied) }
        let gzip = rng.chance(0.2)
        var headers = [("Content-Type", "application/json"), (ProtocolVersion.header, "1")]
        if gzip { headers.append(("Content-Encoding", "gzip")) }
        let data = Data(body.text.utf8)
        return FuzzRequest(
            method: "POST", path: "/v1/sync/push", headers: headers, body: gzip ? gzipBody(data) : data,
            mode: .member, staff: staff, note: "deep" + (applied.isEmpty ? "" : " " + applied.joined(separator: "+")))
    }

    mutating func deepChange(clientId: String, seq: Int, staff: Bool) -> FuzzJSON {
        let table: SyncTable? = rng.chance(0.95) ? rng.pick(SyncTable.all) : nil
        let recordId: String
        switch table?.name {
        case "profile": recordId = rng.chance(0.7) ? pools.memberId : rng.pick(pools.otherMemberIds + [rng.uuid()])
        case "claim": recordId = rng.chance(0.85) ? rng.pick(pools.claimIds) : rng.uuid()
        case "claim_material":
            recordId =
                rng.chance(0.6)
                ? rng.pick(pools.materialIds) : rng.pick([pools.ownMaterial, pools.foreignMaterial, rng.uuid()])
        case "enrolment": recordId = rng.chance(0.8) ? rng.pick(pools.enrolmentIds) : rng.uuid()
        case "claim_standard": recordId = rng.pick(pools.standardIds)
        default: recordId = rng.chance(0.8) ? rng.uuid() : rng.pick(pools.claimIds + [pools.memberId])
        }
        var fields: [(String, FuzzJSON)] = []
        if let table {
            let clientFields = table.fields.filter { $0.owner == .client }
            let pool = clientFields.isEmpty || rng.chance(0.15) ? table.fields : clientFields
            for field in (0..<rng.int(1...min(5, pool.count))).map({ _ in rng.pick(pool) })
            where !fields.contains(where: { $0.0 == field.name }) {
                fields.append((field.name, fieldValue(field)))
            }
            if table.name == "claim_material", rng.chance(0.5) {
                fields = [
                    ("claimId", .string(rng.pick(pools.claimIds))), ("item", .string(rng.pick(pools.items))),
                    ("sha256", .string(rng.hex(64))), ("bytes", .int(Int64(rng.int(1...10_485_760)))),
                    ("contentType", .string(rng.pick(["image/png", "image/jpeg", "application/pdf"]))),
                ]
            }
            if table.name == "case_action", rng.chance(0.7) {
                fields =
                    [("claimId", .string(rng.pick(pools.claimIds))), ("action", .string(rng.pick(Self.caseActions)))]
                    + (rng.chance(0.5) ? [("decision", .string(rng.pick(["pass", "fail", "back", "x"])))] : [])
                    + (rng.chance(0.5) ? [("note", .string(rng.text(rng.int(0...30))))] : [])
                    + (rng.chance(0.3) ? [("items", .string(rng.pick(["[\"id-card\"]", "[]", "{", "[1]"])))] : [])
            }
            if table.name == "claim", rng.chance(0.3) {
                fields.append(("submission", .int(Int64(rng.pick([1, 2, 5, Int.max, -1])))))
            }
        } else {
            fields = [(rng.text(6), randomValue(depth: 2))]
        }
        let op: FuzzJSON = .string(rng.chance(0.85) ? "upsert" : "delete")
        return .object([
            ("changeId", .string("\(clientId):\(seq)")), ("table", .string(table?.name ?? rng.text(10))),
            ("recordId", .string(recordId)), ("op", op),
            ("fields", .object(op.text == "\"delete\"" && rng.chance(0.7) ? [] : fields)),
            ("hlc", .string(hlc(node: clientId))),
        ])
    }

    mutating func fieldValue(_ field: SyncField) -> FuzzJSON {
        if rng.chance(0.06) { return .null }
        if rng.chance(0.03) { return .bool(rng.chance(0.5)) }
        switch field.name {
        case "claimId": return .string(rng.pick(pools.claimIds))
        case "item": return .string(rng.pick(pools.items))
        case "enrolmentId": return .string(rng.pick(pools.enrolmentIds + [rng.uuid()]))
        case "claimType": return .string(rng.chance(0.85) ? rng.pick(ClaimType.allCases).rawValue : rng.text(8))
        case "standardIds":
            let ids = (0..<rng.int(0...3)).map { _ in rng.pick(pools.standardIds) }
            return .string(
                rng.chance(0.8)
                    ? ClaimDraft.encodeStandardIds(ids) : rng.pick(["[", "null", "[1,2]", "{}", rng.text(20)]))
        default: break
        }
        switch field.kind {
        case .text(let max):
            switch rng.int(0...9) {
            case 0: return .string(String(repeating: "字", count: max))
            case 1: return .string(String(repeating: "x", count: max + 1))
            case 2: return .string((0..<rng.int(1...6)).map { _ in rng.pick(SplitMix64.odd) }.joined())
            default: return .string(rng.text(rng.int(0...min(max, 20))))
            }
        case .integer:
            return rng.chance(0.9)
                ? .int(rng.pick([0, 1, 2, 3, -1, 100, Int64.max, Int64.min, Int64(rng.int(-1_000...1_000_000))]))
                : .string(String(rng.int(0...9)))
        case .money:
            return .string(
                rng.pick([
                    "0", "0.00", "79.00", "1.5", "-3.00", "99999999999999.99", "999999999999999999999", "1e5",
                    "abc", "0.001", " 5.00", "5.", ".5", "+5", "-0.00",
                ]))
        case .date:
            let today = CalendarDate.today(in: CalendarDate.chinaTimeZone, now: Date())
            if rng.chance(0.7) {
                let shifted = Date(timeIntervalSince1970: Double(today.dayNumber + rng.int(-900...30)) * 86_400)
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(secondsFromGMT: 0)!
                let c = calendar.dateComponents([.year, .month, .day], from: shifted)
                return .string(CalendarDate(year: c.year!, month: c.month!, day: c.day!)?.description ?? "2025-01-01")
            }
            return .string(
                rng.pick([
                    "2024-02-30", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2025-13-01", "2025-1-1",
                    "", "today", "2025-01-01T00:00:00Z", "1970-01-01",
                ]))
        case .mobile:
            return .string(
                rng.chance(0.7)
                    ? rng.validMobile() : rng.pick(["2" + rng.digits(10), rng.digits(12), "1380000000x", ""]))
        case .bankAccount:
            return .string(
                rng.chance(0.7)
                    ? rng.digits(rng.int(12...30)) : rng.pick([rng.digits(11), rng.digits(31), "6222 0000 0000 0000"]))
        case .bankName:
            return .string(
                rng.chance(0.7) ? rng.validBankName() : rng.pick(["", "   ", String(repeating: "银", count: 51)]))
        case .json:
            return .string(
                rng.pick([
                    "[]", "[\"id-card\"]", "{\"items\":[\"id-card\"],\"returnTo\":\"first-review\"}", "{", "null",
                    String(repeating: "[", count: 300), String(repeating: "x", count: 8_001),
                ]))
        case .idNumber:
            return .string(
                rng.pick([
                    "61100219850312001X", "61100219850312001x", rng.digits(18), rng.digits(17) + "Y", "", "1E+17",
                ]))
        }
    }
}
