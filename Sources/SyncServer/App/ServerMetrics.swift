import Foundation
import Hummingbird
import Logging
import Prometheus

/// What operators watch (Prometheus text format at `/metrics` on a port of its own): requests
/// by route and status, push and pull latency, upload bytes received, and the database pool.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Answers (open, leased, capacity) of the database pool, when the store has one.
    private let pool: (@Sendable () async -> (open: Int, leased: Int, capacity: Int))?

    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init(pool: (@Sendable () async -> (open: Int, leased: Int, capacity: Int))? = nil) {
        self.pool = pool
    }

    func request(method: String, route: String, status: Int) {
        registry.makeCounter(
            descriptor: Self.name("requests", unit: "total", help: "HTTP requests answered, by route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
    }

    func sync(_ operation: String, took duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("sync_duration", unit: "seconds", help: "push and pull request latency"),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    func uploaded(bytes: Int64) {
        registry.makeCounter(
            descriptor: Self.name("upload", unit: "bytes_total", help: "material bytes received by tus PATCH")
        ).increment(by: bytes)
    }

    /// The exposition text, with the pool's gauges read now.
    public func exposition() async -> String {
        if let pool {
            let usage = await pool()
            for (state, value) in [("open", usage.open), ("leased", usage.leased), ("capacity", usage.capacity)] {
                registry.makeGauge(
                    descriptor: Self.name("database_connections", unit: "", help: "database pool connections"),
                    labels: [("state", state)]
                ).set(Double(value))
            }
        }
        return registry.emitToString()
    }

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "sync_server", metricName: metric, unitName: unit, helpText: help)
    }
}

/// Counts every answer by the route it matched (never the raw path: ids would explode the
/// label set), and times pushes and pulls.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: started)
            if request.method == .patch, response.status == .noContent,
                let length = request.headers[.contentLength].flatMap({ Int64($0) })
            {
                metrics.uploaded(bytes: length)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, status: status, since: started)
            throw error
        }
    }

    private func record(
        _ request: Request, _ context: AppRequestContext, status: Int, since started: ContinuousClock.Instant
    ) {
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: status)
        if route.hasSuffix("/sync/push") { metrics.sync("push", took: .now - started) }
        if route.hasSuffix("/sync/pull") { metrics.sync("pull", took: .now - started) }
    }
}

/// The metrics endpoint, plain HTTP on a port of its own (keep it off the public interface).
public func buildMetricsApplication(metrics: ServerMetrics, host: String, port: Int, logger: Logger)
    -> some ApplicationProtocol
{
    let router = Router()
    router.get("metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: await metrics.exposition())))
    }
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "sync-server-metrics"),
        logger: logger)
}
