import Foundation
import HaulTables
import HaulCore
@testable import HaulProceedings
import Testing

@Suite("Rule pack loading")
struct RulePackTests {
    func folder(_ files: [String: String]) throws -> URL {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-rules-XXXXXX").utf8CString)
        let url = URL(fileURLWithPath: String(cString: try #require(mkdtemp(&template))))
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    static let good: [String: String] = [
        "pack.csv": "key,value\nid,test-pack\nname,Test\njurisdiction,GB-EAW\nregime,test\ninitial_state,seized\ncalendar,\n",
        "states.csv": "state,final,description\nseized,false,s\ndetained,false,d\nreleased,true,r\n",
        "transitions.csv": "from,to,authority,effective_from,source,confidence\nseized,detained,none,2020-01-01,x,V\n*,released,none,2020-01-01,x,V\n",
        "deadlines.csv": "id,state,amount,unit,counting,anchor,selected_by,effective_from,source,confidence\nt-1,detained,2,days,after,this,anchor,2020-01-01,x,?\n",
        "thresholds.csv": "id,state,minimum,currency,effective_from,source,confidence\n",
    ]

    @Test("every shipped pack loads without a problem")
    func shipped() {
        for jurisdiction in [Jurisdiction.englandAndWales, .unitedStates] {
            let (book, problems) = RuleBook.shipped(jurisdiction)
            #expect(problems.isEmpty, "\(problems)")
            #expect(!book.packs.isEmpty)
        }
        #expect(RuleBook.shipped(.englandAndWales).0.packs.keys.sorted() == ["account-freezing", "cash", "confiscation", "cryptoassets", "disposal", "listed-assets"])
    }

    @Test("every shipped pack states the kinds it takes and where the law says so; the default regime of every kind takes it")
    func shippedKinds() {
        for jurisdiction in [Jurisdiction.englandAndWales, .unitedStates] {
            let book = RuleBook.shipped(jurisdiction).0
            for pack in book.packs.values { #expect(pack.kindsSource?.isEmpty == false, "\(pack.folder)") }
            for kind in ItemKind.allCases {
                let regime = book.defaultRegime(for: kind)
                #expect(regime.flatMap { book.packs[$0] }?.admits(kind) == true, "\(jurisdiction) \(kind)")
            }
        }
        let book = RuleBook.shipped(.englandAndWales).0
        // s.289(6) cash; s.303B(2) listed assets.
        #expect(book.packs["cash"]!.kinds == [.cash, .document])
        #expect(book.packs["listed-assets"]!.kinds == [.watch, .jewellery, .other])
        #expect(!book.packs["cash"]!.admits(.jewellery) && !book.packs["listed-assets"]!.admits(.cash))
        #expect(!book.packs["disposal"]!.admits(.cash) && book.packs["confiscation"]!.admits(.jewellery))
    }

    @Test("an unknown kind in pack.csv is named with its line")
    func unknownKind() throws {
        var files = Self.good
        files["pack.csv"]! += "kinds,cash bullion\n"
        let url = try folder(files)
        defer { try? FileManager.default.removeItem(at: url) }
        let (pack, problems) = RulePackLoader.load(folder: url, displayName: "p") { _ in nil }
        #expect(pack == nil)
        #expect(problems.map(\.diagnostic) == ["p/pack.csv:8:2: value: unknown item kind 'bullion' (kinds are drug, cash, watch, vehicle, jewellery, cryptoasset, firearm, ammunition, phone, document, other, or any)"])
    }

    @Test("a deadline's source longer than a case file carries (ShortText, 200 characters) is refused at its line, so a case under the rule can always be exported")
    func longSource() throws {
        var files = Self.good
        let source = String(repeating: "s", count: 201)
        files["deadlines.csv"] = "id,state,amount,unit,counting,anchor,selected_by,effective_from,source,confidence\nt-1,detained,2,days,after,this,anchor,2020-01-01,\(source),?\n"
        let url = try folder(files)
        defer { try? FileManager.default.removeItem(at: url) }
        let (pack, problems) = RulePackLoader.load(folder: url, displayName: "p") { _ in nil }
        #expect(pack == nil)
        #expect(problems.map(\.diagnostic) == ["p/deadlines.csv:2:9: source: the source has 201 characters; it takes 1 to 200, as a case file carries it with each deadline this rule sets"])
        // 200 characters are taken.
        files["deadlines.csv"] = files["deadlines.csv"]!.replacingOccurrences(of: source, with: String(source.dropFirst()))
        let fits = try folder(files)
        defer { try? FileManager.default.removeItem(at: fits) }
        #expect(RulePackLoader.load(folder: fits, displayName: "p") { _ in nil }.1.isEmpty)
    }

    @Test("a pack with errors names every file, line and column")
    func errors() throws {
        var files = Self.good
        files["transitions.csv"] = "from,to,authority,effective_from,source,confidence\nseized,detained,maybe,2020-01-01,x,V\nseized,vanished,none,2020-01-01,x,V\nseized,forfeited,none,2020-01-01,x,V\n"
        files["deadlines.csv"] = "id,state,amount,unit,counting,anchor,selected_by,effective_from,source,confidence\nt-1,detained,2,fortnights,after,this,anchor,2020-01-01,x,?\nt-2,detained,48,hours,after,this,anchor,2020-01-01,x,V\n"
        let url = try folder(files)
        defer { try? FileManager.default.removeItem(at: url) }
        let (pack, problems) = RulePackLoader.load(folder: url, displayName: "p") { _ in nil }
        #expect(pack == nil)
        #expect(problems.map(\.diagnostic) == [
            "p/deadlines.csv:2:4: unit: unknown unit 'fortnights'; use one of hours, working-hours, days, months, years",
            "p/deadlines.csv:3:5: counting: hours count from-instant, and only hours do; 'after' does not fit 'hours'",
            "p/transitions.csv:2:3: authority: 'maybe' is not 'required' or 'none'",
            "p/transitions.csv:3:2: to: unknown to 'vanished'; use one of \(State.allCases.map(\.rawValue).joined(separator: ", "))",
            "p/transitions.csv:4: state 'forfeited' is not declared in states.csv",
        ])
    }

    @Test("the good pack loads, and an unverified period keeps its mark")
    func loads() throws {
        let url = try folder(Self.good)
        defer { try? FileManager.default.removeItem(at: url) }
        let (pack, problems) = RulePackLoader.load(folder: url, displayName: "p") { _ in nil }
        #expect(problems.isEmpty)
        let lifecycle = Lifecycle(pack: try #require(pack))
        let event = StatusEvent(sequence: 1, at: try ZonedDateTime(parsing: "2020-06-18T10:00:00+01:00", zone: "Europe/London"), items: ["I-1"],
                                from: nil, to: .detained, actor: "t", previousHash: nil, hash: String(repeating: "0", count: 64))
        let deadline = try lifecycle.deadline(in: .detained, history: [event], seizedAt: event.at)
        #expect(deadline?.due.iso8601 == "2020-06-20T23:59:59+01:00")  // 2 days after the 18th
        #expect(deadline?.isVerified == false)
    }
}
