import Foundation

/// Where and how the HTTP SMS gateway posts (`sync-server serve --sms-gateway-…`). Checked once
/// at start, so a typo in the template or a header stops the server instead of every message.
public struct SMSGatewayConfiguration: Sendable {
    /// The body of each POST: `{mobile}`, `{text}` and `{id}` are replaced by the message's values,
    /// JSON-escaped, so they belong inside the template's string quotes.
    public static let defaultTemplate = #"{"mobile":"{mobile}","text":"{text}","id":"{id}"}"#

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public let url: String
    /// The provider's headers (authentication), then ours unless given: Content-Type and
    /// Idempotency-Key.
    public let headers: [HTTPHeaderLine]
    public let template: String
    /// The longest one POST may take, connection included.
    public let timeout: TimeInterval
    public let caFile: String?
    /// A failed message waits `retryBase`, doubling with each failure, at most `retryCap`.
    var retryBase: TimeInterval = 1
    var retryCap: TimeInterval = 60
    /// How often the outbox is looked at for new and due messages.
    var pollInterval: Duration = .seconds(1)
    /// How long a claim on a message outlasts the longest post (a connection and a transfer,
    /// each `timeout`): past it, another instance takes the message as its poster's crash.
    var leaseMargin: TimeInterval = 30

    /// `headers` as given on the command line, each `Name: value`.
    public init(
        url: String, headers: [String] = [], template: String = Self.defaultTemplate, timeout: TimeInterval = 10,
        caFile: String? = nil
    ) throws(Invalid) {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
            !(parsed.host ?? "").isEmpty
        else { throw Invalid(description: "短信网关地址应为 http:// 或 https:// 开头的完整地址") }
        guard timeout > 0 else { throw Invalid(description: "短信网关超时应大于 0 秒") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw Invalid(description: "读不到短信网关的 CA 证书文件：\(caFile)")
        }
        self.url = url
        self.headers = try headers.map { line throws(Invalid) in try Self.header(line) }
        self.template = template
        self.timeout = timeout
        self.caFile = caFile
        let sample = SMSTemplate.render(
            template, mobile: "13800000000", text: "\"示例\"\\\n{id}", id: "1-20260101000000000")
        guard (try? JSONSerialization.jsonObject(with: Data(sample.utf8))) != nil else {
            throw Invalid(description: "短信网关正文模板代入后不是合法的 JSON：占位符 {mobile} {text} {id} 应写在引号内")
        }
    }

    /// `Name: value`, a token name and a value on one line (no header injection).
    static func header(_ line: String) throws(Invalid) -> HTTPHeaderLine {
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard let colon = line.firstIndex(of: ":"), !line.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" })
        else {
            throw Invalid(description: "短信网关请求头应写作 \"名称: 值\"")
        }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ tokenCharacters.contains($0) }) else {
            throw Invalid(description: "短信网关请求头的名称无效")
        }
        return HTTPHeaderLine(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// The provider's own address without path, query or credentials, for the log.
    public var displayAddress: String {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, let host = parsed.host else {
            return "?"
        }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }

    /// How long a message waits after its `failures`th failed post.
    func retryDelay(afterFailures failures: Int) -> TimeInterval {
        min(retryCap, retryBase * pow(2, Double(min(max(failures - 1, 0), 30))))
    }
}

/// The body template's substitution: one pass, so a text that itself contains `{id}` stays text.
enum SMSTemplate {
    static func render(_ template: String, mobile: String, text: String, id: String) -> String {
        let values = [("{mobile}", mobile), ("{text}", text), ("{id}", id)]
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let tail = rest[open...]
            if let (placeholder, value) = values.first(where: { tail.hasPrefix($0.0) }) {
                out += jsonEscaped(value)
                rest = tail.dropFirst(placeholder.count)
            } else {
                out += "{"
                rest = tail.dropFirst()
            }
        }
        return out + rest
    }

    /// The inside of a JSON string literal holding `value` (UTF-8 left as it is).
    static func jsonEscaped(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
