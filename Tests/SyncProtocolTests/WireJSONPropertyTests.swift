import Foundation
import MutualAidDomain
import PropertyBased
import SyncProtocol
import Testing

/// The hand-written codec against Foundation's: whatever one writes the other reads back the
/// same, and the fast readers accept only documents `JSONDecoder` accepts, with its result.
@Suite struct WireJSONPropertyTests {
    static func same(_ a: PushRequest, _ b: PushRequest) -> Bool {
        a.protocolVersion == b.protocolVersion && a.clientId == b.clientId && a.changes == b.changes
    }

    @Test func pushRequestsWrittenByHandReadByJSONDecoder() throws {
        try forEachValue(WireGen.pushRequest, seed: (1, 2, 3, 4)) { request, label in
            let decoded = try JSONDecoder().decode(PushRequest.self, from: WireJSON.encode(request))
            #expect(Self.same(decoded, request), "\(label)")
        }
    }

    @Test func pushRequestsWrittenByJSONEncoderReadByTheFastPath() throws {
        try forEachValue(WireGen.pushRequest, seed: (5, 6, 7, 8)) { request, label in
            let data = try JSONEncoder().encode(request)
            let fast = try #require(WireJSON.fastDecode(PushRequest.self, from: data), "\(label)")
            #expect(Self.same(fast, request), "\(label)")
        }
    }

    @Test func pushResponsesRoundTripBothWays() throws {
        try forEachValue(WireGen.pushResponse, seed: (9, 10, 11, 12)) { response, label in
            let byHand = try JSONDecoder().decode(PushResponse.self, from: WireJSON.encode(response))
            #expect(byHand.results == response.results, "\(label)")
            let byFoundation = try WireJSON.decode(PushResponse.self, from: JSONEncoder().encode(response))
            #expect(byFoundation.results == response.results, "\(label)")
        }
    }

    /// Pages of any table and field names (the fast path leaves escaped names to Foundation),
    /// and pages of the real tables whose values and stamps repeat (which the fast path must
    /// read itself, reusing the strings): read into slots as `JSONDecoder` plus conversion does.
    @Test func pullPagesWrittenByJSONEncoderReadIntoSlots() throws {
        try forEachValue(WireGen.pullResponse, seed: (13, 14, 15, 16)) { page, label in
            let decoded = try WireJSON.decode(PulledPage.self, from: JSONEncoder().encode(page))
            #expect(decoded == PulledPage(page), "\(label)")
        }
        try forEachValue(WireGen.syncedPullResponse, seed: (32, 33, 34, 35)) { page, label in
            let data = try JSONEncoder().encode(page)
            let fast = try #require(WireJSON.fastDecode(PulledPage.self, from: data), "\(label)")
            #expect(fast == PulledPage(page), "\(label)")
        }
    }

    @Test func flatFieldMapsAndClocksRoundTrip() throws {
        try forEachValue(WireGen.fieldMap, seed: (17, 18, 19, 20)) { fields, label throws in
            let text = FlatJSON.encode(fields)
            #expect(try FlatJSON.decodeFields(text) == fields, "\(label)")
            #expect(try JSONDecoder().decode(FieldMap.self, from: Data(text.utf8)) == fields, "\(label)")
        }
        try forEachValue(WireGen.clocks, seed: (21, 22, 23, 24)) { clocks, label throws in
            #expect(try FlatJSON.decodeClocks(FlatJSON.encode(clocks)) == clocks, "\(label)")
            let foundation = String(decoding: try JSONEncoder().encode(clocks), as: UTF8.self)
            #expect(try FlatJSON.decodeClocks(foundation) == clocks, "\(label)")
        }
    }

    /// `document` with one byte removed or changed to one that matters to JSON, chosen by `seed`
    /// and the document's length.
    static func damaged(_ document: Data, seed: (UInt64, UInt64, UInt64)) -> [UInt8] {
        let bytes = Array(#"{}[]":,\0159aetrufnlsx "#.utf8)
        var data = [UInt8](document)
        var rng = Xoshiro(seed: (UInt64(data.count), seed.0, seed.1, seed.2))
        let at = Int(rng.next() % UInt64(data.count))
        if rng.next() % 3 == 0 {
            data.remove(at: at)
        } else {
            data[at] = bytes[Int(rng.next() % UInt64(bytes.count))]
        }
        return data
    }

    /// One byte of a valid document changed or removed: the fast path either refuses it or
    /// reads exactly what `JSONDecoder` reads; it never accepts what Foundation rejects.
    @Test func damagedDocumentsAreNeverReadDifferently() throws {
        try forEachValue(WireGen.pushRequest, seed: (25, 26, 27, 28), count: 500) { request, label in
            let data = Self.damaged(WireJSON.encode(request), seed: (29, 30, 31))
            let foundation = try? JSONDecoder().decode(PushRequest.self, from: Data(data))
            guard let fast = WireJSON.fastDecode(PushRequest.self, from: Data(data)) else { return }
            let expected = try #require(foundation, "fast path accepted what JSONDecoder rejects: \(label)")
            #expect(Self.same(fast, expected), "\(label)")
        }
        try forEachValue(WireGen.syncedPullResponse, seed: (36, 37, 38, 39), count: 500) { page, label in
            let data = Self.damaged(try JSONEncoder().encode(page), seed: (40, 41, 42))
            let foundation = try? JSONDecoder().decode(PullResponse.self, from: Data(data))
            guard let fast = WireJSON.fastDecode(PulledPage.self, from: Data(data)) else { return }
            let expected = try #require(foundation, "fast path accepted what JSONDecoder rejects: \(label)")
            #expect(fast == PulledPage(expected), "\(label)")
        }
    }
}
