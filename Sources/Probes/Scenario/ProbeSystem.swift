import Checks
import Foundation
import Wire

/// One system a scenario runs on: the target deployment, or the in-process reference (oracle).
public struct ProbeSystem: Sendable {
    public var name: String
    public var api: JourneyAPI
    /// Read-only access to its Redis; nil makes every Redis fact unobserved.
    public var redis: RedisURL?
    /// TLS for a `rediss://` Redis (`redis.tls`, else `tls:`); nil trusts the system's CAs.
    public var redisTLS: TLSClient?
    /// Set when the auditor found at the start that it cannot read that Redis (refused, NOAUTH,
    /// NOPERM…): every Redis fact is unobserved with this reason, at once.
    public var redisUnavailable: String?
    /// Set when the auditor's EventBridge endpoint could not be opened (port taken…): event facts
    /// are unobserved with this reason.
    public var eventsUnavailable: String?
    /// The auditor's EventBridge endpoint this system publishes to; nil makes event facts unobserved.
    public var events: EventBridgeEndpoint?
    public var fixtures: any FixtureSource
    /// Its Socket.IO endpoint; nil leaves the live WebSocket rule not checked.
    public var socketURL: URL?
    /// The `Origin` and other headers of the Socket.IO upgrade (nil origin: the URL's own).
    public var socketOrigin: String?
    public var socketHeaders: [String: String] = [:]
    /// Backend and mobile source trees; empty leaves the source rule not checked.
    public var sourcePaths: [String] = []
    /// Every base URL of the deployment (the first is `api`'s); fewer than two leaves the
    /// statelessness rule not checked.
    public var instances: [JourneyAPI] = []
    /// Takes the store away for the fail-closed rule; nil leaves it not checked.
    public var storeSwitch: (any StoreSwitch)?
    /// The deployment's own store timeout (`redis.timeoutMs`): how long a call may wait on Redis
    /// before it gives up. nil: not stated, so JRN-SLOWSTORE-001 is not checked.
    public var storeTimeoutMs: Double?
    /// `redis.commandsPerCall`: how many store commands a call may wait on in sequence (nil: the rule's default).
    public var storeCommandsPerCall: Int?
    /// Long probes (minutes of waiting on a TTL) run: `--long` or `long: true`.
    public var long = false
    /// The oracle's store clock, which it moves forward instead of waiting out a TTL; nil: real time.
    public var storeClock: (any StoreClock)?
    /// The journey-shaped load for the scale rule; nil leaves it not checked.
    public var scale: ScaleSpec?
    /// Whether the race uses the single-packet HTTP/2 sender (`target.http2`), and where HTTP/2 is
    /// spoken when not at `api`'s base URL (`target.http2URL`).
    public var http2: HTTP2Mode = .auto
    public var http2API: JourneyAPI?
    /// The trip pack's access to this system (its routes, fixtures, replay header); nil for a
    /// journey audit.
    public var trip: TripAccess?
    /// The in-process reference: the scale rule is judged against the configured limits alone,
    /// so the reference does not load the machine a second time.
    public var isReference = false

    public init(name: String, api: JourneyAPI, redis: RedisURL?, events: EventBridgeEndpoint?, fixtures: any FixtureSource, socketURL: URL? = nil) {
        self.name = name
        self.api = api
        self.redis = redis
        self.events = events
        self.fixtures = fixtures
        self.socketURL = socketURL
    }
}
