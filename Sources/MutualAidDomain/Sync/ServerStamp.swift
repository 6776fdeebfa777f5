/// The one stamping rule for the server's own writes (a state change, a card change, a
/// verified upload, a calculation, a seeded row). Pushes carry client clocks, possibly a day
/// ahead, and one push may hold several actions on one record at the same server time; a
/// server write stamped with the bare time could lose to either and vanish while its trail
/// line stays. So the stamp is strictly after every stamp the record holds, on any field, and
/// never before the server's own time.
extension HLCTimestamp {
    public static let serverNode = "server"

    /// Strictly after every readable stamp in `clocks`, never before `nowMillis`. "Strictly"
    /// holds whatever the other stamp's node is: the counter (or the millisecond) is higher.
    /// Past the five counter digits it borrows the next millisecond, like the clocks do, so
    /// the text form keeps its fixed width and its order.
    public static func serverStamp(after clocks: [String: String], nowMillis: Int64) -> HLCTimestamp {
        guard let newest = clocks.values.compactMap(HLCTimestamp.init).max(), newest.millis >= nowMillis else {
            return HLCTimestamp(millis: nowMillis, counter: 0, node: serverNode)
        }
        return HybridLogicalClock.advance(newest.millis, newest.counter + 1, serverNode)
    }
}

extension VersionedRecord {
    /// Merges a server write stamped by `HLCTimestamp.serverStamp`. False when a field was not
    /// taken (only a stored clock the rule cannot read can cause that): the caller must then
    /// abort, since whatever it records about the write would be untrue.
    public mutating func mergeServerWrite(_ changes: FieldMap, nowMillis: Int64) -> Bool {
        let stamp = HLCTimestamp.serverStamp(after: clocks, nowMillis: nowMillis).description
        merge(changes, stamp: stamp)
        return changes.keys.allSatisfy { clocks[$0] == stamp }
    }
}
