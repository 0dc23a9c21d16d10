import Foundation
import Logging
import NIOCore
import Wire

/// How to run the reference: where it listens, which store, where events go, which faults.
public struct ReferenceConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 0
    /// A second listener speaking HTTP/2 with prior knowledge (h2c) on this port (0: any), same
    /// router and state: the single-packet race's target. nil: none.
    public var http2Port: Int?
    /// Serve that listener over TLS with this certificate instead: ALPN offers h2 and http/1.1
    /// (HTTP/1.1 for clients that do not offer h2), as a load balancer's edge does.
    public var http2Certificate: ServerCertificate?
    /// A real Redis; nil means the embedded store (also served read-only over RESP on loopback).
    public var redisURL: RedisURL?
    /// TLS for a `rediss://` Redis: its CA (nil: the system's CAs).
    public var redisTLS: TLSClient?
    /// Start without reaching Redis (connect on first use): for a Redis reached through the
    /// auditor's fault proxy, which listens only while an audit runs.
    public var lazyRedis = false
    /// Where PutEvents go; nil means events are dropped with a log line.
    public var eventBridgeEndpoint: URL?
    public var faults: Set<Fault> = []
    /// Right implementations that take the other side of an open choice of the contract.
    public var variants: Set<Variant> = []
    /// How long a store command may take before the call fails closed with 503.
    public var storeTimeout: TimeAmount = .seconds(1)
    /// Every TTL written times this (the rate window's excepted), so the reference's own tests see
    /// a 300 s key expire in seconds. 1 in any other use: a scaled reference fails the TTL rules.
    public var ttlScale: Double = 1
    /// The clock of the rate window and the speed check (timestamps of points); tests move it
    /// forward instead of sleeping through the 5 s window. Key TTLs always follow real time.
    public var now: @Sendable () -> Date = Date.init
    /// Engine.IO heartbeat; tests shorten it to see pings quickly.
    public var pingInterval: Duration = .seconds(25)
    public var logLevel: Logger.Level = .notice

    public init(host: String = "127.0.0.1", port: Int = 0, redisURL: RedisURL? = nil, eventBridgeEndpoint: URL? = nil, faults: Set<Fault> = []) {
        self.host = host
        self.port = port
        self.redisURL = redisURL
        self.eventBridgeEndpoint = eventBridgeEndpoint
        self.faults = faults
    }
}

/// The ready line of `auditor reference serve`: where each part of the running reference is.
public struct ReferenceAddresses: Codable, Sendable, Equatable {
    public var baseURL: String
    /// The store to inspect; for `--redis` the given URL with its password masked.
    public var redisURL: String
    public var socketURL: String
    public var faults: [String]
    public var variants: [String] = []
    /// The HTTP/2 listener's `http://host:port` (h2c) or `https://host:port` (TLS, ALPN h2), when
    /// `http2Port` is set.
    public var http2BaseURL: String?

    /// One JSON line, sorted keys.
    public var jsonLine: String {
        (try? JSONEncoder.sorted.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// A server's certificate chain and private key, PEM files.
public struct ServerCertificate: Sendable, Equatable {
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
