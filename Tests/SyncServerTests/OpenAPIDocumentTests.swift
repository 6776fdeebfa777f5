import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import SyncServer

/// docs/openapi.json describes exactly the routes the server registers.
@Suite struct OpenAPIDocumentTests {
    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.json")

    @Test func documentMatchesRegisteredRoutes() async throws {
        let dir = Scratch.directory("openapi")
        let store = try SQLCaseStore(path: dir.appendingPathComponent("s.sqlite").path)
        let router = try buildRouter(
            store: store,
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0,
                certificatePath: "", privateKeyPath: "",
                dataDirectory: dir))
        let registered = Set(
            router.routes.map { route -> String in
                let path = route.path.description
                return "\(route.method.rawValue) \(path.hasPrefix("/") ? path : "/" + path)"
            })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.document)) as! [String: Any]
        #expect((json["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = json["paths"] as! [String: [String: Any]]
        let documented = Set(
            paths.flatMap { path, ops in
                ops.keys.filter { ["get", "post", "put", "patch", "delete", "head", "options"].contains($0) }
                    .map { "\($0.uppercased()) \(path)" }
            })
        #expect(!registered.isEmpty)
        #expect(documented == registered)
    }
}
