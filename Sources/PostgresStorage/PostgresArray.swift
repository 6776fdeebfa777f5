/// A text array as PostgreSQL's array literal (`{"a","b",NULL}`), bound as one text value and
/// cast in the statement (`CAST(? AS text[])`): a batch's rows go as one statement with a few
/// values instead of one multi-row statement per hundred rows, each a round trip.
public enum PostgresArray {
    public static func literal(_ elements: [String?]) -> String {
        var out = "{"
        out.reserveCapacity(elements.count * 24)
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            guard let element else {
                out += "NULL"
                continue
            }
            out += "\""
            // Inside double quotes only the quote and the backslash need escaping.
            if element.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for character in element.unicodeScalars {
                    if character == "\"" || character == "\\" { out += "\\" }
                    out.unicodeScalars.append(character)
                }
            } else {
                out += element
            }
            out += "\""
        }
        return out + "}"
    }
}
