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
    /// `evb-no-timeout`: awaited, errors swallowed, with a client timeout far beyond the contract's 2 s.
    let awaitWithoutTimeout: Bool
    /// `events-before-answer`: the request gives the publish a bounded head start.
    let headStart: Duration?
    let disabled: Bool
    let logger: Logger
    let client: HTTPClient

    public init(endpoint: URL?, faults: Set<Fault>, variants: Set<Variant> = [], logger: Logger) {
        self.endpoint = endpoint
        self.awaitAndThrow = faults.contains(.evbThrows)
        self.awaitWithoutTimeout = faults.contains(.evbNoTimeout)
        self.headStart = variants.contains(.eventsBeforeAnswer) ? .milliseconds(100) : nil
        self.disabled = faults.contains(.noEvents)
        self.logger = logger
        self.client = HTTPClient(timeout: .seconds(awaitWithoutTimeout ? 10 : Int64(ContractLimits.publishTimeoutSeconds)))
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
        if awaitWithoutTimeout {
            try? await send(request, detailType: detailType)
            return
        }
        let publishing = Task { [self] in try? await send(request, detailType: detailType) }
        if let headStart {
            // Out before the answer in practice, but never waited on beyond the head start.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await publishing.value }
                group.addTask { try? await Task.sleep(for: headStart) }
                await group.next()
                group.cancelAll()
            }
        }
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
