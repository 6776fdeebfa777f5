import Foundation
import MutualAidDomain
import Testing

@testable import MemberCore

/// The typed inputs of the public API become exactly the field maps the CLI used to build by
/// hand, and `verify --json` keeps its kind strings.
@Suite struct TypedInputTests {
    @Test func verifyKindsKeepTheirJSONValues() throws {
        let kinds: [VerifyReport.Difference.Kind: String] = [
            .missing: "missing", .extra: "extra", .different: "different",
        ]
        for (kind, text) in kinds {
            let json = try JSONEncoder().encode(VerifyReport.Difference(table: "claim", recordId: "r", kind: kind))
            #expect(String(decoding: json, as: UTF8.self).contains("\"kind\":\"\(text)\""))
        }
    }

    @Test func aSettlementSheetIsTheRecordsFields() {
        let sheet = SettlementSheetInput(
            hospital: "市一院", insuranceType: "职工医保", sheetNumber: "JS-1", admitted: "2026-10-01",
            discharged: "2026-10-08", inScope: "8000.00", pooled: "5000", deductible: "800",
            largeAmount: "0", cash: "12.5", outOfArea: false)
        #expect(
            sheet.fields == [
                "hospital": .string("市一院"), "insuranceType": .string("职工医保"), "sheetNumber": .string("JS-1"),
                "admitted": .string("2026-10-01"), "discharged": .string("2026-10-08"), "inScope": .string("8000.00"),
                "pooled": .string("5000"), "deductible": .string("800"), "largeAmount": .string("0"),
                "cash": .string("12.5"),
                "outOfArea": .int(0),
            ])
        #expect(SettlementSheetInput(outOfArea: true).fields == ["outOfArea": .int(1)])
        #expect(SettlementSheetInput().fields.isEmpty)
    }

    @Test func costEntryGradeClearsAnEarlierRatioAndARatioKeepsItsReason() {
        let graded = CostEntryInput(hospital: "市一院", disabilityGrade: 7)
        #expect(
            graded.fields == [
                "hospital": .string("市一院"), "disabilityGrade": .int(7), "disabilityRatioBp": .null,
                "disabilityRatioReason": .null,
            ])
        let rated = CostEntryInput(insuredStatus: "alive", disabilityRatio: .init(basisPoints: 4000, reason: "未定级"))
        #expect(
            rated.fields == [
                "insuredStatus": .string("alive"), "disabilityRatioBp": .int(4000),
                "disabilityRatioReason": .string("未定级"),
            ])
        let payee = CostEntryInput(payee: PayeeInput(relation: "本人", bankAccount: " 6222 "))
        #expect(payee.fields == ["payeeRelation": .string("本人"), "payeeBankAccount": .string("6222")])
    }

    @Test func aUnitEditNamesOnlyWhatChanges() {
        #expect(
            UnitEdit(name: "新名称", code: "91610000MA6TG1234X", address: "高新路1号").fields
                == ["name": .string("新名称"), "code": .string("91610000MA6TG1234X"), "address": .string("高新路1号")])
        #expect(UnitEdit().fields.isEmpty)
    }
}
