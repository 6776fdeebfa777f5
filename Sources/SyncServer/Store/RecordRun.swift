import MutualAidDomain

/// Consecutive changes of a pushed batch to one record. Its feed entry is written once, when
/// the run ends, from the record as then stored. For a table without follow-up work the run
/// also holds the record: each change is checked against it and merged in memory, and the
/// record is saved once when the run ends; should the store refuse that save, the run's
/// changes are applied again one at a time, each answered for itself (`PushBatch`).
struct RecordRun {
    let table: any ServerTable
    let recordId: String
    /// The record as the run's changes left it; nil while changes are written one at a time.
    var held: StoredRecord?
    /// `held` differs from the stored record.
    var unsaved = false
    var owesEntry = false
    /// Batch positions of the changes answered against `held`.
    var answered: [Int] = []

    init(_ table: any ServerTable, _ recordId: String, held: StoredRecord? = nil, owesEntry: Bool = false) {
        self.table = table
        self.recordId = recordId
        self.held = held
        self.owesEntry = owesEntry
    }

    func isFor(_ change: Change) -> Bool {
        table.spec.name == change.table && recordId == change.recordId
    }
}
