/// Turns a worksheet part (sheetN.xml) into rows of strings.
struct WorksheetParser {
    let strings: [String]

    private struct Cell {
        var column: Int
        var type = "n"
        var value = ""
        var inline = ""
    }

    func parse(_ bytes: [UInt8]) throws(OfficeFormatError) -> [[String]] {
        var scanner = XMLScanner(bytes)
        var rows: [[String]] = []
        var row: [String] = []
        var rowIndex = -1
        var cell: Cell?
        var capture: String?  // which element's text we are inside: "v", "t" (inline) or nil
        var phoneticDepth = 0
        var cellCount = 0

        func store(_ cell: Cell) throws(OfficeFormatError) {
            let text = display(cell)
            if cell.column >= row.count {
                if text.isEmpty { return }
                cellCount += cell.column - row.count + 1
                guard cellCount <= XLSXReader.maxCells else { throw .tableTooLarge }
                row += Array(repeating: "", count: cell.column - row.count)
                row.append(text)
            } else {
                row[cell.column] = text
            }
        }

        while let event = try scanner.next() {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                switch name {
                case "row":
                    // Rows without r simply follow the previous one.
                    var index = rowIndex + 1
                    if let r = attributes["r"] {
                        guard let n = Int(r), n >= 1, n <= 1_048_576 else { throw .corruptWorkbook }
                        index = n - 1
                    }
                    guard index > rowIndex else { throw .corruptWorkbook }
                    if index > rows.count {
                        rows += Array(repeating: [], count: index - rows.count)
                    }
                    rowIndex = index
                    row = []
                    if selfClosing { rows.append(row) }
                case "c":
                    var column = row.count
                    if let ref = attributes["r"] {
                        guard let c = Self.column(of: ref) else { throw .corruptWorkbook }
                        column = c
                    }
                    let new = Cell(column: column, type: attributes["t"] ?? "n")
                    if selfClosing { try store(new) } else { cell = new }
                case "v": if !selfClosing { capture = "v" }
                case "t": if !selfClosing, cell != nil { capture = "t" }
                case "rPh": if !selfClosing { phoneticDepth += 1 }
                default: break
                }
            case .end(let name):
                switch name {
                case "row":
                    while row.last == "" { row.removeLast() }
                    if rowIndex >= 0 { rows.append(row) }
                    row = []
                case "c":
                    if let finished = cell { try store(finished) }
                    cell = nil
                case "v", "t": capture = nil
                case "rPh": phoneticDepth -= 1
                default: break
                }
            case .text(let text):
                guard cell != nil, let capture else { break }
                if capture == "v" { cell?.value += text } else if phoneticDepth == 0 { cell?.inline += text }
            }
        }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows
    }

    private func display(_ cell: Cell) -> String {
        switch cell.type {
        case "s":
            guard let i = Int(cell.value.trimmingSpaces), i >= 0, i < strings.count else { return "" }
            return strings[i]
        case "inlineStr":
            return OOXMLEscapes.decode(cell.inline)
        case "str", "e":
            return OOXMLEscapes.decode(cell.value)
        case "b":
            let v = cell.value.trimmingSpaces
            return v == "1" ? "TRUE" : v == "0" ? "FALSE" : v
        default:
            return Self.number(cell.value.trimmingSpaces)
        }
    }

    /// "175" and "175.0" read 175; fractions and exponent forms come back as written.
    static func number(_ raw: String) -> String {
        guard let dot = raw.firstIndex(of: "."), !raw.contains(where: { $0 == "e" || $0 == "E" }) else { return raw }
        let fraction = raw[raw.index(after: dot)...]
        if !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) { return String(raw[..<dot]) }
        return raw
    }

    /// Zero-based column of a reference such as "C12"; nil when it is not one.
    static func column(of ref: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in ref.unicodeScalars {
            switch scalar.value {
            case 65...90: column = column * 26 + Int(scalar.value - 64)
            case 97...122: column = column * 26 + Int(scalar.value - 96)
            case 48...57:
                guard letters > 0 else { return nil }
                return column <= 16_384 ? column - 1 : nil
            default: return nil
            }
            letters += 1
            if letters > 3 { return nil }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
