import Crypto
import Foundation
import GRDB
import MutualAidDomain
import Testing

@testable import MemberCore
@testable import SyncServer

// MARK: - The OpenAPI document

/// docs/openapi.json, read once per test: every operation with its resolved parameters and
/// request body schema.
final class FuzzOpenAPI {
    struct Operation {
        let method: String
        let path: String
        let isPublic: Bool
        let parameters: [[String: Any]]
        let bodySchema: [String: Any]?
        let bodyType: String?
        let statuses: [String]
        var label: String { "\(method) \(path)" }
        func parameters(in place: String) -> [[String: Any]] { parameters.filter { $0["in"] as? String == place } }
    }

    let root: [String: Any]
    private(set) var operations: [Operation] = []

    init() throws {
        root = try JSONSerialization.jsonObject(with: Data(contentsOf: OpenAPIDocumentTests.document)) as! [String: Any]
        let globalSecurity = root["security"] as? [Any] ?? []
        let paths = root["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            let shared = item["parameters"] as? [Any] ?? []
            for method in ["get", "head", "post", "put", "patch", "delete", "options"] {
                guard let op = item[method] as? [String: Any] else { continue }
                let security = op["security"] as? [Any] ?? globalSecurity
                let body = resolve(op["requestBody"])
                let content = body["content"] as? [String: Any] ?? [:]
                let type = content.keys.sorted().first
                let schema = type.flatMap { (content[$0] as? [String: Any])?["schema"] }.map(resolve)
                operations.append(
                    Operation(
                        method: method.uppercased(), path: path, isPublic: security.isEmpty,
                        parameters: (shared + (op["parameters"] as? [Any] ?? [])).map(resolve),
                        bodySchema: schema, bodyType: type,
                        statuses: (op["responses"] as? [String: Any] ?? [:]).keys.sorted()))
            }
        }
    }

    /// Follows `$ref`s (keeping sibling keys such as a description) to a schema object.
    func resolve(_ value: Any?) -> [String: Any] {
        guard var object = value as? [String: Any] else { return [:] }
        for _ in 0..<16 {
            guard let ref = object["$ref"] as? String, ref.hasPrefix("#/") else { break }
            var node: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
            var target = node as? [String: Any] ?? [:]
            for (key, value) in object where key != "$ref" && target[key] == nil { target[key] = value }
            object = target
        }
        return object
    }

    /// The `code`-quoted words of a description: the values the document names for a field.
    static func hints(_ schema: [String: Any]) -> [String] {
        guard let text = schema["description"] as? String else { return [] }
        return text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 && !$0.element.contains(" ") && !$0.element.isEmpty }
            .map { String($0.element) }
    }
}
