import Foundation
import Wire

/// `trip.restartCommand`: runs the command, then waits (bounded) until the target answers again.
public struct CommandRestart: TargetRestart {
    let command: [String]
    let ready: HTTPRequestSpec
    let client: HTTPClient

    public init(command: [String], ready: HTTPRequestSpec, client: HTTPClient) {
        self.command = command
        self.ready = ready
        self.client = client
    }

    public func restart() async throws {
        _ = try await CommandRunner.run(command, timeout: 120)
        var quick = client
        quick.timeout = .seconds(2)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await quick.send(ready)) != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw ProbeError("the target did not answer \(ready.url.absoluteString) within 60 s of the restart command")
    }
}
