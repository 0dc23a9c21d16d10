import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals
import Wire

/// Starts the oracle: `let reference = try await ReferenceServer.start(.init(faults: [.checkThenSet]))`.
public enum ReferenceServer {
    /// Runs until cancelled or until one of `signals` arrives; calls `onReady` once, when listening.
    /// `embedded` is the store to use when no Redis is configured (a caller that wants to cut it
    /// later passes its own); without one a fresh store is made.
    public static func run(
        _ configuration: ReferenceConfiguration,
        embedded: EmbeddedStore? = nil,
        signals: [UnixSignal] = [],
        onReady: @escaping @Sendable (ReferenceAddresses) -> Void
    ) async throws {
        var logger = Logger(label: "auditor.reference")
        logger.logLevel = configuration.logLevel

        let store: any JourneyStore
        let storeURL: String
        var embeddedServer: EmbeddedStoreServer?
        var bus: SocketBus?
        if let url = configuration.redisURL {
            // no-store-timeout: a command waits as long as Redis takes, up to the 30 s after which
            // a connection is given up (longer than any bound a probe holds a call to, short
            // enough that the instance can still shut down once its hung requests end).
            let redis = RedisStore(url: url, tls: configuration.redisTLS,
                                   timeout: configuration.faults.contains(.noStoreTimeout) ? .seconds(30) : configuration.storeTimeout,
                                   reconnect: !configuration.faults.contains(.noStoreReconnect))
            let redisBus = SocketBus(store: redis, logger: logger)
            bus = redisBus
            if !configuration.lazyRedis {
                do { try await redis.ping() } catch { throw ReferenceError.redisUnreachable(url: url.description, reason: "\(error)") }
                await redisBus.subscribeNow()
            }
            store = redis
            storeURL = url.description
        } else {
            let embedded = embedded ?? EmbeddedStore()
            let server = try await EmbeddedStoreServer.start(store: embedded, host: configuration.host)
            embeddedServer = server
            store = embedded
            storeURL = "redis://\(hostForURL(configuration.host)):\(server.port)"
        }
        defer { if let embeddedServer { Task { await embeddedServer.stop() } } }

        let events = EventPublisher(endpoint: configuration.eventBridgeEndpoint, faults: configuration.faults,
                                    variants: configuration.variants, logger: logger)
        let service = JourneyService(store: store, events: events, faults: configuration.faults, variants: configuration.variants,
                                     now: configuration.now, ttlScale: configuration.ttlScale)
        var socket = SocketIOEndpoint(service: service, faults: configuration.faults, bus: bus)
        socket.pingInterval = configuration.pingInterval
        let endpoint = socket

        let faults = configuration.faults.sorted().map(\.rawValue)
        let variants = configuration.variants
        let host = hostForURL(configuration.host)
        // onReady once every listener is up: the HTTP/1.1 + WebSocket one, and h2c when asked for.
        let readiness = ListenerReadiness(wantsHTTP2: configuration.http2Port != nil) { port, port2 in
            onReady(ReferenceAddresses(
                baseURL: "http://\(host):\(port)", redisURL: storeURL,
                socketURL: "ws://\(host):\(port)/socket.io/", faults: faults, variants: variants.sorted().map(\.rawValue),
                http2BaseURL: port2.map { "\(configuration.http2Certificate == nil ? "http" : "https")://\(host):\($0)" }
            ))
        }
        let app = Application(
            router: buildRouter(service: service, variants: variants),
            server: .http1WebSocketUpgrade(configuration: .init(http1: .init(additionalChannelHandlers: Self.channelHandlers(variants)))) { request, _, _ in
                guard SocketIOEndpoint.accepts(request) else { return .dontUpgrade }
                // Not upgraded: the router answers it (400 "Not an accepted origin.").
                if variants.contains(.socketOwnOrigin), !SocketIOEndpoint.acceptsOrigin(request) { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await SocketIOConnection(endpoint: endpoint, outbound: outbound).run(inbound: inbound)
                }
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "auditor-reference"),
            onServerRunning: { channel in readiness.listening(http1: channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        // HTTP/2 (h2c, or TLS with ALPN): the same router and state; each stream stamps its
        // arrival as an HTTP/1 connection does.
        let http2Server = try configuration.http2Port.map { _ in try http2Builder(configuration.http2Certificate) }
        let http2 = configuration.http2Port.map { port in
            Application(
                router: buildRouter(service: service, variants: variants),
                server: http2Server!,
                configuration: .init(address: .hostname(configuration.host, port: port), serverName: "auditor-reference"),
                onServerRunning: { channel in readiness.listening(http2: channel.localAddress?.port ?? port) },
                logger: logger
            )
        }
        try await endpoint.hub.relaying {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: signals) }
                if let http2 { group.addTask { try await http2.runService(gracefulShutdownSignals: signals) } }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Starts in the background and returns once listening; `stop()` ends it.
    public static func start(_ configuration: ReferenceConfiguration = .init()) async throws -> RunningReference {
        let (ready, continuation) = AsyncStream.makeStream(of: ReferenceAddresses.self)
        let embedded = configuration.redisURL == nil ? EmbeddedStore() : nil
        let task = Task {
            defer { continuation.finish() }
            try await run(configuration, embedded: embedded) { continuation.yield($0) }
        }
        for await addresses in ready {
            return RunningReference(addresses: addresses, task: task, embedded: embedded, storeTimeout: configuration.storeTimeout)
        }
        try await task.value
        throw ReferenceError.stoppedBeforeReady
    }

    /// h2c with prior knowledge, or with a certificate TLS offering h2 and http/1.1 by ALPN.
    static func http2Builder(_ certificate: ServerCertificate?) throws -> HTTPServerBuilder {
        let streams = HTTP2Channel.Configuration(streamConfiguration: .init(additionalChannelHandlers: [ArrivalStampHandler()]))
        guard let certificate else { return .plaintextHTTP2(configuration: streams) }
        let chain: [NIOSSLCertificate], key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate.certificateFile)
            key = try NIOSSLPrivateKey(file: certificate.keyFile, format: .pem)
        } catch {
            throw ReferenceError.certificate("\(certificate.certificateFile) / \(certificate.keyFile): \(error)")
        }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .http2Upgrade(tlsConfiguration: tls, configuration: streams)
    }

    /// Per connection: the arrival stamp, and under `connection-close` the handler that closes.
    @Sendable static func channelHandlers(_ variants: Set<Variant>) -> [any RemovableChannelHandler] {
        variants.contains(.connectionClose) ? [ConnectionCloseHandler(), ArrivalStampHandler()] : [ArrivalStampHandler()]
    }

    static func hostForURL(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// A reference started in-process; `stop()` shuts it down gracefully.
public final class RunningReference: Sendable {
    public let addresses: ReferenceAddresses
    private let task: Task<Void, Error>
    private let embedded: EmbeddedStore?
    private let storeTimeout: TimeAmount

    init(addresses: ReferenceAddresses, task: Task<Void, Error>, embedded: EmbeddedStore?, storeTimeout: TimeAmount) {
        self.addresses = addresses
        self.task = task
        self.embedded = embedded
        self.storeTimeout = storeTimeout
    }

    public enum SimulatedOutage: Sendable { case refused, silent }

    /// Cuts its embedded store (`refused` at once, or `silent` until the store timeout), or
    /// restores it with nil: the oracle's side of the fail-closed rule. No effect on a Redis-backed one.
    public func simulateStoreOutage(_ outage: SimulatedOutage?) {
        switch outage {
        case nil: embedded?.simulate(nil)
        case .refused?: embedded?.simulate(.down)
        case .silent?: embedded?.simulate(.timeout(after: .nanoseconds(storeTimeout.nanoseconds)))
        }
    }

    public var baseURL: URL { URL(string: addresses.baseURL)! }

    /// Moves its embedded store's time forward (every TTL runs down at once); no effect on a
    /// Redis-backed one.
    public func advanceStoreClock(by duration: Duration) {
        embedded?.advance(by: duration)
    }

    /// How long a store command may take before the call fails closed (its `storeTimeout`).
    public var storeTimeoutMilliseconds: Double { Double(storeTimeout.nanoseconds) / 1_000_000 }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

public enum ReferenceError: Error, CustomStringConvertible {
    case redisUnreachable(url: String, reason: String)
    case stoppedBeforeReady
    /// The HTTP/2 listener's certificate or key could not be read.
    case certificate(String)

    public var description: String {
        switch self {
        case .redisUnreachable(let url, let reason): return "cannot reach Redis at \(url): \(reason)"
        case .stoppedBeforeReady: return "the reference stopped before it was listening"
        case .certificate(let reason): return "cannot read the HTTP/2 listener's certificate: \(reason)"
        }
    }
}
