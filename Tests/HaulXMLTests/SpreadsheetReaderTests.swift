import Foundation
import HaulTestSupport
@testable import HaulXML
import Testing

/// The XLSX reader, on workbooks written by openpyxl (an independent writer).
@Suite("XLSX workbooks")
struct SpreadsheetReaderTests {
    func workbook(_ folder: TemporaryFolder) throws -> String? {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
        let path = folder.path("book.xlsx")
        let script = """
            import sys
            from openpyxl import Workbook
            wb = Workbook()
            ws = wb.active; ws.title = "First"
            ws["A1"] = "name"; ws["B1"] = "value"; ws["D1"] = "far"
            ws["A2"] = "pi"; ws["B2"] = 3.14159; ws["D2"] = True
            ws["A4"] = "tenth"; ws["B4"] = 0.1 + 0.2
            ws["AA5"] = "column 27"
            second = wb.create_sheet("Second sheet")
            second.append(["x", 40.8, 1234567.89])
            wb.save(sys.argv[1])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "openpyxl is required here: apt-get install python3-openpyxl")
            return nil
        }
        return path
    }

    @Test("sheets by name, rows by the numbers a spreadsheet shows, cells by column; numbers as typed, shared strings and booleans as text")
    func cells() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        guard let path = try workbook(folder) else { return }
        let book = try SpreadsheetReader().read(fileAt: path)
        #expect(book.sheets.map(\.name) == ["First", "Second sheet"])
        let first = try #require(book.sheet(named: "First"))
        #expect(first.rows.map(\.number) == [1, 2, 4, 5])
        #expect(first.rows[0].cells == ["name", "value", "", "far"])
        #expect(first.rows[1].cells == ["pi", "3.14159", "", "TRUE"])
        // 0.1 + 0.2 is stored as the double 0.30000000000000004: read at a spreadsheet's 15 digits.
        #expect(first.rows[2].cells == ["tenth", "0.3"])
        #expect(first.rows[3].cells.count == 27 && first.rows[3].cells[26] == "column 27")
        #expect(book.sheet(named: "Second sheet")?.rows.first?.cells == ["x", "40.8", "1234567.89"])
    }

    @Test("numbers stored as binary doubles are read as the decimals typed")
    func numbers() {
        #expect(SpreadsheetReader.decimalText("40.799999999999997") == "40.8")
        #expect(SpreadsheetReader.decimalText("1.1000000000000001") == "1.1")
        #expect(SpreadsheetReader.decimalText("0.30000000000000004") == "0.3")
        #expect(SpreadsheetReader.decimalText("52000") == "52000")
        #expect(SpreadsheetReader.decimalText("1E-3") == "0.001")
        #expect(SpreadsheetReader.decimalText("0.000123456789012345678") == "0.000123456789012346")
        #expect(SpreadsheetReader.decimalText("not a number") == "not a number")
    }

    @Test("a part larger than the limit is refused before it is inflated; a file that is no zip is named as such")
    func limits() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        guard let path = try workbook(folder) else { return }
        #expect {
            _ = try SpreadsheetReader(maximumPartBytes: 200).read(fileAt: path)
        } throws: { "\($0)".contains("inflates to") && "\($0)".contains("more than the 200 accepted") }
        // Cells far to the right: empty ones cost nothing, a filled one is refused, not grown into.
        let python = "/usr/bin/python3"
        let far = folder.path("far.xlsx")
        let script = """
            import sys
            from openpyxl import Workbook
            wb = Workbook(); ws = wb.active
            for row in range(1, 2000): ws.cell(row=row, column=16384, value=None); ws.cell(row=row, column=1, value="x")
            wb.save(sys.argv[1])
            wb2 = Workbook(); wb2.active.cell(row=1, column=16384, value="far"); wb2.save(sys.argv[2])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, far, folder.path("farther.xlsx")]
        try process.run()
        process.waitUntilExit()
        let narrow = try SpreadsheetReader().read(fileAt: far)
        #expect(narrow.sheets[0].rows.count == 1999 && narrow.sheets[0].rows.allSatisfy { $0.cells == ["x"] })
        #expect {
            _ = try SpreadsheetReader().read(fileAt: folder.path("farther.xlsx"))
        } throws: { "\($0)".contains("a cell beyond column 256") }
        let text = try folder.write("sheet.xlsx", "name,value\n")
        #expect {
            _ = try SpreadsheetReader().read(fileAt: text)
        } throws: { "\($0)".contains("is not an XLSX workbook (it does not open as a zip package)") }
    }
}
