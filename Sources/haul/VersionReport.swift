import Foundation
import HaulTables
import HaulCore
import HaulData
import HaulProceedings
import HaulStore
import HaulValuation
import HaulXML

/// `haul --version`: the version, and what a report made with it rests on — the case-file
/// schema and register format it writes, how recent its shipped prices and rules are, the
/// build it came from and where its data is.
enum VersionReport {
    static var text: String {
        var lines = ["haul \(HaulVersion.current)"]
        lines.append("case-file schema \(CaseFileSchema.version) (\(CaseFileSchema.namespace)); register format \(SQLiteRegister.format)")
        var prices: [String] = []
        var rules: [String] = []
        for place in Jurisdiction.allCases {
            let newest = ShippedTables.layers(for: place, overlay: nil).0.compactMap(\.newestPrice).max()
            if let newest { prices.append("\(place.rawValue) \(newest)") }
            let book = RuleBook.shipped(place).0
            let newestRule = book.packs.values.flatMap { pack in
                pack.transitions.map(\.effectiveFrom) + pack.deadlines.map(\.effectiveFrom) + pack.thresholds.map(\.effectiveFrom)
            }.max()
            if let newestRule { rules.append("\(place.rawValue) \(newestRule)") }
        }
        lines.append("newest shipped price: " + (prices.isEmpty ? "none" : prices.joined(separator: ", ")))
        lines.append("newest shipped rule: " + (rules.isEmpty ? "none" : rules.joined(separator: ", ")))
        lines.append("build: " + build)
        if let data = try? HaulData.locate() { lines.append("data: \(data.path)") }
        return lines.joined(separator: "\n")
    }

    /// The commit the binary was built from: recorded by scripts/install.sh in the data's
    /// BUILD file, or read from the checkout a development build runs from.
    static var build: String {
        guard let data = try? HaulData.locate() else { return "unknown" }
        if let recorded = try? String(contentsOf: data.appendingPathComponent("BUILD"), encoding: .utf8) {
            return recorded.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: ", ")
        }
        #if DEBUG
        // A development build: the checkout it was built from (a release build never reaches
        // for a path of the machine it was built on).
        let git = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".git")
        #else
        let git = URL(fileURLWithPath: "/nonexistent")
        #endif
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else {
            return "not recorded (install with scripts/install.sh to record it)"
        }
        guard head.hasPrefix("ref: ") else { return "checkout at commit \(head)" }
        let reference = String(head.dropFirst(5))
        if let commit = try? String(contentsOf: git.appendingPathComponent(reference), encoding: .utf8) {
            return "checkout at commit \(commit.trimmingCharacters(in: .whitespacesAndNewlines)) (\(reference))"
        }
        // A packed reference: "<commit> <reference>" lines.
        let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        if let line = packed.split(separator: "\n").first(where: { $0.hasSuffix(" " + reference) }) {
            return "checkout at commit \(line.prefix { $0 != " " }) (\(reference))"
        }
        return "checkout on \(reference)"
    }
}
