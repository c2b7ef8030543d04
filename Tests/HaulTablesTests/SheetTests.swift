import Foundation
import HaulCore
@testable import HaulTables
import Testing

@Suite("Trimming a CSV field")
struct FieldTrimTests {
    @Test("a field is trimmed exactly as Foundation's .whitespaces trims it (spaces, tabs, every Unicode Zs space; not line breaks)")
    func sameAsFoundation() {
        let samples = ["", " ", "\t", "cocaine", " cocaine ", "\tkg\t", "\u{00A0}12.5\u{00A0}", "\u{3000}東京\u{3000}", "\u{2009}thin\u{2009}",
                       "\nline\n", " a b ", "é ", " é", "\u{200B}zero-width\u{200B}", "\u{1680}ogham", "x\u{202F}", "  \t\u{00A0} "]
        for sample in samples {
            #expect(CSVFields.trimmingSpaces(sample) == sample.trimmingCharacters(in: .whitespaces), "\(sample.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Every scalar of the Basic Multilingual Plane (where every space is), alone and around a word.
        var differing: [String] = []
        for value in 0...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let sample = String(scalar) + "x" + String(scalar)
            if CSVFields.trimmingSpaces(sample) != sample.trimmingCharacters(in: .whitespaces) { differing.append(String(value, radix: 16)) }
        }
        #expect(differing.isEmpty, "\(differing)")
    }
}

@Suite("Dates as a UK spreadsheet writes them")
struct SheetDateTests {
    @Test("DD/MM/YYYY is the day first; a date that does not exist is refused; other forms are left as written")
    func ukDates() throws {
        #expect(try SheetDates.isoDate(fromUK: "01/03/2021") == "2021-03-01")
        #expect(try SheetDates.isoDate(fromUK: "1/3/2021") == "2021-03-01")
        #expect(try SheetDates.isoDate(fromUK: "2021-03-01") == nil)
        #expect(try SheetDates.isoDate(fromUK: "01/03/21") == nil)
        #expect(throws: HaulCoreError.self) { try SheetDates.isoDate(fromUK: "31/02/2021") }
        #expect(throws: HaulCoreError.self) { try SheetDates.isoDate(fromUK: "03/13/2021") }
        #expect(try SheetDates.localTime(fromSheet: "01/03/2021 06:10") == "2021-03-01T06:10")
        #expect(try SheetDates.localTime(fromSheet: "01/03/2021 06:10:00") == "2021-03-01T06:10")
        #expect(try SheetDates.localTime(fromSheet: "2021-03-01 06:10") == "2021-03-01T06:10")
        #expect(try SheetDates.localTime(fromSheet: "2021-03-01T06:10") == nil)
        #expect(throws: HaulCoreError.self) { try SheetDates.localTime(fromSheet: "01/03/2021") }
    }

    @Test("Windows-1252's 0x80–0x9F are its own characters; its five undefined bytes are refused")
    func windows1252() throws {
        let sheet = try SheetText.decode(Data([0x80, 0x96, 0x9F, 0xA3, 0x41]), file: "f.csv")
        #expect(sheet.text == "€–Ÿ£A")
        #expect(sheet.note?.contains("Windows-1252") == true)
        for undefined: UInt8 in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            #expect(throws: TableProblem.self) { try SheetText.decode(Data([0x41, 0x0A, undefined]), file: "f.csv") }
        }
        let bom = try SheetText.decode(Data([0xEF, 0xBB, 0xBF]) + Data("a,b\n".utf8), file: "f.csv")
        #expect(bom.text == "a,b\n" && bom.note == nil)
    }
}
