import MutualAidDomain

/// The restricted list (限制名单): `GET /v1/restricted` and `POST /v1/restricted/lift`.

/// One person on the list (or, with `?lifted=true`, taken off it), as the server knows them.
/// The ID number is whole: staff need it to act on the entry; the terminal masks it.
public struct RestrictedPerson: Codable, Sendable, Hashable {
    public var idNumber: String
    public var name: String?
    public var unitName: String?
    public var note: String?
    public var markedBy: String
    public var markedAt: String
    /// Case numbers of the person's claims in the caller's scope, newest first.
    public var cases: [String]
    public var liftedBy: String?
    public var liftedAt: String?
    public var liftNote: String?

    public init(
        idNumber: String, name: String?, unitName: String?, note: String?, markedBy: String, markedAt: String,
        cases: [String], liftedBy: String? = nil, liftedAt: String? = nil, liftNote: String? = nil
    ) {
        self.idNumber = idNumber
        self.name = name
        self.unitName = unitName
        self.note = note
        self.markedBy = markedBy
        self.markedAt = markedAt
        self.cases = cases
        self.liftedBy = liftedBy
        self.liftedAt = liftedAt
        self.liftNote = liftNote
    }
}

public struct RestrictedListResponse: Codable, Sendable {
    public var persons: [RestrictedPerson]
    public init(persons: [RestrictedPerson]) { self.persons = persons }
}

/// `POST /v1/restricted/lift`: the office takes a person off the list, saying why.
public struct RestrictionLiftRequest: Codable, Sendable {
    public var idNumber: String
    public var note: String
    public init(idNumber: String, note: String) {
        self.idNumber = idNumber
        self.note = note
    }
}
