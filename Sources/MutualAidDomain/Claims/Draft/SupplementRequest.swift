import Foundation

/// A reviewer's request for more material (补材): which items, and the state the claim
/// returns to once the member re-submits. Travels as the claim's `supplementItems` JSON.
public struct SupplementRequest: Codable, Sendable, Equatable {
    public var items: [String]
    public var returnTo: String
    public var note: String?

    public init(items: [String], returnTo: String, note: String? = nil) {
        self.items = items
        self.returnTo = returnTo
        self.note = note
    }

    public init?(json: String?) {
        guard let json, let value = try? JSONDecoder().decode(SupplementRequest.self, from: Data(json.utf8)) else {
            return nil
        }
        self = value
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
