import Foundation
import HaulCore
import HaulData
@testable import haul
import Testing

/// Amounts, counts and colour as a terminal shows them.
@Suite("terminal output people read")
struct TerminalOutputTests {
    let cli = CLITests()

    @Test("amounts: en-GB thousands, the currency's symbol or code, to its minor units (half up)")
    func money() throws {
        #expect(Output.money(Money(FixedDecimal("1234567.885")!, .gbp)) == "£1,234,567.89")
        #expect(Output.money(Money(FixedDecimal("999.5")!, .gbp)) == "£999.50")
        #expect(Output.money(Money(FixedDecimal("-1500")!, .gbp)) == "-£1,500.00")
        #expect(Output.money(Money(FixedDecimal("0")!, .gbp)) == "£0.00")
        #expect(Output.money(Money(FixedDecimal("1000000")!, .eur)) == "€1,000,000.00")
        #expect(Output.money(Money(FixedDecimal("12.5")!, .usd)) == "US$12.50")
        #expect(Output.money(Money(FixedDecimal("3000")!, try Currency(code: "CHF"))) == "CHF 3,000.00")
        // The yen has no minor unit.
        #expect(Output.money(Money(FixedDecimal("1234567")!, try Currency(code: "JPY"))) == "JPY 1,234,567")
        #expect(Output.count(1, "seizure") == "1 seizure" && Output.count(3, "seizure") == "3 seizures" && Output.count(2, "currency", "currencies") == "2 currencies")
        #expect(Output.wrap("one two three four five", width: 9, indent: "  ") == "one two\n  three\n  four\n  five")
        #expect(Output.right("£5.00", 8) == "   £5.00")
    }

    @Test("OVERDUE in colour on a terminal; plain with NO_COLOR and in a pipe")
    func colour() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", environment: env).status == 0)
        // In a pipe: plain.
        let piped = try cli.haul("due", "--on", "2020-06-30", "--within", "1d", environment: env)
        #expect(piped.stdout.contains("  OVERDUE 2020-06-22 07:20"))
        #expect(!piped.stdout.contains("\u{1B}["))
        // On a terminal (script(1) gives the command a pseudo-terminal): red, unless NO_COLOR is set.
        guard let script = try CLITests.tool("script", package: "bsdutils") else { return }
        func onTerminal(_ extra: [String: String]) throws -> String {
            let command = ([CLITests.binary, "due", "--on", "2020-06-30", "--within", "1d"]).joined(separator: " ")
            return try cli.runTool(script, ["-qec", command, "/dev/null"], environment: ["TERM": "xterm"].merging(env) { $1 }.merging(extra) { $1 }).stdout
        }
        #expect(try onTerminal([:]).contains("\u{1B}[31mOVERDUE\u{1B}[0m 2020-06-22 07:20"))
        #expect(!(try onTerminal(["NO_COLOR": "1"])).contains("\u{1B}["))
    }
}
