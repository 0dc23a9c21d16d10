import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import UnixSignals

/// Starts the trip oracle: `let reference = try await TripReferenceServer.start(.init(faults: [.accept403]))`.
public enum TripReferenceServer {
    /// Runs until cancelled or one of `signals` arrives; calls `onReady` once, when every listener is up.
    public static func run(_ c: TripReferenceConfiguration, signals: [UnixSignal] = [],
                           onReady: @escaping @Sendable (TripReferenceAddresses) -> Void) async throws {
        var logger = Logger(label: "auditor.reference.trip")
        logger.logLevel = c.logLevel
        let backing = try await TripBacking.open(c, logger: logger)
        let service = TripService(store: backing.store, keys: backing.keys, faults: c.faults)

        let host = ReferenceServer.hostForURL(c.host)
        let faults = c.faults.sorted().map(\.rawValue)
        // onReady once every listener is up: HTTP/1.1, and h2c when asked for.
        let readiness = ListenerReadiness(wantsHTTP2: c.http2Port != nil) { port, port2 in
            onReady(TripReferenceAddresses(baseURL: "http://\(host):\(port)", http2BaseURL: port2.map { "http://\(host):\($0)" },
                                           faults: faults, store: backing.description))
        }
        let app = Application(
            router: buildTripRouter(service: service),
            server: .http1(configuration: .init(additionalChannelHandlers: ReferenceServer.channelHandlers([]))),
            configuration: .init(address: .hostname(c.host, port: c.port), serverName: "auditor-trip-reference"),
            onServerRunning: { channel in readiness.listening(http1: channel.localAddress?.port ?? c.port) },
            logger: logger
        )
        // h2c with prior knowledge: the same router and state; each stream stamps its arrival.
        let http2 = try c.http2Port.map { port in
            Application(
                router: buildTripRouter(service: service),
                server: try ReferenceServer.http2Builder(nil),
                configuration: .init(address: .hostname(c.host, port: port), serverName: "auditor-trip-reference"),
                onServerRunning: { channel in readiness.listening(http2: channel.localAddress?.port ?? port) },
                logger: logger
            )
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: signals) }
            if let http2 { group.addTask { try await http2.runService(gracefulShutdownSignals: signals) } }
            if let background = backing.background { group.addTask { await background() } }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Starts in the background and returns once listening; `stop()` ends it.
    public static func start(_ c: TripReferenceConfiguration = .init()) async throws -> RunningTripReference {
        let (ready, continuation) = AsyncStream.makeStream(of: TripReferenceAddresses.self)
        let task = Task {
            defer { continuation.finish() }
            try await run(c) { continuation.yield($0) }
        }
        for await addresses in ready {
            return RunningTripReference(addresses: addresses, task: task)
        }
        try await task.value
        throw TripReferenceError.stoppedBeforeReady
    }
}

/// A trip reference started in-process; `stop()` shuts it down gracefully.
public final class RunningTripReference: Sendable {
    public let addresses: TripReferenceAddresses
    private let task: Task<Void, Error>

    init(addresses: TripReferenceAddresses, task: Task<Void, Error>) {
        self.addresses = addresses
        self.task = task
    }

    public var baseURL: URL { URL(string: addresses.baseURL)! }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
