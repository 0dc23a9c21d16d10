import Checks
import Foundation
import Probes
import Reference
import Wire

/// The in-process reference every scenario also runs against: the pack's reference, clean, on
/// its embedded store, with (for the journey pack) its own EventBridge endpoint.
struct Oracle {
    let system: ProbeSystem
    private let stopAll: @Sendable () async -> Void

    static func start(_ pack: Pack) async throws -> Oracle {
        switch pack {
        case .journey: return try await journey()
        case .trip: return try await trip()
        }
    }

    func stop() async { await stopAll() }

    private static func journey() async throws -> Oracle {
        let events = try await EventBridgeEndpoint.start()
        var configuration = ReferenceConfiguration(eventBridgeEndpoint: events.url)
        configuration.logLevel = .critical
        let reference: RunningReference
        do { reference = try await ReferenceServer.start(configuration) } catch {
            await events.stop()
            throw error
        }
        var system = ProbeSystem(
            name: "the reference", api: JourneyAPI(baseURL: reference.baseURL),
            redis: try? RedisURL(parsing: reference.addresses.redisURL), events: events,
            fixtures: HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures")),
            socketURL: URL(string: reference.addresses.socketURL)
        )
        system.sourcePaths = SourceView.paths(for: [])
        // One instance stands for any number: a correct service answers the same wherever a call lands.
        system.instances = [system.api, system.api]
        system.storeSwitch = OracleStoreSwitch(reference: reference)
        system.storeTimeoutMs = reference.storeTimeoutMilliseconds
        system.storeClock = OracleStoreClock(reference: reference)
        system.isReference = true
        return Oracle(system: system) {
            await reference.stop()
            await events.stop()
        }
    }

    private static func trip() async throws -> Oracle {
        var configuration = TripReferenceConfiguration()
        configuration.logLevel = .critical
        let reference = try await TripReferenceServer.start(configuration)
        let fixtures = HTTPFixtureSource(url: reference.baseURL.appendingPathComponent("__reference/fixtures"))
        var system = ProbeSystem(name: "the reference", api: JourneyAPI(baseURL: reference.baseURL), redis: nil, events: nil, fixtures: fixtures)
        system.trip = TripAccess(api: TripAPI(baseURL: reference.baseURL), fixtures: TripFixtures(fixtures))
        system.isReference = true
        return Oracle(system: system) { await reference.stop() }
    }
}

/// The oracle's side of a target restart (TRP-IDEM-004): the reference keeps its keys in its
/// store, which a restart of its HTTP process would not touch, so there is nothing to wait for.
struct ReferenceKeepsKeys: TargetRestart {
    func restart() async throws {}
}

/// The oracle's store is in process: it is cut by simulation, where a target's is cut by the proxy.
struct OracleStoreSwitch: StoreSwitch {
    let reference: RunningReference

    func cut(_ cut: StoreCut) async {
        reference.simulateStoreOutage(cut == .down ? .refused : .silent)
    }

    /// Slower than the oracle's store timeout (every probe slows past the deadline it states):
    /// to the oracle that is silence until its own timeout.
    func slow(milliseconds: Int) async {
        reference.simulateStoreOutage(.silent)
    }

    func restore() async {
        reference.simulateStoreOutage(nil)
    }
}

/// The oracle's store moves its clock forward where the target waits a TTL out.
struct OracleStoreClock: StoreClock {
    let reference: RunningReference

    func advance(seconds: Double) async {
        reference.advanceStoreClock(by: .milliseconds(Int64(seconds * 1000)))
    }
}
