import Foundation
import Reference
import Testing
import Wire

/// CONTRACT-TRIP.md's calls, one by one, over real HTTP: every success body and every error
/// status, on the embedded store and on a real PostgreSQL.
@Suite("Trip contract: calls", .timeLimit(.minutes(2)))
struct TripReferenceContractTests {
    @Test("the fixture, the version and the root", arguments: TripStoreKind.allCases)
    func fixtureShape(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { reference, api in
            let raw = try await api.send("POST", "__reference/fixtures", token: nil)
            #expect(raw.status == 201)
            #expect(raw.jsonKeys == ["tripId", "customer", "otherCustomer", "drivers"])
            let f = try await api.fixture()
            #expect(f.drivers.count == 10)
            #expect(Set(([f.customer, f.otherCustomer] + f.drivers).map(\.token)).count == 12)
            let details = try await api.details(f.customer.token, trip: f.tripId)
            #expect(details.status == 200)
            #expect(details.json?["current_status"] as? String == "pending")
            #expect(details.json?["version"] as? Int == 0)
            #expect(details.json?["driver_id"] is NSNull)

            let version = try await api.send("GET", "__reference/version", token: nil)
            #expect(version.json?["version"] as? String == "trip-contract-2026.11")
            #expect(version.json?["build"] as? String == "clean")
            #expect(try await api.send("GET", "", token: nil).json?["service"] as? String == "trip reference")
            #expect(reference.addresses.pack == "trip")
            #expect(reference.addresses.store == (store == .embedded ? "embedded" : reference.addresses.store))
            #expect(store == .embedded || reference.addresses.store.hasPrefix("postgres://"))
            #expect(reference.addresses.jsonLine.hasPrefix(#"{"baseURL":"#))
        }
    }

    @Test("create: 201 pending at version 0; 401, 403 for a driver, 400 for bad bodies", arguments: TripStoreKind.allCases)
    func create(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let created = try await api.create(f.customer.token)
            #expect(created.status == 201)
            #expect(created.jsonKeys == ["trip_request_id", "current_status", "version"])
            #expect(created.json?["current_status"] as? String == "pending")
            #expect(created.json?["version"] as? Int == 0)
            let id = try #require(created.json?["trip_request_id"] as? String)
            #expect(try await api.details(f.customer.token, trip: id).json?["current_status"] as? String == "pending")

            #expect(try await api.create(nil).status == 401)
            #expect(try await api.create("not-a-token").status == 401)
            #expect(try await api.create(nil).json?["message"] is String)
            #expect(try await api.create(f.drivers[0].token).status == 403)
            for body in [#"{"pickup": {"latitude": 52.5}}"#, "not json", #"{"pickup": {"latitude": 91, "longitude": 0}, "destination": {"latitude": 0, "longitude": 0}}"#,
                         #"{"pickup": {"latitude": 0, "longitude": 181}, "destination": {"latitude": 0, "longitude": 0}}"#,
                         #"{"pickup": {"latitude": "0", "longitude": 0}, "destination": {"latitude": 0, "longitude": 0}}"#] {
                let refused = try await api.create(f.customer.token, body: body)
                #expect(refused.status == 400, "\(body)")
                #expect(refused.json?["message"] is String)
            }
        }
    }

    @Test("accept: 200 with the driver and version + 1; 404, 409 assigned, 409 stale version, 409 unavailable driver, 400", arguments: TripStoreKind.allCases)
    func accept(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            #expect(try await api.accept(f.drivers[0].token, trip: "no-such-trip").status == 404)
            let stale = try await api.accept(f.drivers[0].token, trip: f.tripId, version: 3)
            #expect(stale.status == 409)
            let won = try await api.accept(f.drivers[0].token, trip: f.tripId, version: 0)
            #expect(won.status == 200)
            #expect(won.jsonKeys == ["trip_request_id", "driver_id", "current_status", "version"])
            #expect(won.json?["trip_request_id"] as? String == f.tripId)
            #expect(won.json?["driver_id"] as? String == f.drivers[0].id)
            #expect(won.json?["current_status"] as? String == "accepted")
            #expect(won.json?["version"] as? Int == 1)

            let taken = try await api.accept(f.drivers[1].token, trip: f.tripId)
            #expect(taken.status == 409)
            #expect(taken.json?["message"] as? String == "Trip already assigned")
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 409, "even the driver who holds it")

            let other = try await api.fixture()
            #expect(try await api.onlineStatus(other.drivers[0].token, online: false).status == 200)
            let offline = try await api.accept(other.drivers[0].token, trip: other.tripId)
            #expect(offline.status == 409)
            #expect(offline.json?["message"] as? String == "Driver is not available")
            #expect(try await api.onlineStatus(other.drivers[1].token, online: true, availability: "unavailable").status == 200)
            #expect(try await api.accept(other.drivers[1].token, trip: other.tripId).status == 409)

            #expect(try await api.accept(other.customer.token, trip: other.tripId).status == 403)
            #expect(try await api.accept(nil, trip: other.tripId).status == 401)
            for body in [#"{"action": "fly", "trip_request_id": "x"}"#, #"{"action": "accept"}"#, #"{"action": "accept", "trip_request_id": "x", "version": "1"}"#] {
                #expect(try await api.send("POST", "api/driver/ride/trip-action", token: other.drivers[2].token, body: body).status == 400, "\(body)")
            }
            let second = try await api.accept(f.drivers[0].token, trip: other.tripId)
            #expect(second.status == 200, "a driver may hold several accepted trips")
        }
    }

    @Test("cancel: only the assigned driver; back to pending, no driver, version + 1; 403, 409, 404", arguments: TripStoreKind.allCases)
    func cancel(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            #expect(try await api.cancel(f.drivers[0].token, trip: f.tripId).status == 409, "a pending trip is not accepted")
            #expect(try await api.cancel(f.drivers[0].token, trip: "no-such-trip").status == 404)
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            #expect(try await api.cancel(f.drivers[1].token, trip: f.tripId).status == 403)
            let cancelled = try await api.cancel(f.drivers[0].token, trip: f.tripId)
            #expect(cancelled.status == 200)
            #expect(cancelled.json?["current_status"] as? String == "pending")
            #expect(cancelled.json?["driver_id"] is NSNull)
            #expect(cancelled.json?["version"] as? Int == 2)
            #expect(try await api.accept(f.drivers[1].token, trip: f.tripId, version: 2).json?["version"] as? Int == 3)
        }
    }

    @Test("details: the customer and the assigned driver see it; anyone else 403; 404", arguments: TripStoreKind.allCases)
    func details(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            #expect(try await api.details(f.drivers[0].token, trip: f.tripId).status == 403, "no driver is assigned yet")
            #expect(try await api.accept(f.drivers[0].token, trip: f.tripId).status == 200)
            let seen = try await api.details(f.drivers[0].token, trip: f.tripId)
            #expect(seen.status == 200)
            #expect(seen.jsonKeys == ["trip_request_id", "driver_id", "current_status", "version"])
            #expect(seen.json?["driver_id"] as? String == f.drivers[0].id)
            #expect(seen.json?["current_status"] as? String == "accepted")
            #expect(seen.json?["version"] as? Int == 1)
            #expect(try await api.details(f.customer.token, trip: f.tripId).status == 200)
            #expect(try await api.details(f.otherCustomer.token, trip: f.tripId).status == 403)
            #expect(try await api.details(f.drivers[1].token, trip: f.tripId).status == 403)
            #expect(try await api.details(f.customer.token, trip: "no-such-trip").status == 404)
            #expect(try await api.details(nil, trip: f.tripId).status == 401)
        }
    }

    @Test("online status: 200 with the state and the released trips; 400; 403 for a customer", arguments: TripStoreKind.allCases)
    func onlineStatus(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let online = try await api.onlineStatus(f.drivers[0].token, online: true)
            #expect(online.status == 200)
            #expect(online.json?["driver_id"] as? String == f.drivers[0].id)
            #expect(online.json?["is_online"] as? Bool == true)
            #expect(online.json?["availability_status"] as? String == "available")
            #expect((online.json?["released_trips"] as? [Any])?.isEmpty == true)
            #expect(try await api.onlineStatus(f.drivers[0].token, online: true, availability: "busy").status == 400)
            for body in [#"{"is_online": "yes", "availability_status": "available"}"#, #"{"availability_status": "available"}"#, "[]"] {
                #expect(try await api.send("POST", "api/driver/update-online-status", token: f.drivers[0].token, body: body).status == 400, "\(body)")
            }
            #expect(try await api.onlineStatus(f.customer.token, online: false).status == 403)
            #expect(try await api.onlineStatus(nil, online: false).status == 401)
        }
    }

    @Test("location: 200 Location updated; 400 out of range or missing; 403 for a customer", arguments: TripStoreKind.allCases)
    func location(_ store: TripStoreKind) async throws {
        try await withTripReference(on: store) { _, api in
            let f = try await api.fixture()
            let updated = try await api.location(f.drivers[0].token)
            #expect(updated.status == 200)
            #expect(updated.json?["message"] as? String == "Location updated")
            #expect(try await api.location(f.drivers[0].token, latitude: 90.5).status == 400)
            #expect(try await api.location(f.drivers[0].token, longitude: -180.5).status == 400)
            #expect(try await api.send("POST", "api/driver/ride/location", token: f.drivers[0].token, body: #"{"latitude": 1}"#).status == 400)
            #expect(try await api.location(f.customer.token).status == 403)
            #expect(try await api.location(nil).status == 401)
        }
    }
}
