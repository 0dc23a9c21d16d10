import Foundation
import Probes
import Reference
import Wire

/// The in-process reference every scenario also runs against: embedded store, its own
/// EventBridge endpoint, fixtures from its own supply.
struct Oracle {
    let reference: RunningReference
    let events: EventBridgeEndpoint

    static func start() async throws -> Oracle {
        let events = try await EventBridgeEndpoint.start()
        var configuration = ReferenceConfiguration(eventBridgeEndpoint: events.url)
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        return Oracle(reference: reference, events: events)
    }

    var system: ProbeSystem {
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
        return system
    }

    func stop() async {
        await reference.stop()
        await events.stop()
    }
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
