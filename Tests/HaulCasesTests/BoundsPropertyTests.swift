import Foundation
import HaulCases
import HaulCore
import HaulData
import HaulStore
import HaulTestSupport
import HaulXML
import Testing

/// The property of "safe by construction": a case built only through the library's front door,
/// with values at and beyond every bound the schema states, is either refused where the value
/// enters or exports as a file both Haul and xmllint accept.
@Suite("Random cases at and beyond every bound")
struct BoundsPropertyTests {
    func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

    /// Texts around the ShortText bound, one with a control character.
    func text(_ generator: inout SeededGenerator) -> String {
        let lengths = [1, 199, 200, 201, 5000]
        var value = String(repeating: "é", count: lengths.randomElement(using: &generator)!)
        if Int.random(in: 0..<8, using: &generator) == 0 { value += "\u{7}" }
        return value
    }

    func amount(_ generator: inout SeededGenerator) -> FixedDecimal {
        decimal(["0", "0.01", "1000", "999999999999999.99", "1000000000000000", "0.001", "99999999999999999999"].randomElement(using: &generator)!)
    }

    func quantity(_ generator: inout SeededGenerator) -> FixedDecimal {
        decimal(["0.000001", "0.0000001", "1", "1000000000", "1000000001", "1000000000000"].randomElement(using: &generator)!)
    }

    /// One item of a random kind, or nil when its own initialiser refused a value.
    func item(_ index: Int, _ generator: inout SeededGenerator) -> Item? {
        let id = try! Identifier("I-\(index)"), exhibit = try! Identifier("X/\(index)")
        let description = Bool.random(using: &generator) ? text(&generator) : nil
        do {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0:
                let purity = Bool.random(using: &generator) ? try Purity(percent: decimal(["0", "55.5", "100", "100.0001", "250"].randomElement(using: &generator)!), method: .laboratory) : nil
                return Item(id: id, exhibit: exhibit, description: description,
                            details: .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(quantity(&generator), .gram)), purity: purity)))
            case 1:
                return Item(id: id, exhibit: exhibit, description: description, details: .cash(try CashItem(currency: .gbp, countedAmount: amount(&generator))))
            case 2:
                return Item(id: id, exhibit: exhibit, description: description,
                            details: .watch(WatchItem(brand: text(&generator), model: "Submariner Date", condition: .good, hasBox: true, hasPapers: false)))
            case 3:
                return Item(id: id, exhibit: exhibit, description: description,
                            details: .jewellery(try JewelleryItem(metal: .gold, fineness: decimal(["375", "999.9", "999.99", "999.999", "1000", "1001"].randomElement(using: &generator)!),
                                                                  mass: try Mass(quantity(&generator), .gram), isGemSet: false)))
            case 4:
                return Item(id: id, exhibit: exhibit, description: description,
                            details: .cryptoasset(try CryptoassetItem(asset: "BTC", units: decimal(["0.000000000000000001", "1", "1000000000000", "1000000000001"].randomElement(using: &generator)!))))
            default:
                return Item(id: id, exhibit: exhibit, description: description,
                            details: .vehicle(VehicleItem(make: text(&generator), model: "Focus", year: 2019, condition: .clean, vehicleClass: .mainstream)))
            }
        } catch {
            return nil
        }
    }

    @Test("40 random cases: what each accepts exports valid (Haul's validator, and xmllint where installed)")
    func acceptedExports() throws {
        var generator = SeededGenerator(state: 20_261_202)
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-property-XXXXXX").utf8CString)
        let folder = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let register = try SQLiteRegister(path: folder + "/register.sqlite")
        let work = Casework(register: register, actor: "property test")
        var refused = 0, accepted = 0
        for number in 0..<40 {
            let reference = try Identifier("P-\(number)")
            let header = Case(reference: reference, jurisdiction: .englandAndWales,
                              operationName: Bool.random(using: &generator) ? text(&generator) : nil, openedOn: try CalendarDate(parsing: "2021-03-01"),
                              agencies: [Agency(id: "A1", name: Bool.random(using: &generator) ? text(&generator) : "Agency", role: .seizing)], seizures: [])
            do { _ = try work.open(header) } catch { refused += 1; continue }
            let seizure = Seizure(id: "S1", seizedAt: try ZonedDateTime(parsing: "2021-03-01T10:00:00Z", zone: "Europe/London"),
                                  place: Int.random(in: 0..<4, using: &generator) == 0 ? text(&generator) : "Bristol", power: .warrant,
                                  officer: "DC 1", agency: "A1", items: [])
            var items = 0
            for index in 0..<5 {
                guard let item = item(index, &generator) else { refused += 1; continue }
                do {
                    _ = try work.addItem(item, to: reference, seizure: "S1", newSeizure: items == 0 ? seizure : nil)
                    items += 1
                    accepted += 1
                } catch { refused += 1 }
            }
            do { try work.addPerson(Person(id: "P-1", role: .defendant, name: text(&generator)), to: reference); accepted += 1 } catch { refused += 1 }
            guard items > 0 else { continue }
            let stored = try register.load(reference)
            let file = URL(fileURLWithPath: folder + "/\(reference).xml")
            // Haul's exporter validates before it publishes: a throw here is an accepted value the file cannot carry.
            try CaseFileExporter().export(stored, to: file)
            if let xmllint = ["/usr/bin/xmllint"].first(where: FileManager.default.isExecutableFile(atPath:)) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: xmllint)
                process.arguments = ["--noout", "--schema", HaulData.caseSchemaV1.path, file.path]
                process.standardError = FileHandle.nullDevice
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "xmllint refused \(file.lastPathComponent)")
            } else {
                try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "xmllint is required here")
            }
        }
        // The generator reaches both sides of the bounds.
        #expect(refused > 20 && accepted > 20, "refused \(refused), accepted \(accepted)")
    }
}
