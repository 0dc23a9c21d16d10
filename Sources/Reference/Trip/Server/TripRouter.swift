import Foundation
import HTTPTypes
import Hummingbird

/// The routes of docs/contract/trip.md at the seed's paths, plus the reference-only fixture supply,
/// version and root. Handlers only translate HTTP to `TripService` calls and back.
func buildTripRouter(service: TripService) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.middlewares.add(RequestTimingMiddleware())
    router.post("api/customer/ride/create") { request, _ in
        await service.respond(to: try await TripCall(.create, request)).http(AnswerStyle())
    }
    router.post("api/driver/ride/trip-action") { request, _ in
        await service.respond(to: try await TripCall(.tripAction, request)).http(AnswerStyle())
    }
    router.get("api/driver/ride/details/:tripId") { request, context in
        await service.respond(to: try await TripCall(.details(tripId: try context.parameters.require("tripId")), request)).http(AnswerStyle())
    }
    router.post("api/driver/update-online-status") { request, _ in
        await service.respond(to: try await TripCall(.onlineStatus, request)).http(AnswerStyle())
    }
    router.post("api/driver/ride/location") { request, _ in
        await service.respond(to: try await TripCall(.location, request)).http(AnswerStyle())
    }
    router.post("__reference/fixtures") { _, _ in
        await service.makeFixture().http(AnswerStyle())
    }
    // What a build-info endpoint answers, so an audit can name what it certified.
    let build = service.faults.sorted().map { "fault \($0.rawValue)" }
    router.get("__reference/version") { _, _ in
        APIResponse.json(200, ["version": TripReferenceVersion.current, "build": build.isEmpty ? "clean" : build.joined(separator: ", ")])
            .http(AnswerStyle())
    }
    // The auditor's preflight and warm-up.
    router.get("/") { _, _ in APIResponse.json(200, ["service": "trip reference"]).http(AnswerStyle()) }
    return router
}

/// The trip reference's version: the contract it implements.
public enum TripReferenceVersion {
    public static let current = "trip-contract-2026.11"
}

extension TripCall {
    init(_ route: TripRoute, _ request: Request) async throws {
        let body = try await request.body.collect(upTo: 64 * 1024)
        self.init(route: route, path: request.uri.path, authorization: request.headers[.authorization],
                  idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!], body: Array(buffer: body))
    }
}

extension TripService {
    /// `POST /__reference/fixtures`: a fresh pending trip, its customer, another customer and ten
    /// online, available drivers, written straight to the store.
    func makeFixture() async -> APIResponse {
        let seed = TripFixtureSeed.fresh()
        do {
            try await store.addFixture(seed)
        } catch {
            return TripAnswer.message(503, "The trip store is unavailable: \(error)")
        }
        return APIResponse.json(201, seed.json)
    }
}
