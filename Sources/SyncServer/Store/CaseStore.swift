import Foundation
import MutualAidDomain
import SyncProtocol
import SyncStorage

/// The central case store. SQLite (`SQLCaseStore`) is the embedded default; the same
/// interface is what a PostgreSQL store implements.
public protocol CaseStore: Sendable {
    // Accounts and sessions
    func account(login: String) async throws -> StoredAccount?
    /// Checks the back-off of a login attempt from an address and, when it may go ahead, counts
    /// it as a failure — in one write transaction, before the password is checked, so parallel
    /// guesses cannot all pass one check.
    func reserveLoginAttempt(login: String, address: String, throttle: LoginThrottle, now: Date) async throws
        -> LoginThrottle.Decision
    /// Takes back a reserved attempt whose password was right (the pair's record is cleared), or
    /// that never ran (the server was busy).
    func releaseLoginAttempt(login: String, address: String, succeeded: Bool, throttle: LoginThrottle) async throws
    /// Replaces a hash by a stronger one of the same password, unless it changed meanwhile.
    func rehashPassword(accountId: String, from old: String, to new: String) async throws
    func createSession(
        tokenHash: String, accountId: String, expiresAt: Date, clientId: String?, address: String?, now: Date
    ) async throws
    func session(tokenHash: String, now: Date) async throws -> SessionLookup
    func deleteSession(tokenHash: String) async throws
    func accountInfo(accountId: String) async throws -> AccountInfo?
    /// A changed password; clears the must-change flag and ends every other session of the
    /// account (the one with `keepingSession` stays).
    func setPassword(accountId: String, hash: String, keepingSession tokenHash: String?) async throws

    /// Records a session's use (its caller writes only when the record is a minute stale).
    func touchSession(tokenHash: String, address: String, now: Date) async throws
    func sessions(accountId: String, currentTokenHash: String?, now: Date) async throws -> [SessionInfo]
    func revokeSession(accountId: String, id: String) async throws -> Bool

    // Activation and password reset by SMS code (SQLCaseStore+Activation, +Reset)
    func requestActivationCode(
        idNumber: String, name: String, mobile: String, address: String, policy: VerificationPolicy,
        sms: any SMSGateway, now: Date
    ) async throws -> CodeRequestOutcome
    func checkActivationCode(idNumber: String, code: String, policy: VerificationPolicy, now: Date) async throws
        -> CodeUseOutcome
    func activate(memberId: String, codeHash: String, passwordHash: String, session: NewSession, now: Date)
        async throws -> String?
    func requestPasswordReset(
        login: String, address: String, policy: VerificationPolicy, sms: any SMSGateway, now: Date
    ) async throws -> CodeRequestOutcome
    func checkResetCode(login: String, code: String, policy: VerificationPolicy, now: Date) async throws
        -> CodeUseOutcome
    func resetPassword(accountId: String, codeHash: String, passwordHash: String) async throws -> Bool
    func staffReset(
        login: String, by principal: Principal, oneTimePassword: String, hash: String, sms: any SMSGateway, now: Date
    ) async throws -> StaffResetOutcome

    // Staff administration of accounts (SQLCaseStore+AccountAdmin)
    func staffAccounts(for principal: Principal, role: Role?) async throws -> [StaffAccount]
    func addStaffAccount(
        _ request: NewAccountRequest, by principal: Principal, oneTimePassword: String, hash: String,
        sms: any SMSGateway, now: Date
    ) async throws -> AccountAdminOutcome
    func changeAccount(login: String, _ change: AccountChangeRequest, by principal: Principal, now: Date) async throws
        -> AccountAdminOutcome
    func accountAudit(for principal: Principal, target: String?, limit: Int) async throws -> [AccountAuditEntry]
    func orgs(for principal: Principal) async throws -> [OrgEntry]
    func addAgency(_ request: NewOrgRequest, by principal: Principal, now: Date) async throws -> OrgAdminOutcome
    func changeOrg(id: String, _ change: OrgChangeRequest, by principal: Principal, now: Date) async throws
        -> OrgAdminOutcome
    func restrictedPersons(for principal: Principal, lifted: Bool) async throws -> [RestrictedPerson]
    func liftRestriction(idNumber: String, note: String, by principal: Principal, now: Date) async throws
        -> RestrictionLiftOutcome
    func addStandardVersion(
        standardId: String, effectiveFrom: CalendarDate, change: StandardRuleChange, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome
    func addActivity(_ activity: ProtectionActivity, by principal: Principal, now: Date) async throws
        -> CatalogueOutcome
    func changeActivity(
        id: String, name: String?, subtype: String?, minRatePercent: Int?, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome
    func addStandard(_ standard: ClaimStandard, by principal: Principal, now: Date) async throws -> CatalogueOutcome
    func setMaterialItem(
        claimType: ClaimType, _ item: MaterialRequirement, sortOrder: Int?, by principal: Principal, now: Date
    ) async throws -> CatalogueOutcome
    func removeMaterialItem(claimType: ClaimType, item: String, by principal: Principal, now: Date) async throws
        -> CatalogueOutcome
    func setDisabilityGrade(_ grade: DisabilityGrade, by principal: Principal, now: Date) async throws
        -> CatalogueOutcome

    // Unit registration
    /// The photos go to `content` (read-only files by SHA-256), the rest to the database.
    func submitRegistration(
        id: String, _ request: RegistrationRequest, by principal: Principal?, content: any BlobStore,
        now: Date
    ) async throws -> Result<RegistrationStatus, ServerError>
    func registrationStatus(id: String) async throws -> RegistrationStatus?
    /// A certificate photo of a registration the principal may review.
    func registrationPhoto(id: String, _ kind: RegistrationPhoto, by principal: Principal) async throws -> StoredPhoto?

    // Sync
    /// Applies a batch in one durable transaction; each change id is handled once per account.
    func push(_ changes: [Change], by principal: Principal, now: Date) async throws -> [ChangeResult]
    func pull(for principal: Principal, after cursor: Int64, limit: Int) async throws -> PullResponse
    /// The same page with the stored JSON left as it is, for the pull route.
    func pullPage(for principal: Principal, after cursor: Int64, limit: Int) async throws -> FeedPage
    func checksum(for principal: Principal) async throws -> ChecksumResponse
    /// Nil for a table that has no checksum.
    func checksumPage(for principal: Principal, table: String, after: String, limit: Int) async throws -> ChecksumPage?

    // Material uploads (tus)
    func createUpload(
        materialId: String, length: Int64, sha256: String, by principal: Principal,
        now: Date
    ) async throws -> Result<UploadInfo, ServerError>
    /// Why the principal may not upload this material's file now (`already_uploaded` among
    /// them); nil when it may.
    func uploadRefusal(materialId: String, length: Int64, sha256: String, by principal: Principal)
        async throws -> ServerError?
    /// Verifies a material whose whole file came with its upload's creation and is stored;
    /// answers a refusal that arose meanwhile, nil when the material counts.
    func verifyWholeFile(
        materialId: String, length: Int64, sha256: String, by principal: Principal, now: Date,
        contentIsStored: @escaping @Sendable (any SQLConnection) throws -> Bool
    ) async throws -> ServerError?
    func upload(id: String, by principal: Principal, now: Date) async throws -> UploadLookup
    /// One request at a time holds an upload (compare-and-set of a lease in its row).
    func takeUpload(id: String, by principal: Principal, lease: UploadLease, now: Date) async throws -> UploadTake
    func renewUpload(id: String, lease: UploadLease, now: Date) async throws -> Bool
    func releaseUpload(id: String, lease: UploadLease) async throws
    /// Compare-and-set of the offset under the lease; nil when it did not apply.
    func advanceUpload(
        id: String, lease: UploadLease, from: Int64, to offset: Int64, completed: Bool,
        now: Date
    ) async throws -> Date?
    /// Removes exactly this completed upload and verifies its material, or throws.
    func completeUpload(
        _ upload: UploadInfo, lease: UploadLease, now: Date,
        contentIsStored: @escaping @Sendable (any SQLConnection) throws -> Bool) async throws
    func deleteUpload(id: String, lease: UploadLease) async throws -> Bool
    func sweepExpiredUploads(now: Date) async throws -> [String]
    func openUploadIds() async throws -> Set<String>
    func isReachable() async -> Bool
    func heartbeat(run: String, now: Date, retiring: String?) async throws
    func readableMaterial(id: String, by principal: Principal) async throws -> (sha256: String, contentType: String)?

    // Content store (material files and certificate photos)
    /// Removes (through `remove`) the candidates neither a material_blob row nor a completed
    /// upload records; answers how many.
    func removeUnrecordedContent(
        _ candidates: [String], remove: @escaping @Sendable (String, any SQLConnection) throws -> Void
    )
        async throws -> Int
    /// Removes (through `remove`) content nothing has referred to for `grace`; answers the hashes.
    func sweepContent(
        grace: TimeInterval, now: Date, remove: @escaping @Sendable (String, any SQLConnection) throws -> Void
    ) async throws
        -> [String]
    func legacyCertificatePhotoHashes() async throws -> [String]
    func moveCertificatePhoto(
        sha256: String, now: Date, store: @escaping @Sendable (Data, any SQLConnection) throws -> Bool) async throws

    // Administration
    func addOrg(_ org: NewOrg) async throws
    func addMember(_ member: NewMember, now: Date) async throws
    func addAccount(_ account: NewAccount, now: Date) async throws -> String
    func addActivity(_ activity: ProtectionActivity, now: Date) async throws
    func addMaterialItem(claimType: ClaimType, _ item: MaterialRequirement, sortOrder: Int, now: Date) async throws
    func addEnrolment(_ enrolment: NewEnrolment, now: Date) async throws
    func memberId(idNumber: String) async throws -> String?
    func isEmpty() async throws -> Bool
}

public struct StoredAccount: Sendable {
    public var id: String
    /// The account's own login (a member may have signed in with their mobile).
    public var login: String
    public var passwordHash: String
    public var mustChangePassword: Bool
    /// Disabled by staff: the password is still checked (the answer tells nothing to a guesser),
    /// then the login is refused.
    public var disabled = false
}

public enum SessionLookup: Sendable {
    case valid(Principal)
    case expired
    case missing
}

public struct NewOrg: Sendable {
    public var id: String
    public var parentId: String?
    public var level: OrgLevel
    public var code: String?
    public var name: String
    public init(id: String, parentId: String?, level: OrgLevel, code: String? = nil, name: String) {
        self.id = id
        self.parentId = parentId
        self.level = level
        self.code = code
        self.name = name
    }
}

public struct NewMember: Sendable {
    public var id: String
    public var unitId: String
    public var name: String
    public var idNumber: String
    public var mobile: String?
    public init(id: String, unitId: String, name: String, idNumber: String, mobile: String? = nil) {
        self.id = id
        self.unitId = unitId
        self.name = name
        self.idNumber = idNumber
        self.mobile = mobile
    }
}

public struct NewAccount: Sendable {
    public var login: String
    public var role: Role
    public var orgId: String
    public var name: String
    public var memberId: String?
    public var passwordHash: String
    public var mustChangePassword: Bool
    public init(
        login: String, role: Role, orgId: String, name: String, memberId: String?,
        passwordHash: String, mustChangePassword: Bool = false
    ) {
        self.login = login
        self.role = role
        self.orgId = orgId
        self.name = name
        self.memberId = memberId
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
    }
}

public struct NewEnrolment: Sendable {
    public var id: String
    public var memberId: String
    public var activityId: String
    public var period: ProtectionPeriod
    public var shares: Int
    public var relation: String
    public var renewal: Bool
    public init(
        id: String, memberId: String, activityId: String, period: ProtectionPeriod, shares: Int,
        relation: String = "本人", renewal: Bool = false
    ) {
        self.id = id
        self.memberId = memberId
        self.activityId = activityId
        self.period = period
        self.shares = shares
        self.relation = relation
        self.renewal = renewal
    }
}
