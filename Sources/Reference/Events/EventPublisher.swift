import Foundation
import Logging
import NIOCore
import Wire

/// Publishes the contract's events with EventBridge `PutEvents` (AWS JSON 1.1).
///
/// Best-effort by design (seeds/000 §3): the request never waits for EventBridge, a failure is a
/// log line, and the call has a 2 s deadline. Under `evb-throws` the publish is awaited inside the
/// request and a failure throws, which is the seeds' bug the auditor must catch.
public struct EventPublisher: Sendable {
    public static let busName = "application-events"
    public static let source = "admin-service"

    let endpoint: URL?
    let awaitAndThrow: Bool
    let disabled: Bool
    let logger: Logger
    let client = HTTPClient(timeout: .seconds(Int64(ContractLimits.publishTimeoutSeconds)))

    public init(endpoint: URL?, faults: Set<Fault>, logger: Logger) {
        self.endpoint = endpoint
        self.awaitAndThrow = faults.contains(.evbThrows)
        self.disabled = faults.contains(.noEvents)
        self.logger = logger
    }

    func publish(_ detailType: String, detail: [String: String]) async throws {
        if disabled { return }
        guard let endpoint else {
            logger.info("event dropped: no --eventbridge-endpoint", metadata: ["detailType": "\(detailType)"])
            return
        }
        let request = Self.putEventsRequest(endpoint: endpoint, detailType: detailType, detail: detail)
        if awaitAndThrow {
            try await send(request, detailType: detailType)
            return
        }
        Task { [self] in try? await send(request, detailType: detailType) }
    }

    private func send(_ request: HTTPRequestSpec, detailType: String) async throws {
        do {
            let response = try await client.send(request)
            let failed = (response.json?["FailedEntryCount"] as? Int) ?? 0
            guard response.status < 300, failed == 0 else {
                throw PublishFailed(reason: "HTTP \(response.status), FailedEntryCount \(failed): \(response.bodyText.prefix(200))")
            }
        } catch let error as PublishFailed {
            logger.error("EventBridge publish failed", metadata: ["detailType": "\(detailType)", "reason": "\(error.reason)"])
            throw error
        } catch {
            logger.error("EventBridge publish failed", metadata: ["detailType": "\(detailType)", "reason": "\(error)"])
            throw PublishFailed(reason: "\(error)")
        }
    }

    /// The PutEvents call as the AWS SDK sends it (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html).
    static func putEventsRequest(endpoint: URL, detailType: String, detail: [String: String]) -> HTTPRequestSpec {
        let entry: [String: Any] = [
            "EventBusName": busName,
            "Source": source,
            "DetailType": detailType,
            "Detail": JSONText.encode(detail),
        ]
        return HTTPRequestSpec(
            method: "POST",
            url: endpoint,
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSEvents.PutEvents")],
            body: Array(JSONText.encode(["Entries": [entry]]).utf8)
        )
    }
}

struct PublishFailed: Error {
    var reason: String
}
