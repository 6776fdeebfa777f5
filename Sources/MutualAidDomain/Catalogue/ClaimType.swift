/// The claim types (申领类型) of DOMAIN §5; raw values are the wire and CLI names.
public enum ClaimType: String, Codable, Sendable, CaseIterable {
    case hospitalization
    case accidentDisability = "accident-disability"
    case accidentDeath = "accident-death"
    case criticalIllness = "critical-illness"
    case femaleCriticalIllness = "female-critical-illness"

    public var chineseName: String {
        switch self {
        case .hospitalization: "疾病住院"
        case .accidentDisability: "意外伤残"
        case .accidentDeath: "意外身故"
        case .criticalIllness: "重疾"
        case .femaleCriticalIllness: "女工重疾"
        }
    }

    /// Hospitalisation claims describe a stay; the others an incident date.
    public var isHospitalStay: Bool { self == .hospitalization }
}
