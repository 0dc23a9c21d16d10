import Foundation
import HTTPTypes
import Hummingbird

/// Stamps each answer with the monotonic time (ns) at which the reference began executing the
/// request, after its last byte arrived. On one machine these stamps are comparable, which is how
/// the race probe measures how tightly its burst reached the server (the spread).
struct RequestTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-Reference-Began-Ns")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let began = DispatchTime.now().uptimeNanoseconds
        var response = try await next(request, context)
        response.headers[Self.headerName] = String(began)
        return response
    }
}
