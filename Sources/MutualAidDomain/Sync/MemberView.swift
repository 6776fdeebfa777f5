/// What a member may read of their own records: staff working notes (the restricted list,
/// expert review, investigation) and who holds a case stay with the staff. The server's feed
/// and checksum and the client's replica all apply this one rule, so `verify` agrees for
/// every role.
extension SyncTable {
    /// Whether some of this table's content is for staff only.
    public var hasStaffOnlyContent: Bool { !staffFields.isEmpty || name == SyncTable.claimTrail.name }

    /// The record as its member receives it: staff-only fields left out, and the note of an
    /// internal trail step too.
    public func memberView(_ fields: FieldMap) -> FieldMap {
        guard hasStaffOnlyContent else { return fields }
        var view = fields
        for name in staffFields { view[name] = nil }
        if name == SyncTable.claimTrail.name, let step = fields["step"]?.stringValue, InternalSteps.names.contains(step)
        {
            view["note"] = nil
        }
        return view
    }

    /// The member view with every left-out field present as null, as a replica that never
    /// received it holds the record; members' checksums hash this.
    public func memberChecksumView(_ fields: FieldMap) -> FieldMap {
        let view = memberView(fields)
        var result = fields
        for key in fields.keys where view[key] == nil { result[key] = .null }
        return result
    }
}

extension Role {
    /// Staff read the whole record; members its member view.
    public var readsStaffContent: Bool { self != .member }
}

/// Trail steps whose notes are the staff's own working notes.
public enum InternalSteps {
    public static let names: Set<String> = [
        "限制名单标记", CaseAction.routeToExpert(note: nil).chineseName,
        CaseAction.routeToInvestigation(note: nil).chineseName,
        CaseState.expertReview.chineseName, CaseState.investigation.chineseName,
    ]
}
