import Foundation
import HaulTables
import HaulCore
import HaulTestSupport
import HaulData
import HaulValuation
import Testing

@Suite("CSV reading and table checks")
struct TableTests {
    @Test("RFC 4180: quotes, doubled quotes, line breaks inside quotes, CRLF, comments; records keep their line")
    func csv() throws {
        let text = "a,b,c\r\n# a comment, with \"quotes\"\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",3\n4,,\n"
        let records = try CSVReader.parse(text)
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "b", "c"]),
            CSVRecord(line: 3, fields: ["1", "x, y", "say \"hi\""]),
            CSVRecord(line: 5, fields: ["2", "two\nlines", "3"]),
            CSVRecord(line: 7, fields: ["4", "", ""]),
        ])
    }

    @Test("malformed CSV is refused with its line and column")
    func badCSV() {
        #expect(throws: CSVReader.Problem(line: 2, column: 2, message: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")) {
            try CSVReader.parse("a,b\n1,x\"y\n")
        }
        #expect(throws: CSVReader.Problem(line: 2, column: 2, message: "a quoted field is never closed")) {
            try CSVReader.parse("a,b\n1,\"open\n")
        }
    }

    @Test("every table error at once, as file:line:column with the column's name")
    func tableErrors() {
        let text = """
            substance,basis,from_quantity,quantity_unit,price_unit,reference_purity,low,central,high,currency,effective_from,source,confidence
            cocaine,street,0,g,g,50,40,60,80,GBP,2019-01-01,good row,P
            cocaine,street,0,g,g,50,1,5,40,60,GBP,2019-01-01,too many fields,P
            cocaine,wholesale,1,kg,kg,70,"30,000",40000,50000,GBP,2019-01-01,bad decimal,P
            cocaine,wholesale,2,kg,kg,70,-5,40000,50000,GBP,2019-01-01,negative,P
            cocaine,wholesale,3,kg,kg,70,30000,60000,50000,GBP,2019-01-01,out of order,P
            cocaine,wholesale,4,kg,kg,70,30000,40000,50000,GBX,2019-01-01,unknown currency,P
            cocaine,street,0,g,g,50,41,61,81,GBP,2019-01-01,duplicate of line 2,P
            cocaine,wholesale,5,stone,kg,70,30000,40000,50000,GBP,2019-01-01,unknown unit,P
            unobtainium,street,0,g,g,,1,2,3,GBP,2019-01-01,unknown drug,P
            cocaine,wholesale,6,kg,kg,70,1,2,3,GBP,2019-02-30,bad date,X
            """
        var tables = TableSet(name: "t")
        let problems = TableLoader.load(text: text, fileName: "drugs.csv", displayName: "t/drugs.csv", into: &tables).map(\.diagnostic)
        #expect(problems == [
            "t/drugs.csv:3: the row has 14 fields; the header has 13",
            "t/drugs.csv:4:7: low: '30,000' is not a plain decimal: use digits with an optional '.' and no thousands separators, spaces, exponent or currency sign (e.g. 1234.50)",
            "t/drugs.csv:5:7: low: -5 must be zero or more",
            "t/drugs.csv:6:8: central: low ≤ central ≤ high is not true of 30000 / 60000 / 50000",
            "t/drugs.csv:7:10: currency: 'GBX' is not an ISO 4217 currency code Haul knows",
            "t/drugs.csv:8: the same entry is priced twice for the same date; the first is on line 2",
            "t/drugs.csv:9:4: quantity_unit: unknown unit 'stone'; use one of mg, g, kg, oz, lb, ozt, tablet, square, plant",
            "t/drugs.csv:10:1: substance: unknown substance 'unobtainium'; use one of cocaine, crack-cocaine, heroin, methamphetamine, amphetamine, mdma, ecstasy, cannabis-herbal, cannabis-resin, cannabis-plant, ketamine, lsd",
            "t/drugs.csv:11:11: effective_from: 2019-02-30 is not a calendar date",
            "t/drugs.csv:11:13: confidence: unknown confidence mark 'X'; use V (verified), P (secondary), ? (unverified) or I (illustrative)",
        ])
        #expect(tables.drugs.count == 1)
    }

    @Test("a wrong header names the missing and unknown columns")
    func wrongHeader() {
        var tables = TableSet(name: "t")
        let problems = TableLoader.load(text: "brand,model,price,currency\nRolex,Sub,1,GBP\n", fileName: "watches.csv", displayName: "t/watches.csv", into: &tables)
        #expect(problems.map(\.diagnostic) == [
            "t/watches.csv:1:3: unknown column 'price'; watches.csv has the columns brand, model, reference, low, central, high, currency, effective_from, source, confidence",
            "t/watches.csv:1: the header lacks the columns reference, low, central, high, effective_from, source, confidence",
        ])
    }

    @Test("unknown files in a table folder are reported, not ignored")
    func unknownFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try folder.write("manifest.csv", "key,value\nname,Test tables\n")
        _ = try folder.write("drug.csv", "x\n1\n")
        let (_, problems) = TableLoader.load(folder: folder.url, displayName: "t")
        #expect(problems.count == 1)
        #expect(problems.first?.diagnostic.hasPrefix("t/drug.csv: not a table Haul knows") == true)
    }

    @Test("the shipped tables are sound, and every row carries a source and a mark")
    func shippedTablesSound() {
        for jurisdiction in [Jurisdiction.englandAndWales, .unitedStates, .netherlands] {
            let folder = ShippedTables.folder(for: jurisdiction)
            let (tables, problems) = TableLoader.load(folder: folder.url, displayName: folder.displayName)
            #expect(problems.isEmpty, "\(problems)")
            #expect(tables.manifest != nil)
            #expect(!tables.drugs.isEmpty)
            #expect(tables.drugs.allSatisfy { !$0.origin.source.isEmpty })
        }
    }
}

@Suite("A data file's problems in the library's one error shape")
struct TableErrorShapeTests {
    @Test("a price series with two bad rows fails as invalid-table at the first bad cell, counting the other")
    func seriesFailure() throws {
        // Line 3's date does not exist (2021 is not a leap year); line 4's price is not a number.
        let text = "date,price\n2021-02-27,100.5\n2021-02-29,101\n2021-03-01,12.3.4\n"
        guard case .failure(let failure) = PriceSeries.read(text, file: "btc.csv", frequency: .daily) else {
            Issue.record("a series with two bad rows was read")
            return
        }
        let error: any HaulError = failure
        #expect(error.code == .invalidTable)
        #expect(failure.problems.count == 2)
        #expect(error.location == SourceLocation(file: "btc.csv", line: 3, column: 1))
        #expect(error.message.hasSuffix("(and 1 more problem)"))
        #expect(error.description.hasPrefix("invalid-table: btc.csv:3:1: "))
        let first: any HaulError = failure.problems[0]
        #expect(first.location == error.location && first.code == .invalidTable)
    }

    @Test("a header with a duplicate and an unknown column and one missing fails as one invalid-table error at its first problem")
    func headerFailure() throws {
        // Columns 1 and 3 are both `date`, column 4 is not a column of the table, `name` is missing.
        let header = CSVRecord(line: 7, fields: ["date", "source", "date", "colour", "confidence"])
        guard case .failure(let failure) = CSVFields.header(header, file: "holidays.csv", fileName: "bank holidays",
                                                              required: ["date", "name", "source", "confidence"]) else {
            Issue.record("a header with three problems was read")
            return
        }
        let error: any HaulError = failure
        #expect(failure.problems.count == 3)
        #expect(error.code == .invalidTable)
        #expect(error.location == SourceLocation(file: "holidays.csv", line: 7, column: 3))
        #expect(error.message.hasSuffix("(and 2 more problems)"))
    }

    @Test("text that is not CSV fails as invalid-table at its line and field")
    func csvProblem() throws {
        do {
            _ = try CSVReader.parse("a,b\nc,\"d\"e\n")
            Issue.record("a field with text after its closing quote was read")
        } catch {
            let shaped: any HaulError = error
            #expect(shaped.code == .invalidTable)
            #expect(shaped.location == SourceLocation(file: "CSV", line: 2, column: 2))
            #expect(shaped.description == "invalid-table: CSV:2:2: text after the closing quote of a quoted field")
            #expect(shaped.cause == nil)
        }
    }
}

@Suite("Haul's missing data in the library's one error shape")
struct MissingDataErrorTests {
    @Test("data that cannot be found is a not-found error whose message says where to point HAUL_DATA")
    func missing() {
        let error: any HaulError = HaulData.Missing(message: "HAUL_DATA is /nowhere, which holds no schemas/haul-case-1.xsd")
        #expect(error.code == .notFound)
        #expect(error.location == nil && error.cause == nil)
        #expect(error.description == "not-found: HAUL_DATA is /nowhere, which holds no schemas/haul-case-1.xsd")
    }
}

@Suite("A data file's problem leaves its quoted cells out of its description")
struct TableProblemRedactionTests {
    @Test("an exhibit sheet's registration is in the message, not in the description")
    func cellLeftOut() {
        let problem = TableProblem(file: "intake.csv", line: 4, column: 7, message: "'AB12 CDE' is not a date (DD/MM/YYYY, the day first)")
        let error: any HaulError = problem
        #expect(error.message == "'AB12 CDE' is not a date (DD/MM/YYYY, the day first)")
        #expect(error.description == "invalid-table: intake.csv:4:7: '<personal data>' is not a date (DD/MM/YYYY, the day first)")
        #expect(error.unredactedDescription == "invalid-table: intake.csv:4:7: 'AB12 CDE' is not a date (DD/MM/YYYY, the day first)")
    }
}
