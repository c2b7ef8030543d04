import Foundation
import HaulCore
import ZIPFoundation

/// Reads the cells of an Office Open XML workbook (`.xlsx`): the sheets by name, each row's cells
/// as text by column, with the row numbers a spreadsheet program shows. The package is read with
/// ZIPFoundation and each part with Haul's safe streaming parser (no DTD, no entities, no
/// network), every part's size bounded before it is inflated.
///
/// ```swift
/// let book = try SpreadsheetReader().read(fileAt: "statistical-annex.xlsx")
/// let prices = book.sheet(named: "Prices in USD")
/// ```
public struct SpreadsheetReader: Sendable {
    /// Largest inflated part accepted (a sheet, the shared strings): a small file inflating to
    /// gigabytes is refused, not read.
    public var maximumPartBytes: Int

    /// Makes a reader.
    ///
    /// - Parameter maximumPartBytes: the largest inflated part accepted, in bytes (256 MiB unless given).
    public init(maximumPartBytes: Int = 256 << 20) { self.maximumPartBytes = maximumPartBytes }

    /// One sheet: its rows that hold something, in order, each with its number (1-based, as
    /// shown) and its cells by column index (0 is column A); an empty cell is "".
    public struct Sheet: Sendable {
        /// The sheet's name, as its tab shows it.
        public var name: String
        /// The rows that hold something, in order: each row's number (1-based) and its cells by column (0 is A).
        public var rows: [(number: Int, cells: [String])]
    }

    /// A workbook's sheets, as read.
    public struct Workbook: Sendable {
        /// Every sheet of the workbook.
        public var sheets: [Sheet]
        /// The sheet with exactly this name.
        ///
        /// - Parameter name: the sheet's name, as its tab shows it (compared exactly).
        /// - Returns: The first sheet of that name, or nil when there is none.
        public func sheet(named name: String) -> Sheet? { sheets.first { $0.name == name } }
    }

    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Reads every sheet of the workbook at `path`.
    public func read(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> Workbook {
        let name = displayName ?? path
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw HaulXMLError(.invalidDocument, "\(name) is not an XLSX workbook (it does not open as a zip package): save it as Excel Workbook (.xlsx)")
        }
        func part(_ entryPath: String) throws(HaulXMLError) -> Data? {
            guard let entry = archive[entryPath] else { return nil }
            guard entry.uncompressedSize <= UInt64(maximumPartBytes) else {
                throw HaulXMLError(.unsafeDocument, "\(name): the part \(entryPath) inflates to \(entry.uncompressedSize) bytes, more than the \(maximumPartBytes) accepted")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    // The size in the header is the writer's claim: count what actually inflates.
                    if data.count > maximumPartBytes { throw HaulXMLError(.unsafeDocument, "\(name): the part \(entryPath) inflates past \(maximumPartBytes) bytes") }
                }
            } catch let error as HaulXMLError {
                throw error
            } catch {
                throw HaulXMLError(.invalidDocument, "\(name): the part \(entryPath) cannot be read (\(error)); the file is damaged")
            }
            return data
        }
        let limits = XMLReadLimits(maximumBytes: maximumPartBytes)
        func parse(_ entryPath: String, _ handler: XMLEventHandler) throws(HaulXMLError) {
            guard let data = try part(entryPath) else {
                throw HaulXMLError(.invalidDocument, "\(name) has no \(entryPath): it is not an Excel workbook")
            }
            let problems = try SafeXMLStream.run(data: data, displayName: "\(name)!\(entryPath)", schema: nil, limits: limits, handlers: [handler])
            if let first = problems.first {
                throw HaulXMLError(.invalidDocument, "\(name): \(entryPath) is not well-formed XML: \(marked: ErrorMessage(quotingValues: first.message))", diagnostics: problems)
            }
        }
        let workbook = WorkbookSheets()
        try parse("xl/workbook.xml", workbook)
        let links = WorkbookLinks()
        try parse("xl/_rels/workbook.xml.rels", links)
        let strings = SharedStrings()
        if archive["xl/sharedStrings.xml"] != nil { try parse("xl/sharedStrings.xml", strings) }
        var sheets: [Sheet] = []
        for (sheetName, id) in workbook.sheets {
            guard let target = links.targets[id] else {
                throw HaulXMLError(.invalidDocument, "\(name): the sheet '\(sheetName)' names a part (\(id)) the workbook does not list")
            }
            // Targets are relative to xl/ ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/sheet1.xml").
            let entryPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            let cells = SheetCells(strings: strings.strings, sheet: sheetName, file: name)
            try parse(entryPath, cells)
            if let problem = cells.problem { throw HaulXMLError(.invalidDocument, problem) }
            sheets.append(Sheet(name: sheetName, rows: cells.rows))
        }
        return Workbook(sheets: sheets)
    }

    /// Column letters to a 0-based index: A → 0, Z → 25, AA → 26.
    static func column(ofReference reference: String) -> Int? {
        var index = 0, letters = 0
        for character in reference.unicodeScalars {
            guard character.value >= 65 && character.value <= 90 else { break }
            index = index * 26 + Int(character.value - 64)
            letters += 1
        }
        guard letters > 0, letters <= 3 else { return nil }
        return index - 1
    }

    /// A number as a spreadsheet stores it (the shortest text of a binary double, or up to 17
    /// significant digits: "40.799999999999997") as the decimal it was typed as: rounded to 15
    /// significant digits, the precision a spreadsheet shows, trailing zeros dropped.
    static func decimalText(_ stored: String) -> String {
        guard stored.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "E" || $0 == "e" || $0 == "+") }),
              let value = Decimal(string: stored, locale: Locale(identifier: "en_US_POSIX")), value.isFinite else { return stored }
        if value.isZero { return "0" }
        // 15 significant digits: counted on the plain digits, never through a Double.
        // The file's own notation (it may write 4.08E+1) is read with Foundation's Decimal, at this edge only.
        let plain = abs(value).description
        let whole = plain.prefix { $0 != "." }
        let fraction = plain.split(separator: ".", maxSplits: 1).dropFirst().first ?? ""
        let scale = whole != "0" ? max(0, 15 - whole.count) : 15 + fraction.prefix { $0 == "0" }.count
        var input = value, rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        return rounded.description
    }
}

/// `xl/workbook.xml`: each sheet's name and relationship id, in order.
private final class WorkbookSheets: XMLEventHandler {
    var sheets: [(name: String, id: String)] = []
    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        guard name == "sheet", let sheetName = attributes["name"], let id = attributes["{\(SpreadsheetReader.relationships)}id"] else { return }
        sheets.append((sheetName, id))
    }
    func text(_ text: String) {}
    func endElement(_ name: String, line: Int) {}
    var wantsText: Bool { false }
    var interestingElements: Set<String>? { ["sheet"] }
}

/// `xl/_rels/workbook.xml.rels`: relationship id → part.
private final class WorkbookLinks: XMLEventHandler {
    var targets: [String: String] = [:]
    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }
    func text(_ text: String) {}
    func endElement(_ name: String, line: Int) {}
    var wantsText: Bool { false }
    var interestingElements: Set<String>? { ["Relationship"] }
}

/// `xl/sharedStrings.xml`: each `si`'s text (its runs joined; phonetic runs left out).
private final class SharedStrings: XMLEventHandler {
    var strings: [String] = []
    private var current = ""
    private var inText = false, inPhonetic = false
    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        switch name {
        case "si": current = ""
        case "rPh": inPhonetic = true
        case "t": inText = !inPhonetic
        default: break
        }
    }
    func text(_ text: String) { if inText { current += text } }
    func endElement(_ name: String, line: Int) {
        switch name {
        case "si": strings.append(current)
        case "rPh": inPhonetic = false
        case "t": inText = false
        default: break
        }
    }
    var wantsText: Bool { inText }
    var interestingElements: Set<String>? { ["si", "t", "rPh", "r"] }
}

/// A worksheet's cells: `row r="N"` holding `c r="B7" t="s|str|inlineStr|n|b|e"` with a `v` or `is/t`.
private final class SheetCells: XMLEventHandler {
    let strings: [String]
    let sheet: String
    let file: String
    var rows: [(number: Int, cells: [String])] = []
    var problem: String?
    private var rowNumber = 0
    private var cells: [String] = []
    private var column = 0
    private var type = "n"
    private var value = ""
    private var inValue = false
    /// The widest row Haul reads (the annex has a dozen columns).
    static let maximumColumns = 256

    init(strings: [String], sheet: String, file: String) {
        self.strings = strings
        self.sheet = sheet
        self.file = file
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            column = attributes["r"].flatMap(SpreadsheetReader.column(ofReference:)) ?? cells.count
            type = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            inValue = true
        default:
            break
        }
    }

    func text(_ text: String) { if inValue { value += text } }

    func endElement(_ name: String, line: Int) {
        switch name {
        case "v", "t":
            inValue = false
        case "c":
            var text = value
            switch type {
            case "s":
                guard let index = Int(value), strings.indices.contains(index) else {
                    if problem == nil { problem = "\(file): sheet '\(sheet)' row \(rowNumber): a cell names shared string \(value), which the workbook does not have" }
                    return
                }
                text = strings[index]
            case "n":
                text = SpreadsheetReader.decimalText(value)
            case "b":
                text = value == "1" ? "TRUE" : "FALSE"
            default:
                break
            }
            // Cells are kept only when they hold something, and only within the first
            // `maximumColumns`: an empty or far cell must not grow every row (a hostile file of
            // cells at column XFD would otherwise take gigabytes).
            guard !text.isEmpty else { return }
            guard column >= 0, column < SheetCells.maximumColumns else {
                if problem == nil { problem = "\(file): sheet '\(sheet)' row \(rowNumber): a cell beyond column \(SheetCells.maximumColumns), more than Haul reads" }
                return
            }
            if cells.count <= column { cells += Array(repeating: "", count: column + 1 - cells.count) }
            cells[column] = text
        case "row":
            if !cells.isEmpty { rows.append((rowNumber, cells)) }
        default:
            break
        }
    }

    var wantsText: Bool { inValue }
    var interestingElements: Set<String>? { ["row", "c", "v", "t", "is"] }
}
