/// One result row. A column read as the wrong type, or a NULL read as a non-optional, throws
/// `SQLColumnError` (naming the column, never the value) instead of stopping the process.
public struct SQLRow: Sendable {
    /// Lower-cased column names, shared by every row of one result.
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ index: Int) -> SQLValue { values[index] }

    /// The value of a column by name (case-insensitive, as both stores treat names).
    public func value(_ name: String) throws -> SQLValue {
        // Callers mostly name columns in lower case already: no new string on that path.
        guard let index = columns.firstIndex(of: name) ?? columns.firstIndex(of: name.lowercased()) else {
            throw SQLColumnError(column: name)
        }
        return values[index]
    }

    public subscript<T: SQLReadable>(_ name: String) -> T {
        get throws {
            guard let value = T(sqlValue: try value(name)) else { throw SQLColumnError(column: name) }
            return value
        }
    }

    public subscript<T: SQLReadable>(_ name: String) -> T? {
        get throws {
            let stored = try value(name)
            if stored == .null { return nil }
            guard let value = T(sqlValue: stored) else { throw SQLColumnError(column: name) }
            return value
        }
    }

    public subscript<T: SQLReadable>(_ index: Int) -> T {
        get throws {
            guard let value = T(sqlValue: values[index]) else { throw SQLColumnError(column: "#\(index)") }
            return value
        }
    }

    public subscript<T: SQLReadable>(_ index: Int) -> T? {
        get throws {
            if values[index] == .null { return nil }
            guard let value = T(sqlValue: values[index]) else { throw SQLColumnError(column: "#\(index)") }
            return value
        }
    }
}

/// A column missing from a result or holding another type: a damaged row or a wrong query,
/// never a client mistake.
public struct SQLColumnError: Error, CustomStringConvertible {
    public let column: String
    public var description: String { "column \(column) is missing or holds an unexpected type" }
}
