import Foundation

/// A claim as the member fills it in (快速申领), read from its synced fields.
public struct ClaimDraft: Sendable, Equatable {
    public var claimType: ClaimType?
    public var enrolmentId: String?
    public var standardIds: [String]
    public var admitted: CalendarDate?
    public var discharged: CalendarDate?
    public var incidentDate: CalendarDate?
    public var hospital: String?
    public var diagnosis: String?
    public var payeeRelation: String?
    public var payeeName: String?
    public var payeeMobile: String?
    public var payeeBankAccount: String?
    public var payeeBankName: String?

    public init(fields: FieldMap) {
        func text(_ k: String) -> String? { fields[k]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        claimType = text("claimType").flatMap(ClaimType.init(rawValue:))
        enrolmentId = text("enrolmentId")
        standardIds = text("standardIds").flatMap(Self.decodeStandardIds) ?? []
        admitted = text("admitted").flatMap(CalendarDate.init)
        discharged = text("discharged").flatMap(CalendarDate.init)
        incidentDate = text("incidentDate").flatMap(CalendarDate.init)
        hospital = text("hospital")
        diagnosis = text("diagnosis")
        payeeRelation = text("payeeRelation")
        payeeName = text("payeeName")
        payeeMobile = text("payeeMobile")
        payeeBankAccount = text("payeeBankAccount")
        payeeBankName = text("payeeBankName")
    }

    /// The date the protection period and the two-year limit are measured from.
    public var eventDate: CalendarDate? { claimType?.isHospitalStay == true ? admitted : incidentDate }

    /// Days in hospital: discharge − admission (01-04 → 01-13 is 9), as the calculation counts them.
    public var days: Int? { ClaimFacts.stayDays(admitted: admitted, discharged: discharged) }

    /// The ids stored by `encodeStandardIds`, nil for text that is not a JSON array of strings.
    /// Ids are plain ASCII, so an array without escapes is read directly (a draft is read at
    /// every edit, and `JSONDecoder` was a tenth of one); anything else goes to `JSONDecoder`.
    public static func decodeStandardIds(_ text: String) -> [String]? {
        plainStringArray(text) ?? (try? JSONDecoder().decode([String].self, from: Data(text.utf8)))
    }

    /// `["a", "b"]` with no backslash in it; nil for anything else, left to `JSONDecoder`.
    static func plainStringArray(_ text: String) -> [String]? {
        var utf8 = text.utf8[...]
        func skipSpace() {
            while let c = utf8.first, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { utf8.removeFirst() }
        }
        func take(_ c: UInt8) -> Bool {
            skipSpace()
            guard utf8.first == c else { return false }
            utf8.removeFirst()
            return true
        }
        guard take(UInt8(ascii: "[")) else { return nil }
        var ids: [String] = []
        if !take(UInt8(ascii: "]")) {
            repeat {
                guard take(UInt8(ascii: "\"")), let end = utf8.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                let body = utf8[..<end]
                // Escapes and control characters (which JSON must escape) are for the full decoder.
                guard !body.contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else { return nil }
                ids.append(String(Substring(body)))
                utf8 = utf8[utf8.index(after: end)...]
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "]")) else { return nil }
        }
        skipSpace()
        return utf8.isEmpty ? ids : nil
    }

    public static func encodeStandardIds(_ ids: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(ids)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// One line of the material checklist of a claim type (catalogue data).
public struct MaterialRequirement: Sendable, Equatable, Codable {
    public var item: String
    public var name: String
    public var required: Bool
    public var maxCount: Int

    public init(item: String, name: String, required: Bool, maxCount: Int) {
        self.item = item
        self.name = name
        self.required = required
        self.maxCount = maxCount
    }
}
