import Foundation
import Testing

/// Disposal through the command line: the retention review shows in `haul due` once it has
/// passed, and an item ends only with its authority.
@Suite("haul status: disposal")
struct DisposalCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    @Test("a retained firearm's review is listed when overdue; destruction needs its order and ends the item")
    func disposal() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        // I-003 (a firearm) falls under the disposal pack by default.
        let retained = try cli.haul("status", "I-003", "retained", "--on", "2020-06-19T10:00", environment: env)
        #expect(retained.stdout.contains("  I-003 next deadline: 2021-06-18 23:59 — gb-disposal-retention-review"))
        // 12 months beginning with 19 June 2020 end with 18 June 2021: overdue on the 19th.
        let due = try cli.haul("due", "SW-2020-0417", "--on", "2021-06-19", "--within", "1d", environment: env)
        #expect(due.stdout.contains("  OVERDUE 2021-06-18 23:59  SW-2020-0417/I-003 (HAL/AB/3)  retained\n"))
        #expect(due.stdout.contains("[unverified]"))
        let noOrder = try cli.haul("status", "I-003", "destroyed", "--on", "2021-06-20T10:00", environment: env)
        #expect(noOrder.status == 1)
        #expect(noOrder.stderr.contains("retained → destroyed needs the authority for it"))
        #expect(try cli.haul("status", "I-003", "destroyed", "--on", "2021-06-20T10:00", "--authority", "Bromley MC 2021/0620 (Firearms Act 1968 s.52)", environment: env).status == 0)
        let after = try cli.haul("status", "I-003", "returned", "--on", "2021-06-21T10:00", environment: env)
        #expect(after.status == 1)
        #expect(after.stderr.contains("allowed from destroyed: none (a final state)"))
        #expect(!(try cli.haul("due", "--on", "2021-06-21", "--within", "1d", "--case", "SW-2020-0417", environment: env)).stdout.contains("I-003"))
    }
}
