import Foundation
import GRDB
import MutualAidDomain

/// The device's hybrid logical clock, persisted in `meta` inside the caller's transaction.
enum LocalClock {
    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func clientId(_ db: Database) throws -> String {
        if let id = try Meta.clientId.get(db) { return id }
        let id = UUID().uuidString.lowercased()
        try Meta.clientId.set(db, id)
        return id
    }

    private static func load(_ db: Database) throws -> HybridLogicalClock {
        let node = try clientId(db)
        return HybridLogicalClock(node: node, last: try Meta.hlc.get(db).flatMap(HLCTimestamp.init))
    }

    static func tick(_ db: Database) throws -> HLCTimestamp {
        var clock = try load(db)
        let stamp = clock.tick(nowMillis: nowMillis())
        try Meta.hlc.set(db, stamp.description)
        return stamp
    }

    /// Keeps later local edits ordered after everything pulled, whatever the wall clock says.
    static func observe(_ db: Database, stamps: some Sequence<String>) throws {
        guard let newest = stamps.compactMap(HLCTimestamp.init).max() else { return }
        var clock = try load(db)
        guard newest > clock.last else { return }
        clock.observe(newest, nowMillis: nowMillis())
        try Meta.hlc.set(db, clock.last.description)
    }
}
