import Foundation

/// One list's spreadsheet, described once per view type: the sheet's name and, per column, its
/// title, width, whether it is text (ID numbers, mobiles, accounts, codes keep every digit) and
/// how a row fills it. Every list command's `--xlsx FILE` writes through one of these.
public struct ListSheet<Row>: Sendable {
    public struct Column: Sendable {
        let column: ListExport.Column
        let value: @Sendable (Row) -> String

        /// A column a spreadsheet may read as a number or date.
        public static func plain(_ title: String, width: Double, _ value: @escaping @Sendable (Row) -> String) -> Column
        {
            Column(column: .init(title, width: width), value: value)
        }

        /// A column kept as text: long digit strings stay whole.
        public static func text(_ title: String, width: Double, _ value: @escaping @Sendable (Row) -> String) -> Column
        {
            Column(column: .init(title, width: width, text: true), value: value)
        }
    }

    public let name: String
    public let columns: [Column]

    public init(_ name: String, _ columns: [Column]) {
        self.name = name
        self.columns = columns
    }

    public func write(_ rows: [Row], to path: String) throws {
        try ListExport.write(
            path, sheet: name, columns: columns.map(\.column), rows: rows.map { row in columns.map { $0.value(row) } })
    }
}
