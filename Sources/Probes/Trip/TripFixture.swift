import Checks
import Foundation
import Synchronization

/// One fresh pending trip, its customer, a stranger to it and ten online drivers: the fixture
/// shape of docs/contract/trip.md.
public struct TripFixture: Codable, Sendable, Equatable {
    public var tripId: String
    public var customer: ProbeFixture.User
    public var otherCustomer: ProbeFixture.User
    public var drivers: [ProbeFixture.User]

    public static func decode(_ text: String, source: String) throws -> TripFixture {
        let fixture: TripFixture
        do {
            fixture = try JSONDecoder().decode(TripFixture.self, from: Data(text.utf8))
        } catch {
            throw FixtureError("\(source) did not give a fixture in docs/contract/trip.md's shape (tripId, customer, otherCustomer, drivers): \(ProbeFixture.describe(error))")
        }
        guard fixture.drivers.count >= 2 else {
            throw FixtureError("\(source) gave \(fixture.drivers.count) driver(s); the trip pack needs at least 2 (docs/contract/trip.md: ten)")
        }
        return fixture
    }

    /// The token a caller sends; never recorded.
    func token(_ caller: TripCaller) -> String? {
        switch caller {
        case .customer: return customer.token
        case .otherCustomer: return otherCustomer.token
        case .driver(let n): return drivers[(n - 1) % drivers.count].token
        case .none: return nil
        case .invalid: return Exchange.invalidToken
        }
    }

    /// A driver's id (1-based, as the transcript names drivers).
    public func driverId(_ n: Int) -> String { drivers[(n - 1) % drivers.count].id }
}

/// Who sends a trip request. Reports name the caller (`customer`, `driver3`), never the token.
public enum TripCaller: Sendable, Equatable, CustomStringConvertible {
    case customer, otherCustomer, driver(Int), none, invalid

    public var description: String {
        switch self {
        case .customer: return "customer"
        case .otherCustomer: return "otherCustomer"
        case .driver(let n): return "driver\(n)"
        case .none: return "none"
        case .invalid: return "invalid"
        }
    }
}

/// Trip fixtures decoded from the configured supply. The first is fetched early, at preflight
/// (a supply that cannot give one fails the audit before any probe runs), and handed out first.
public final class TripFixtures: Sendable {
    private let documents: any FixtureDocuments
    private let held = Mutex<TripFixture?>(nil)

    public init(_ documents: any FixtureDocuments) { self.documents = documents }

    public func prefetch() async throws {
        let fixture = try await fetch()
        held.withLock { $0 = fixture }
    }

    public func next() async throws -> TripFixture {
        let fixture: TripFixture
        if let first = held.withLock({ value -> TripFixture? in defer { value = nil }; return value }) { fixture = first } else { fixture = try await fetch() }
        return fixture
    }

    private func fetch() async throws -> TripFixture {
        let (text, source) = try await documents.document()
        return try TripFixture.decode(text, source: source)
    }
}
