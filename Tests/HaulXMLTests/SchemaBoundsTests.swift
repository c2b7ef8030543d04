import Foundation
import HaulCore
import HaulTestSupport
import HaulData
import Testing

/// The bounds Haul checks where data enters are the schema's own: read from the XSD's facets
/// here and compared, so the two lists cannot drift apart.
@Suite("The schema's bounds, checked where data enters")
struct SchemaBoundsTests {
    static let xsd = try! String(contentsOf: HaulData.caseSchemaV1, encoding: .utf8)

    /// The restriction block of a named simple type.
    func block(_ type: String) throws -> String {
        let start = try #require(Self.xsd.range(of: "<xs:simpleType name=\"\(type)\">"), "no simple type \(type) in the schema")
        let end = try #require(Self.xsd.range(of: "</xs:simpleType>", range: start.upperBound..<Self.xsd.endIndex))
        return String(Self.xsd[start.upperBound..<end.lowerBound])
    }

    func facet(_ name: String, in block: String) -> String? {
        guard let range = block.range(of: "<xs:\(name) value=\"") else { return nil }
        let rest = block[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

    @Test("each decimal type's minimum, maximum and decimal places are the XSD's", arguments: SchemaBounds.decimalTypes.map(\.type))
    func decimalFacets(type: String) throws {
        let bounds = try #require(SchemaBounds.decimalTypes.first { $0.type == type })
        let restriction = try block(type)
        // A positiveInteger base implies minInclusive 1 and no fraction digits.
        let integerBase = restriction.contains("base=\"xs:positiveInteger\"")
        if let exclusive = facet("minExclusive", in: restriction) {
            #expect(bounds.minimumExclusive && bounds.minimum == decimal(exclusive))
        } else if let inclusive = facet("minInclusive", in: restriction) {
            #expect(!bounds.minimumExclusive && bounds.minimum == decimal(inclusive))
        } else {
            #expect(integerBase && !bounds.minimumExclusive && bounds.minimum == 1)
        }
        #expect(facet("maxInclusive", in: restriction).map(decimal) == bounds.maximum)
        #expect((facet("fractionDigits", in: restriction).flatMap { Int($0) } ?? (integerBase ? 0 : -1)) == bounds.fractionDigits)
    }

    @Test("each text type's lengths are the XSD's", arguments: SchemaBounds.textTypes.map(\.type))
    func textFacets(type: String) throws {
        let bounds = try #require(SchemaBounds.textTypes.first { $0.type == type })
        let restriction = try block(type)
        #expect(facet("minLength", in: restriction).flatMap { Int($0) } == bounds.minimumLength)
        #expect(facet("maxLength", in: restriction).flatMap { Int($0) } == bounds.maximumLength)
    }

    @Test("the model refuses what the schema refuses, at and just beyond each bound")
    func atAndBeyond() throws {
        #expect(try Mass(1_000_000_000, .kilogram).value == 1_000_000_000)
        #expect(throws: HaulCoreError.self) { try Mass(decimal("1000000000.000001"), .kilogram) }
        #expect(throws: HaulCoreError.self) { try Mass(decimal("0.0000001"), .gram) }
        #expect(try CashItem(currency: .gbp, countedAmount: decimal("999999999999999.99")).countedAmount != nil)
        #expect(throws: HaulCoreError.self) { try CashItem(currency: .gbp, countedAmount: decimal("1000000000000000")) }
        #expect(throws: HaulCoreError.self) { try Purity(percent: decimal("100.00001"), method: .laboratory) }
        #expect(throws: HaulCoreError.self) { try CryptoassetItem(asset: "BTC", units: decimal("1000000000000.1")) }
        #expect(throws: HaulCoreError.self) { try UnitCount(1_000_000_001, .tablet) }
        #expect(throws: HaulCoreError.self) { try SchemaBounds.shortText.check(String(repeating: "x", count: 201), "name") }
        #expect(throws: HaulCoreError.self) { try SchemaBounds.longText.check("a\u{0}b", "note") }
        try SchemaBounds.shortText.check(String(repeating: "é", count: 200), "name")
    }

    @Test("decoding goes through the checking initialisers: a stored mass of −5 kg or a purity of 250 % is refused, not built")
    func decodingChecks() throws {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Mass.self, from: Data(#"{"value":-5,"unit":"kg"}"#.utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Purity.self, from: Data(#"{"percent":250,"method":"laboratory"}"#.utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CashItem.self, from: Data(#"{"currency":"GBP","countedAmount":1e20,"denominations":[]}"#.utf8)) }
        #expect(try JSONDecoder().decode(Mass.self, from: Data(#"{"value":8,"unit":"kg"}"#.utf8)).grams == 8000)
    }
}
