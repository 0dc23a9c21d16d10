/// Calls 1–4 of docs/contract/trip.md: create, accept, cancel, details.
extension TripService {
    func createTrip(_ body: [UInt8], by caller: TripUser) async throws -> APIResponse {
        try require(.customer, caller)
        let request = try TripRequestBodies.decode(TripRequestBodies.Create.self, from: body,
                                                   expected: #"{"pickup": {"latitude", "longitude"}, "destination": {"latitude", "longitude"}}"#)
        guard request.pickup.isValid, request.destination.isValid else {
            throw TripCallError(400, "Invalid body: latitude must be within -90…90 and longitude within -180…180")
        }
        let trip = try await store.createTrip(customerId: caller.id, pickup: request.pickup, destination: request.destination)
        return APIResponse.json(201, ["trip_request_id": trip.id, "current_status": trip.status.rawValue, "version": trip.version] as [String: Any])
    }

    func tripAction(_ body: [UInt8], by caller: TripUser) async throws -> APIResponse {
        try require(.driver, caller)
        let request = try TripRequestBodies.decode(TripRequestBodies.TripAction.self, from: body,
                                                   expected: #"{"action": "accept" | "cancel", "trip_request_id", "version"?}"#)
        switch request.action {
        case "accept": return try await accept(request.tripRequestId, version: request.version, by: caller)
        case "cancel": return try await cancel(request.tripRequestId, by: caller)
        default: throw TripCallError(400, #"Invalid action: expected "accept" or "cancel""#)
        }
    }

    private func accept(_ tripId: String, version given: Int?, by driver: TripUser) async throws -> APIResponse {
        let version = faults.contains(.ignoreVersion) ? nil : given
        let outcome = faults.contains(.readThenWriteAccept)
            ? try await acceptReadThenWrite(tripId, version: version, by: driver)
            : try await store.accept(tripId: tripId, driverId: driver.id, expectedVersion: version)
        switch outcome {
        case .accepted(let trip): return TripAnswer.trip(200, trip)
        case .notFound: throw TripCallError(404, "Trip not found")
        case .alreadyAssigned: throw TripCallError(faults.contains(.accept403) ? 403 : 409, "Trip already assigned")
        case .staleVersion(let current): throw TripCallError(409, "Trip version conflict: the trip is at version \(current)")
        case .driverUnavailable: throw TripCallError(409, "Driver is not available")
        }
    }

    /// Seed 004 §1 "Before Fix": the same checks as the atomic accept, on what was read one round
    /// trip before the unconditional write, so concurrent accepts all pass them.
    private func acceptReadThenWrite(_ tripId: String, version: Int?, by driver: TripUser) async throws -> AcceptOutcome {
        guard let trip = try await store.trip(id: tripId) else { return .notFound }
        guard trip.status == .pending else { return .alreadyAssigned }
        if let version, version != trip.version { return .staleVersion(current: trip.version) }
        guard try await store.driver(id: driver.id)?.canAccept == true else { return .driverUnavailable }
        try await Task.sleep(for: roundTrip)
        guard let written = try await store.overwriteAssignment(tripId: tripId, driverId: driver.id, version: trip.version + 1) else {
            return .notFound
        }
        return .accepted(written)
    }

    private func cancel(_ tripId: String, by driver: TripUser) async throws -> APIResponse {
        switch try await store.cancel(tripId: tripId, driverId: driver.id) {
        case .cancelled(let trip): return TripAnswer.trip(200, trip)
        case .notFound: throw TripCallError(404, "Trip not found")
        case .notAccepted: throw TripCallError(409, "Trip is not accepted")
        case .notAssignedDriver: throw TripCallError(403, "Only the assigned driver can cancel this trip")
        }
    }

    /// The trip's customer or its assigned driver; anyone else 403.
    func details(_ tripId: String, by caller: TripUser) async throws -> APIResponse {
        guard let trip = try await store.trip(id: tripId) else { throw TripCallError(404, "Trip not found") }
        guard caller.id == trip.customerId || (trip.driverId != nil && caller.id == trip.driverId) else {
            throw TripCallError(403, "Forbidden: not the trip's customer or assigned driver")
        }
        return TripAnswer.trip(200, trip)
    }
}
