import CCurl
import Dispatch
import Foundation

/// One HTTP POST through libcurl, for the SMS gateway. The server does not link MemberCore (whose
/// transport is the client's), so this is its own small helper: a blocking `curl_easy_perform`
/// on a Dispatch queue behind a continuation, so a slow provider never holds a thread of Swift's
/// cooperative pool. Only the status counts: the answer's body is read and dropped.
struct CurlPost: Sendable {
    /// No status came back (refused, timed out, TLS…). The description names the failure only,
    /// never the URL or the body, so it can be stored and logged.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The whole transfer, connection included, ends after this long.
    let timeout: TimeInterval
    /// A PEM bundle to trust instead of the system's (a provider on a private CA).
    let caFile: String?

    private static let globalInit: Void = { _ = ccurl_global_init() }()
    private static let queue = DispatchQueue(label: "sync-server.curl-post", attributes: .concurrent)

    /// The answer's status code; throws `Failure` when none came, or `CancellationError` when
    /// the task was cancelled mid-transfer (libcurl stops within about a second).
    func post(url: String, headers: [HTTPHeaderLine], body: Data) async throws -> Int {
        _ = Self.globalInit
        let transfer = Transfer()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int, any Error>, Never>) in
                Self.queue.async {
                    continuation.resume(returning: perform(url: url, headers: headers, body: body, transfer: transfer))
                }
            }
        } onCancel: {
            transfer.cancel()
        }
        return try result.get()
    }

    /// Set from the cancelling task, read by libcurl's progress callback on the queue.
    private final class Transfer: @unchecked Sendable {
        private let lock = NSLock()
        private var cancelled = false

        var isCancelled: Bool { lock.withLock { cancelled } }
        func cancel() { lock.withLock { cancelled = true } }
    }

    private func perform(url: String, headers: [HTTPHeaderLine], body: Data, transfer: Transfer) -> Result<
        Int, any Error
    > {
        guard let h = ccurl_easy_init() else {
            let why = ccurl_load_error().map { String(cString: $0) } ?? "curl_easy_init failed"
            return .failure(Failure(description: "libcurl (apt-get install -y libcurl4): \(why)"))
        }
        defer { ccurl_easy_cleanup(h) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { ccurl_slist_free_all(headerList) }

        _ = ccurl_setopt_string(h, CURLOPT_URL, url)
        _ = ccurl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
        // No signals from a worker thread (name resolution timeouts use them otherwise).
        _ = ccurl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        let milliseconds = max(1, Int(timeout * 1000))
        _ = ccurl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        _ = ccurl_setopt_long(h, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile { _ = ccurl_setopt_string(h, CURLOPT_CAINFO, caFile) }
        // An empty Expect: header: many servers never answer 100-continue, and curl would wait
        // a second for it before sending the body.
        for header in headers { headerList = ccurl_slist_append(headerList, "\(header.name): \(header.value)") }
        headerList = ccurl_slist_append(headerList, "Expect:")
        _ = ccurl_setopt_pointer(h, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        // Without a write callback curl would print the answer on stdout.
        _ = ccurl_setopt_write_callback(h) { _, size, count, _ in size * count }
        _ = ccurl_setopt_long(h, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_setopt_progress_callback(h) { userdata, _, _, _, _ in
            Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        _ = ccurl_setopt_pointer(h, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(transfer).toOpaque())

        let code = body.withUnsafeBytes { raw -> CURLcode in
            _ = ccurl_setopt_offt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
            _ = ccurl_setopt_pointer(h, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return ccurl_easy_perform(h)
        }
        switch code {
        case CURLE_OK:
            var status = 0
            _ = ccurl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
            return .success(status)
        case CURLE_ABORTED_BY_CALLBACK:
            return .failure(CancellationError())
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(Failure(description: "timed out after \(milliseconds) ms"))
        default:
            let text = String(cString: ccurl_easy_strerror(code))
            return .failure(Failure(description: "curl \(code.rawValue): \(text)"))
        }
    }
}

/// One request header, `Name: value`.
public struct HTTPHeaderLine: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
