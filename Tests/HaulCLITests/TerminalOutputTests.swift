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

    @Test("a long import shows its progress on a terminal, every 10,000 items, and nothing in a pipe")
    func importProgress() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 20,500 cash items in one seizure: two progress lines (10,000 and 20,000), then the check.
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <case xmlns="urn:haul:ns:case:1" schemaVersion="1.5">
          <header><reference>BIG-1</reference><jurisdiction>GB-EAW</jurisdiction><openedOn>2021-01-04</openedOn>
            <agencies><agency id="A1" role="seizing">Agency</agency></agencies></header>
          <seizures><seizure id="S0" agency="A1"><seizedAt zone="Europe/London">2021-01-04T09:00:00Z</seizedAt>
            <place>Place</place><power>poca-s294-cash</power><officer>Officer</officer><items>

        """
        for index in 0..<20_500 { xml += "<item id=\"I-\(index)\" exhibit=\"E-\(index)\"><cash><currency>GBP</currency><amount>100.00</amount></cash></item>\n" }
        xml += "</items></seizure></seizures></case>\n"
        let file = folder + "/big.xml"
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        // In a pipe: the result only.
        let piped = try cli.haul("import", file, environment: ["HAUL_DB": folder + "/piped.sqlite", "HAUL_HOME": folder])
        #expect(piped.status == 0 && piped.stdout.contains("Imported case BIG-1: 1 seizure, 20500 items"), "\(piped.stderr)")
        #expect(!piped.stderr.contains("importing"))
        guard let script = try CLITests.tool("script", package: "bsdutils") else { return }
        let command = [CLITests.binary, "import", file].joined(separator: " ")
        let shown = try cli.runTool(script, ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "HAUL_DB": folder + "/terminal.sqlite", "HAUL_HOME": folder]).stdout
        #expect(shown.contains("\r\u{1B}[Kimporting big.xml: 10000 items read\r\u{1B}[Kimporting big.xml: 20000 items read"), "\(shown)")
        // Cleared before the result is printed.
        #expect(shown.contains("importing big.xml: 20500 items read; checking the chain and recording the case\r\u{1B}[KImported case BIG-1: 1 seizure, 20500 items"), "\(shown)")
        // A refusal after the line was shown starts on a cleared line: an item id taken twice, at item 15,000.
        let twice = folder + "/twice.xml"
        try xml.replacingOccurrences(of: "<item id=\"I-15000\"", with: "<item id=\"I-14999\"").write(toFile: twice, atomically: true, encoding: .utf8)
        let refused = try cli.runTool(script, ["-qec", [CLITests.binary, "import", twice].joined(separator: " "), "/dev/null"],
                                      environment: ["TERM": "xterm", "HAUL_DB": folder + "/refused.sqlite", "HAUL_HOME": folder]).stdout
        #expect(refused.contains("importing twice.xml: 10000 items read\r\u{1B}[K\(twice) is not a valid case file") && refused.contains("I-14999"), "\(refused)")
        #expect(!refused.contains("items read; checking"), "\(refused)")
    }
}
