import ArgumentParser
import Checks
import Foundation
import Logging
import Reference
import Wire

extension Variant: ExpressibleByArgument {}

struct ReferenceServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the reference service of a pack (journey, or trip); prints one JSON line with its addresses when ready.",
        discussion: """
        Serves until SIGINT or SIGTERM, then exits 0. Without --redis the state lives in an embedded \
        store that is also served read-only over RESP (the redisURL of the ready line), so redis-cli \
        can inspect keys and TTLs. Each --fault turns the reference into one wrong implementation \
        from the reviews; the auditor's rules must catch every one. Each --variant makes it take \
        the other side of a choice the contract leaves open; every rule must still pass. \
        With --pack trip it serves docs/contract/trip.md instead: state in memory, or in PostgreSQL \
        with --postgres; --fault takes the trip faults.
        """
    )

    @Option(help: "Which reference: \(Pack.names).")
    var pack: Pack = .journey

    @Option(name: .customLong("postgres"), help: "Trip pack: keep trips, drivers and idempotency keys in this PostgreSQL (postgres://user[:password]@host:port/db) instead of memory.")
    var postgres: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port.")
    var port = 8080

    @Option(name: .customLong("http2-port"), help: "Also serve HTTP/2 on this port (0 picks a free one): h2c with prior knowledge, or TLS with ALPN h2 given --tls-cert and --tls-key. The ready line's http2BaseURL says where.")
    var http2Port: Int?

    @Option(name: .customLong("tls-cert"), help: "Certificate chain (PEM) of the HTTP/2 listener; it then speaks TLS (ALPN h2, http/1.1).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key (PEM) for --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("redis"), help: "Use this Redis (redis://[user:password@]host:port[/db], rediss:// for TLS) instead of the embedded store.")
    var redis: String?

    @Option(name: .customLong("redis-ca-file"), help: "Trust this CA (PEM) for a rediss:// Redis instead of the system's.")
    var redisCAFile: String?

    @Flag(help: "Start without reaching Redis; connect on first use (a Redis behind the auditor's fault proxy, which listens only during an audit).")
    var lazyRedis = false

    @Option(name: .customLong("eventbridge-endpoint"), help: "Send PutEvents here (http://host:port); without it events are dropped with a log line.")
    var eventBridgeEndpoint: String?

    @Option(name: .customLong("fault"), help: "Reproduce one wrong implementation (repeatable). journey: \(Fault.validNames). trip: \(TripFault.validNames).")
    var faults: [String] = []

    @Option(name: .customLong("variant"), help: "Take the other side of an open choice of the contract (repeatable): \(Variant.validNames).")
    var variants: [Variant] = []

    @Option(help: "Milliseconds a store command may take before a call fails closed with 503.")
    var storeTimeoutMs = 1000

    @Option(help: "Multiply every TTL written (not the 5 s rate window's) by this, e.g. 0.01 for a 3 s location key: for tests of long rules only; a scaled reference fails the TTL rules.")
    var ttlScale: Double = 1

    @Flag(help: "Log every request-level event (info level) on stderr.")
    var verbose = false

    func validate() throws {
        if pack == .trip {
            let journeyOnly: [(String, Bool)] = [("--redis", redis != nil), ("--redis-ca-file", redisCAFile != nil), ("--lazy-redis", lazyRedis),
                                                 ("--eventbridge-endpoint", eventBridgeEndpoint != nil), ("--variant", !variants.isEmpty),
                                                 ("--tls-cert", tlsCert != nil), ("--ttl-scale", ttlScale != 1), ("--store-timeout-ms", storeTimeoutMs != 1000)]
            if let (flag, _) = journeyOnly.first(where: { $0.1 }) { throw ValidationError("\(flag) is for the journey reference, not --pack trip") }
            for name in faults where TripFault(rawValue: name) == nil {
                throw ValidationError("unknown trip fault '\(name)'; valid: \(TripFault.validNames)")
            }
            if let postgres, !(postgres.hasPrefix("postgres://") || postgres.hasPrefix("postgresql://")) {
                throw ValidationError("--postgres must be a postgres:// URL")
            }
        } else {
            if postgres != nil { throw ValidationError("--postgres is for --pack trip") }
            for name in faults where Fault(rawValue: name) == nil {
                throw ValidationError("unknown journey fault '\(name)'; valid: \(Fault.validNames)")
            }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be within 0–65535, got \(port)") }
        if let http2Port, !(0...65535).contains(http2Port) { throw ValidationError("--http2-port must be within 0–65535, got \(http2Port)") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert != nil, http2Port == nil { throw ValidationError("--tls-cert serves the HTTP/2 listener: give --http2-port too") }
        for (flag, file) in [("--tls-cert", tlsCert), ("--tls-key", tlsKey)] {
            if let file, !FileManager.default.isReadableFile(atPath: file) { throw ValidationError("\(flag): cannot read \(file)") }
        }
        if let redis { _ = try parsedRedisURL(redis) }
        if redisCAFile != nil, redis.map({ (try? parsedRedisURL($0))?.usesTLS ?? false }) != true {
            throw ValidationError("--redis-ca-file needs a rediss:// --redis")
        }
        if lazyRedis, redis == nil { throw ValidationError("--lazy-redis needs --redis") }
        if let eventBridgeEndpoint {
            guard let url = URL(string: eventBridgeEndpoint), url.scheme == "http", url.host != nil else {
                throw ValidationError("--eventbridge-endpoint must be an http:// URL, got '\(eventBridgeEndpoint)'")
            }
        }
        guard storeTimeoutMs > 0 else { throw ValidationError("--store-timeout-ms must be positive") }
        guard ttlScale > 0, ttlScale <= 1 else { throw ValidationError("--ttl-scale must be within (0, 1], got \(ttlScale)") }
    }

    func run() async throws {
        AuditorCommand.bootstrapLogging()
        SignalMask.unblockTermination()
        if pack == .trip { return try await serveTrip() }
        var configuration = ReferenceConfiguration(
            host: host, port: port,
            redisURL: try redis.map(parsedRedisURL),
            eventBridgeEndpoint: eventBridgeEndpoint.flatMap(URL.init(string:)),
            faults: Set(faults.compactMap(Fault.init(rawValue:)))
        )
        configuration.variants = Set(variants)
        configuration.lazyRedis = lazyRedis
        configuration.http2Port = http2Port
        if let tlsCert, let tlsKey { configuration.http2Certificate = ServerCertificate(certificateFile: tlsCert, keyFile: tlsKey) }
        if let redisCAFile {
            do { configuration.redisTLS = try TLSClient(caFile: redisCAFile) } catch { throw ValidationError("--redis-ca-file: \(error)") }
        }
        configuration.storeTimeout = .milliseconds(Int64(storeTimeoutMs))
        configuration.ttlScale = ttlScale
        configuration.logLevel = verbose ? .info : .notice
        do {
            try await ReferenceServer.run(configuration, signals: [.sigterm, .sigint]) { addresses in
                // Unbuffered: a test or script waiting on this line must see it at once.
                FileHandle.standardOutput.write(Data((addresses.jsonLine + "\n").utf8))
            }
        } catch let error as ReferenceError {
            FileHandle.standardError.write(Data("auditor: \(error)\n".utf8))
            throw ExitCodes.couldNotComplete
        }
    }

    /// `--pack trip`: docs/contract/trip.md's reference, until SIGINT or SIGTERM.
    private func serveTrip() async throws {
        var configuration = TripReferenceConfiguration(faults: Set(faults.compactMap(TripFault.init(rawValue:))))
        configuration.host = host
        configuration.port = port
        configuration.http2Port = http2Port
        configuration.postgresURL = postgres
        configuration.logLevel = verbose ? .info : .notice
        do {
            try await TripReferenceServer.run(configuration, signals: [.sigterm, .sigint]) { addresses in
                FileHandle.standardOutput.write(Data((addresses.jsonLine + "\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("auditor: \(error)\n".utf8))
            throw ExitCodes.couldNotComplete
        }
    }

    private func parsedRedisURL(_ text: String) throws -> RedisURL {
        do { return try RedisURL(parsing: text) } catch { throw ValidationError("--redis: \(error)") }
    }
}
