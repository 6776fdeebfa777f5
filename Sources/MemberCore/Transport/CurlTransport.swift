import CCurl
import Dispatch
import Foundation

/// libcurl easy interface. One handle, reused so keep-alive connections carry a whole sync;
/// each transfer runs on a private serial queue, off Swift's cooperative pool.
final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let queue = DispatchQueue(label: "member-core.curl")
    private let tls: TLSSettings
    private var handle: UnsafeMutableRawPointer?  // CURL*, touched only on `queue`
    /// The last answer's body size per method and path, touched only on `queue`: a body is
    /// given that much room before it comes, so a pull page (a megabyte) is not copied each
    /// time it outgrows its buffer.
    private var bodySizes: [String: Int] = [:]

    /// At the first transfer, not at start-up: loading libcurl is what an offline command
    /// would otherwise pay for nothing.
    private static let globalInit: Void = { _ = ccurl_global_init() }()

    /// Loads libcurl on another thread, for a command that is about to use the network: the
    /// loading (some thirty libraries, a few milliseconds) then overlaps opening the store.
    static func preload() {
        DispatchQueue.global().async { _ = globalInit }
    }

    init(tls: TLSSettings) {
        self.tls = tls
    }

    deinit {
        if let handle { ccurl_easy_cleanup(handle) }
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let result: Result<HTTPResponse, TransportError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.perform(request)) }
        }
        return try result.get()
    }

    /// Collects the response as libcurl delivers it; passed to the C callbacks as userdata.
    private final class Sink {
        var body = Data()
        var headers: [String: String] = [:]
        var upload: Data
        var uploadOffset = 0
        init(upload: Data, expectedBody: Int) {
            self.upload = upload
            body.reserveCapacity(expectedBody)
        }
    }

    private func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportError> {
        if handle == nil {
            _ = Self.globalInit
            handle = ccurl_easy_init()
        }
        guard let h = handle else {
            let why = ccurl_load_error().map { String(cString: $0) } ?? "curl_easy_init failed"
            return .failure(.other("无法加载网络库 libcurl（\(why)）：请安装 libcurl4（apt-get install -y libcurl4）后重试"))
        }
        ccurl_easy_reset(h)
        let route = request.method + " " + (request.url.split(separator: "?", maxSplits: 1).first ?? "")
        let sink = Sink(upload: request.body ?? Data(), expectedBody: bodySizes[route] ?? 0)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { ccurl_slist_free_all(headerList) }

        _ = ccurl_setopt_string(h, CURLOPT_URL, request.url)
        _ = ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        _ = ccurl_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = tls.caFile { _ = ccurl_setopt_string(h, CURLOPT_CAINFO, ca) }
        if let pin = tls.pinnedPublicKey { _ = ccurl_setopt_string(h, CURLOPT_PINNEDPUBLICKEY, pin) }
        if let local = tls.localAddress { _ = ccurl_setopt_string(h, CURLOPT_INTERFACE, "host!\(local)") }
        // "": curl offers every coding it can unpack (zstd where it is built with it, gzip
        // always) and unpacks the answer itself; the server picks zstd when it is offered.
        _ = ccurl_setopt_string(h, CURLOPT_ACCEPT_ENCODING, "")
        _ = ccurl_setopt_string(h, CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "HEAD" { _ = ccurl_setopt_long(h, CURLOPT_NOBODY, 1) }

        // An empty Expect: header: the server does not answer 100-continue, and waiting for it
        // costs a second per large upload.
        for (name, value) in request.headers + [("Expect", "")] {
            headerList = ccurl_slist_append(headerList, "\(name): \(value)")
        }
        _ = ccurl_setopt_pointer(h, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))

        if request.body != nil {
            _ = ccurl_setopt_long(h, CURLOPT_UPLOAD, 1)
            _ = ccurl_setopt_offt(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(sink.upload.count))
            _ = ccurl_setopt_read_callback(h) { buffer, size, count, userdata in
                let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
                let n = min(size * count, sink.upload.count - sink.uploadOffset)
                if n > 0, let buffer {
                    sink.upload.withUnsafeBytes { raw in
                        UnsafeMutableRawPointer(buffer).copyMemory(
                            from: raw.baseAddress! + sink.uploadOffset, byteCount: n)
                    }
                    sink.uploadOffset += n
                }
                return n
            }
            _ = ccurl_setopt_pointer(h, CURLOPT_READDATA, sinkPointer)
        }
        _ = ccurl_setopt_write_callback(h) { data, size, count, userdata in
            let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
            if let data {
                sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            }
            return size * count
        }
        _ = ccurl_setopt_pointer(h, CURLOPT_WRITEDATA, sinkPointer)
        _ = ccurl_setopt_header_callback(h) { data, size, count, userdata in
            let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
            if let data,
                let line = String(bytes: UnsafeRawBufferPointer(start: data, count: size * count), encoding: .utf8),
                let colon = line.firstIndex(of: ":")
            {
                let name = line[..<colon].lowercased()
                sink.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return size * count
        }
        _ = ccurl_setopt_pointer(h, CURLOPT_HEADERDATA, sinkPointer)

        let code = ccurl_easy_perform(h)
        guard code == CURLE_OK else { return .failure(Self.classify(code)) }
        var status = 0
        _ = ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        bodySizes[route] = sink.body.count
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
    }

    static func classify(_ code: CURLcode) -> TransportError {
        let text = String(cString: ccurl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .unreachable(text)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
            CURLE_SSL_CONNECT_ERROR:  // a link dropped mid-handshake; bad certificates are code 60
            return .connectionLost
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .pinMismatch
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .tls(text)
        default:
            return .other(text)
        }
    }
}
