import MutualAidDomain

/// State names stored for claims: the shared workflow's wire values.
enum ClaimStates {
    static let draft = CaseState.draft.rawValue
    static let firstReview = CaseState.firstReview.rawValue
    static let supplementRequested = CaseState.supplementRequested.rawValue
}
