import Foundation
import GRDB
import MutualAidDomain

/// The device's hybrid logical clock, persisted in `meta` inside the caller's transaction.
/// The wall time comes from the store's `ClientClock`.
enum LocalClock {
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

    static func tick(_ db: Database, clock: ClientClock) throws -> HLCTimestamp {
        var hlc = try load(db)
        let stamp = hlc.tick(nowMillis: clock.millis)
        try Meta.hlc.set(db, stamp.description)
        return stamp
    }

    /// Keeps later local edits ordered after everything pulled, whatever the wall clock says.
    static func observe(_ db: Database, stamps: some Sequence<String>, clock: ClientClock) throws {
        guard let newest = stamps.compactMap(HLCTimestamp.init).max() else { return }
        var hlc = try load(db)
        guard newest > hlc.last else { return }
        hlc.observe(newest, nowMillis: clock.millis)
        try Meta.hlc.set(db, hlc.last.description)
    }
}
