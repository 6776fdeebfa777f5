/// Which recorded materials still need their bytes sent, one definition for the sync and for
/// `status`: not marked done, not refused, and not verified by the server already. A verified
/// material needs nothing sent whatever its mark says (the mark is written without an fsync
/// and a power cut may lose it; the pull brings the verification all the same).
enum PendingUploads {
    /// The rows, as `u` (material_upload) joined to `m` (claim_material).
    static let fromWhere = """
        FROM material_upload u JOIN claim_material m ON m.id = u.material_id
        WHERE u.done = 0 AND u.error IS NULL AND COALESCE(m.verified, 0) = 0
        """
}
