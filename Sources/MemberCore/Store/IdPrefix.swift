/// Records named by the first characters of their id (claims, enrolment applications).
enum IdPrefix {
    /// `id` starts with the text bound to `?1`, as a range of the primary key: an index lookup,
    /// where `LIKE` scanned every row. Ids are written lower-case, so the prefix is lower-cased
    /// (a reference typed in capitals still names its record; `%` and `_` are no wildcards).
    /// U+10FFFF (`char(1114111)`) sorts after every character an id can hold.
    static let condition = "id >= lower(?1) AND id < lower(?1) || char(1114111)"
}
