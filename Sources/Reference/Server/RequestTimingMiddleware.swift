import Foundation
import HTTPTypes
import Hummingbird

/// Stamps each answer with the monotonic time (ns) at which the reference began executing the
/// request, after its last byte arrived. On one machine these stamps are comparable, which is how
/// the race probe measures how tightly its burst reached the server (the spread).
struct RequestTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-Reference-Began-Ns")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // No handler acts on a request before its last byte: over HTTP/2 Hummingbird dispatches
        // on HEADERS, and a race's withheld final frame must hold every handler back. The body
        // is kept, so a handler that reads it still can.
        var request = request
        _ = try await request.collectBody(upTo: 64 * 1024)
        let began = DispatchTime.now().uptimeNanoseconds
        var response = try await next(request, context)
        response.headers[Self.headerName] = String(began)
        return response
    }
}
