import Foundation
import Logging
import ServiceLifecycle

/// The HTTP SMS gateway: drains `sms_outbox` by posting each message to the provider, inside
/// `sync-server serve`'s service group. Messages are still written by `SMSOutbox` in the
/// business change's transaction; this service only passes them on, so nothing is lost while
/// the provider is down: a failed post (refused, timed out, non-2xx) is tried again after a
/// back-off doubling up to a cap, and the operator's `sms list` shows the message until then.
///
/// Delivery is at least once. A post is marked delivered only after the provider's 2xx; a crash
/// (or a lost database write) between the two posts the message again once its lease runs out.
/// Every post of one message carries the same `{id}` and Idempotency-Key, so a provider that
/// keeps them drops the repeat. Two processes on one store never post one message at the same
/// time: each post holds a lease on its row (`claimSMS`), longer than a post can take.
public struct SMSDeliveryService: Service {
    let store: SQLCaseStore
    let configuration: SMSGatewayConfiguration
    let logger: Logger
    let client: CurlPost

    /// At most this many messages are looked at per pass before the outbox is read again.
    static let batch = 20

    public init(store: SQLCaseStore, configuration: SMSGatewayConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        client = CurlPost(timeout: configuration.timeout, caFile: configuration.caFile)
    }

    /// Passes until the server drains: a pass now, then one every `pollInterval` (new messages go
    /// out within about that long). A drain lets the post in flight finish, at most `timeout`.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var full = false
            do {
                full = try await deliverDue() == Self.batch
            } catch is CancellationError {
                return
            } catch {
                logger.error("sms gateway: reading the outbox failed", metadata: ["error": "\(error)"])
            }
            if full { continue }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.pollInterval) }
        }
    }

    /// One pass over the due messages; returns how many were due.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await store.dueSMS(now: Date(), limit: Self.batch)
        for id in due {
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            let now = Date()
            // Longer than any post: a connection and a transfer each bounded by `timeout`.
            let lease = now.addingTimeInterval(configuration.timeout * 2 + configuration.leaseMargin)
            guard let message = try await store.claimSMS(id: id, now: now, leaseUntil: lease) else { continue }
            try await deliver(message)
        }
        return due.count
    }

    /// Posts one claimed message and records the outcome. A cancelled post records nothing: its
    /// lease runs out and the message is due again.
    func deliver(_ message: ClaimedSMS) async throws {
        let failure: String
        do {
            let status = try await client.post(
                url: configuration.url, headers: headers(for: message), body: body(for: message))
            if (200..<300).contains(status) {
                // The same redaction as the operator's `sms delivered`: the secret goes now.
                try await store.markSMSDelivered(ids: [message.id], now: Date())
                logger.info("sms delivered", metadata: ["sms": "\(message.id)", "attempt": "\(message.attempts + 1)"])
                return
            }
            failure = "HTTP \(status)"
        } catch let error as CurlPost.Failure {
            failure = error.description
        }
        let retryAt = Date().addingTimeInterval(configuration.retryDelay(afterFailures: message.attempts + 1))
        try await store.recordSMSFailure(message, error: failure, retryAt: retryAt)
        logger.warning(
            "sms not delivered, will retry",
            metadata: [
                "sms": "\(message.id)", "attempt": "\(message.attempts + 1)", "error": "\(failure)",
                "retryAt": "\(Timestamp.format(retryAt))",
            ])
    }

    func body(for message: ClaimedSMS) -> Data {
        Data(
            SMSTemplate.render(
                configuration.template, mobile: message.mobile, text: message.text, id: message.deliveryKey
            ).utf8)
    }

    /// The configured headers, then Content-Type and Idempotency-Key unless configured.
    func headers(for message: ClaimedSMS) -> [HTTPHeaderLine] {
        var headers = configuration.headers
        let named = Set(headers.map { $0.name.lowercased() })
        if !named.contains("content-type") {
            headers.append(HTTPHeaderLine(name: "Content-Type", value: "application/json; charset=utf-8"))
        }
        if !named.contains("idempotency-key") {
            headers.append(HTTPHeaderLine(name: "Idempotency-Key", value: message.deliveryKey))
        }
        return headers
    }
}
