/// Calls 5 and 6 of docs/contract/trip.md: a driver's status and location.
extension TripService {
    /// Going offline or unavailable releases the driver's accepted trips in the same step as the
    /// status change (seed 004 §3), so no trip stays accepted by a driver who cannot drive it.
    func onlineStatus(_ body: [UInt8], by caller: TripUser) async throws -> APIResponse {
        try require(.driver, caller)
        let request = try TripRequestBodies.decode(TripRequestBodies.OnlineStatus.self, from: body,
                                                   expected: #"{"is_online": true | false, "availability_status": "available" | "unavailable"}"#)
        guard let availability = DriverAvailability(rawValue: request.availabilityStatus) else {
            throw TripCallError(400, #"Invalid availability_status: expected "available" or "unavailable""#)
        }
        let leaving = !request.isOnline || availability == .unavailable
        let released = try await store.setAvailability(driverId: caller.id, isOnline: request.isOnline, availability: availability,
                                                       releaseTrips: leaving && !faults.contains(.offlineKeepsTrips))
        return APIResponse.json(200, [
            "driver_id": caller.id, "is_online": request.isOnline, "availability_status": availability.rawValue, "released_trips": released,
        ] as [String: Any])
    }

    func location(_ body: [UInt8], by caller: TripUser) async throws -> APIResponse {
        try require(.driver, caller)
        let point = try TripRequestBodies.decode(TripPoint.self, from: body, expected: #"{"latitude", "longitude"}"#)
        guard point.isValid else { throw TripCallError(400, "Invalid body: latitude must be within -90…90 and longitude within -180…180") }
        try await store.recordLocation(driverId: caller.id, point)
        return TripAnswer.message(200, "Location updated")
    }
}
