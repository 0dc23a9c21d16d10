import Foundation
import HTTPTypes
import Hummingbird

/// The HTTP routes of docs/contract/journey.md, plus the reference-only fixture supply.
/// Handlers only translate HTTP to `JourneyService` calls and back; `variants` shape how answers
/// are written (texts, extra fields, `Connection: close`), never what they say.
func buildRouter(service: JourneyService, variants: Set<Variant> = []) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.middlewares.add(RequestTimingMiddleware())
    let style = AnswerStyle(variants: variants)
    let sessions = router.group("api/v1/admin/sessions/:sessionId")
    sessions.post("start-journey") { request, context in
        await service.startJourney(sessionId: try context.parameters.require("sessionId"), authorization: request.headers[.authorization]).http(style)
    }
    sessions.post("arrived") { request, context in
        await service.arrived(sessionId: try context.parameters.require("sessionId"), authorization: request.headers[.authorization]).http(style)
    }
    sessions.post("stop-journey") { request, context in
        await service.stopJourney(sessionId: try context.parameters.require("sessionId"), authorization: request.headers[.authorization]).http(style)
    }
    let tracking = router.group("api/v1/admin/location-tracking/journey")
    tracking.post("updates") { request, _ in
        let body = try await request.body.collect(upTo: 64 * 1024)
        return await service.updateLocation(body: Array(buffer: body), authorization: request.headers[.authorization]).http(style)
    }
    tracking.get("live") { request, _ in
        await service.liveLocation(sessionId: request.uri.queryParameters.get("sessionId"), authorization: request.headers[.authorization]).http(style)
    }
    router.post("__reference/fixtures") { request, _ in
        let body = try await request.body.collect(upTo: 64 * 1024)
        if let count = request.uri.queryParameters.get("count") {
            return await service.makeFixtures(count: count, body: Array(buffer: body)).http(AnswerStyle())
        }
        return await service.makeFixture(body: Array(buffer: body)).http(AnswerStyle())
    }
    // What a build-info endpoint answers, so an audit can name what it certified (target.versionURL).
    let build = (service.faults.sorted().map { "fault \($0.rawValue)" } + variants.sorted().map { "variant \($0.rawValue)" })
    router.get("__reference/version") { _, _ in
        APIResponse(status: 200, body: APIResponse.encode(["version": ReferenceVersion.current, "build": build.isEmpty ? "clean" : build.joined(separator: ", ")]),
                    headers: []).http(AnswerStyle())
    }
    // Reached only when a Socket.IO upgrade was not accepted (python-engineio's answer to a foreign origin).
    router.get("socket.io") { _, _ in APIResponse(status: 400, body: Array("Not an accepted origin.".utf8), headers: []).http(AnswerStyle()) }
    return router
}

/// The reference's version: the contract it implements.
public enum ReferenceVersion {
    public static let current = "contract-2026.11"
}

/// How the reference writes its answers: as the contract's examples, or (the variant
/// `other-texts`) with other messages and fields the contract does not name.
struct AnswerStyle: Sendable {
    var otherTexts = false

    init(variants: Set<Variant> = []) { otherTexts = variants.contains(.otherTexts) }

    func body(_ response: APIResponse) -> [UInt8] {
        guard otherTexts, var object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else { return response.body }
        if let message = object["message"] as? String { object["message"] = "\(response.status >= 400 ? "Request refused" : "OK"): \(message.lowercased())" }
        object["code"] = response.status >= 400 ? "E\(response.status)" : "OK"
        object["requestId"] = UUID().uuidString
        if var data = object["data"] as? [String: Any] {
            data["apiVersion"] = 2
            object["data"] = data
        }
        return APIResponse.encode(object)
    }
}



extension JourneyService {
    /// `POST /__reference/fixtures` with an optional `{"studentHome": {latitude, longitude}}`.
    func makeFixture(body: [UInt8]) async -> APIResponse {
        struct FixtureRequest: Decodable { var studentHome: Coordinate? }
        return await respond {
            var home = Coordinate.defaultHome
            if !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                guard let request = try? JSONDecoder().decode(FixtureRequest.self, from: Data(body)) else {
                    throw APIError(400, #"Invalid body: expected {"studentHome": {"latitude": …, "longitude": …}} or nothing"#)
                }
                home = request.studentHome ?? home
            }
            guard home.isValid else { throw APIError(400, "studentHome out of range") }
            let fixture = try await directory.makeFixture(studentHome: home)
            return APIResponse(status: 201, body: Array((try? JSONEncoder.sorted.encode(fixture)) ?? Data()), headers: [])
        }
    }

    /// `POST /__reference/fixtures?count=K`: `{"fixtures": [K fixtures]}`, for the scale probe.
    func makeFixtures(count text: String, body: [UInt8]) async -> APIResponse {
        struct Batch: Encodable { var fixtures: [Fixture] }
        return await respond {
            guard let count = Int(text), (1...50_000).contains(count) else { throw APIError(400, "count must be within 1–50000") }
            let decoded = try? JSONDecoder().decode([String: Coordinate].self, from: Data(body))
            let home = decoded?["studentHome"] ?? .defaultHome
            var fixtures: [Fixture] = []
            fixtures.reserveCapacity(count)
            for _ in 0..<count { fixtures.append(try await directory.makeFixture(studentHome: home)) }
            return APIResponse(status: 201, body: Array((try? JSONEncoder.sorted.encode(Batch(fixtures: fixtures))) ?? Data()), headers: [])
        }
    }
}

extension APIResponse {
    func http(_ style: AnswerStyle) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return Response(status: .init(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: style.body(self))))
    }
}
