import Foundation
import Hummingbird
import MutualAidDomain
import NIOCore
import SyncProtocol
import Zstd

/// Reading and writing JSON bodies: size limits, gzip either way, and decoding errors turned
/// into 400s that say what was wrong (never a 500 for a client mistake).
enum JSONBody {
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, limit: Int = ProtocolVersion.maxBodyBytes,
        fast: ((Data) -> T?)? = nil
    ) async throws -> T {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("application/json")
        else {
            throw ServerError.unsupportedMedia
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServerError.bodyTooLarge
        }
        var data = Data(buffer.readableBytesView)
        if let encoding = request.headers[.contentEncoding]?.lowercased() {
            guard encoding == "gzip" else {
                throw ServerError(.unsupportedMediaType, "unsupported_encoding", "不支持的内容编码，只接受 gzip")
            }
            do {
                data = try Gzip.decompress(data, limit: ProtocolVersion.maxInflatedBytes)
            } catch .tooLarge {
                throw ServerError.bodyTooLarge
            } catch {
                throw ServerError.badRequest("gzip 内容已损坏", code: "corrupt_body")
            }
        }
        if let value = fast?(data) { return value }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ServerError.badRequest("请求内容格式不正确：\(describe(error))", code: "malformed_json")
        }
    }

    /// Says where the problem is (a key path), never what value was sent.
    static func describe(_ error: DecodingError) -> String {
        func path(_ c: [any CodingKey]) -> String {
            c.isEmpty ? "根对象" : c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let ctx): return "\(path(ctx.codingPath)) 的类型不对"
        case .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)) 不能为空"
        case .keyNotFound(let key, let ctx): return "缺少字段 \(path(ctx.codingPath + [key]))"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "不是有效的 JSON" : "\(path(ctx.codingPath))：\(ctx.debugDescription)"
        @unknown default: return "无法解析"
        }
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, for request: Request) throws
        -> Response
    {
        response(json: try JSONEncoder().encode(value), status: status, for: request)
    }

    /// zlib level 1: a 1 MB feed page deflates in a few milliseconds instead of tens (level 5),
    /// for about a tenth more bytes; the server's CPU is shared by every syncing client.
    static let gzipLevel: Int32 = 1

    /// A body that is JSON already (a feed page written by hand), packed in the coding the
    /// client prefers (`ContentCoding`): zstd for member-cli, gzip for most other clients.
    static func response(json: some Collection<UInt8>, status: HTTPResponse.Status = .ok, for request: Request)
        -> Response
    {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        // A packing failure (memory) sends the body as it is rather than failing the request.
        if json.count > 1024, let coding = ContentCoding.preferred(acceptEncoding: request.headers[.acceptEncoding]),
            let packed = pack(json, coding)
        {
            headers[.contentEncoding] = coding.rawValue
            return Response(status: status, headers: headers, body: .init(byteBuffer: packed))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    private static func pack(_ json: some Collection<UInt8>, _ coding: ContentCoding) -> ByteBuffer? {
        switch coding {
        case .zstd: (try? Zstd.compress(json, level: 1)).map { ByteBuffer(bytes: $0) }
        case .gzip: (try? Gzip.compress(Data(json), level: gzipLevel)).map { ByteBuffer(bytes: $0) }
        }
    }
}
