import Foundation
import NIOCore
import NIOHTTPTypes

/// Bounds on connections and on the work they may start at once, so that neither slow or idle
/// clients nor a crowd of them can hold the server's memory or threads.
public struct ServerLimits: Sendable {
    /// A connection with no request in progress and nothing read for this long is closed. It also
    /// bounds a request head (its headers must arrive whole within it) and a stalled body.
    public var idleTimeout: Duration = .seconds(60)
    /// A request's body must arrive whole within this, however steadily it trickles. A cut
    /// upload is resumable: tus continues from the last stored chunk.
    public var requestReadTimeout: Duration = .seconds(300)
    /// Open connections; more wait in the listen backlog (then are refused) until one closes.
    public var maxConnections = 512
    /// Largest single read from a connection (and one read per event-loop turn). A request
    /// waiting for its turn (beyond `maxUploads` or `maxSyncRequests`) still has a fixed number
    /// of reads buffered before reading stops, so this bounds what it costs: measured with 200
    /// waiting 1 MiB pushes, about 0.4 MB each instead of 1.2 MB with NIO's defaults.
    public var readBufferBytes = 16 * 1024
    /// tus PATCHes handled at once, how many may wait, and for how long. Keep `uploadWait` below
    /// `idleTimeout`: a waiting PATCH reads nothing, and the idle timer would cut it.
    public var maxUploads = 16
    public var uploadQueue = 512
    public var uploadWait: Duration = .seconds(30)
    /// Sync requests (push, pull, checksum) handled at once, waiting, and how long: each one
    /// holds a batch or a page (and its gzip) in memory while it is handled.
    public var maxSyncRequests = max(8, 2 * ProcessInfo.processInfo.activeProcessorCount)
    public var syncQueue = 512
    public var syncWait: Duration = .seconds(30)
    /// scrypt checks at once (each takes 128 MiB at the standard cost), waiting, and how long.
    public var maxPasswordChecks = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
    public var passwordQueue = 64
    public var passwordWait: Duration = .seconds(10)

    public init() {}
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Sets a connection's read size (see `ServerLimits.readBufferBytes`) when its pipeline is built.
final class ReadSizeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    private let maximum: Int

    init(maximum: Int) { self.maximum = maximum }

    func handlerAdded(context: ChannelHandlerContext) {
        let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: min(2048, maximum), maximum: maximum)
        try? context.channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: allocator)
        // One read per event-loop turn: TLS hands on what one turn decrypted as a single part.
        try? context.channel.syncOptions?.setOption(ChannelOptions.maxMessagesPerRead, value: 1)
    }
}

/// Closes a connection whose request body has not arrived whole within the timeout (a slow
/// trickle keeps the idle timer quiet; this one counts from the request head, and keeps counting
/// when the answer went out early and the rest of the body is only being drained).
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
