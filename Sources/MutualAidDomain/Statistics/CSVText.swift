/// CSV for spreadsheets: UTF-8 with a byte-order mark so Excel shows the Chinese, CRLF lines,
/// fields quoted only when they must be.
public enum CSVText {
    public static func document(_ lines: [[String]]) -> String {
        "\u{FEFF}" + lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
