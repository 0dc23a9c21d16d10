import Checks
import Foundation
import Wire

/// One system a scenario runs on: the target deployment, or the in-process reference (oracle).
public struct ProbeSystem: Sendable {
    public var name: String
    public var api: JourneyAPI
    /// Read-only access to its Redis; nil makes every Redis fact unobserved.
    public var redis: RedisURL?
    /// The auditor's EventBridge endpoint this system publishes to; nil makes event facts unobserved.
    public var events: EventBridgeEndpoint?
    public var fixtures: any FixtureSource
    /// Its Socket.IO endpoint; nil makes the live WebSocket rule not applicable.
    public var socketURL: URL?
    /// Backend and mobile source trees; empty makes the source rule not applicable.
    public var sourcePaths: [String] = []
    /// Every base URL of the deployment (the first is `api`'s); fewer than two makes the
    /// statelessness rule not applicable.
    public var instances: [JourneyAPI] = []
    /// Takes the store away for the fail-closed rule; nil makes it not applicable.
    public var storeSwitch: (any StoreSwitch)?
    /// The journey-shaped load for the scale rule; nil makes it not applicable.
    public var scale: ScaleSpec?
    /// The in-process reference: for the scale rule it states the contract's expectation instead
    /// of loading the machine a second time.
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
