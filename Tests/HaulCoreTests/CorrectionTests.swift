import HaulCore
import Testing

@Suite("Corrections in the event chain")
struct CorrectionTests {
    func event(_ sequence: Int, _ to: State, at hour: Int, supersedes: Int? = nil) throws -> StatusEvent {
        StatusEvent(sequence: sequence, at: try ZonedDateTime(parsing: "2020-06-18T\(hour < 10 ? "0" : "")\(hour):00:00+01:00", zone: "Europe/London"),
                    items: [Identifier("I-1")], from: nil, to: to, actor: "test", previousHash: nil, hash: "", supersedes: supersedes)
    }

    @Test("a correction takes the place of the event it replaces; a correction of a correction too")
    func inForce() throws {
        let events = [try event(1, .detained, at: 7), try event(2, .detentionOrder, at: 9),
                      try event(3, .detained, at: 8, supersedes: 1), try event(4, .detained, at: 6, supersedes: 3)]
        #expect(StatusEvent.inForce(events).map(\.sequence) == [4, 2])
        #expect(StatusEvent.inForce(Array(events.prefix(3))).map(\.sequence) == [3, 2])
        #expect(StatusEvent.inForce(Array(events.prefix(2))).map(\.sequence) == [1, 2])
        #expect(StatusEvent.supersededBy(events) == [1: 3, 3: 4])
    }
}
