import Checks
import Probes
import Testing

/// What counts as a caught check-then-set, for the benchmark's catch rate and the staging test.
@Suite("Race catch")
struct RaceCatchTests {
    @Test(arguments: [
        (["1×201 19×409", "1×201 19×409", "1×201 19×409"], false),
        (["1×201 19×409", "2×201 18×409", "1×201 19×409"], true),
        (["20×201"], true),
        (["1×201 19×503"], false),
        ([], false),
    ])
    func caught(_ rounds: [String], _ expected: Bool) {
        #expect(RaceCatch.caught(Observation(facts: ["answersPerRound": .strings(rounds)])) == expected)
    }

    @Test func unobservedIsNotCaught() {
        #expect(!RaceCatch.caught(Observation()))
    }
}
