import Foundation

/// A set of strings kept as 64-bit FNV-1a fingerprints in an open-addressing table: 8 bytes a
/// member (16 at the table's load), where a `Set<String>` of a million identifiers takes well over
/// 100 MB. Two different identifiers sharing a fingerprint (about one chance in 10¹³ for a million
/// of them) would be taken for a duplicate; the report then names both lines, so a person can see it.
struct FingerprintSet {
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)
    private(set) var count = 0

    static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var contiguous = text
        contiguous.withUTF8 { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        return hash == 0 ? 1 : hash  // 0 marks an empty slot
    }

    /// Adds `text`; false when it (or its fingerprint) was already there.
    mutating func insert(_ text: String) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let key = Self.fingerprint(text)
        var index = Int(truncatingIfNeeded: key) & (slots.count - 1)
        while slots[index] != 0 {
            if slots[index] == key { return false }
            index = (index + 1) & (slots.count - 1)
        }
        slots[index] = key
        count += 1
        return true
    }

    func contains(_ text: String) -> Bool {
        let key = Self.fingerprint(text)
        var index = Int(truncatingIfNeeded: key) & (slots.count - 1)
        while slots[index] != 0 {
            if slots[index] == key { return true }
            index = (index + 1) & (slots.count - 1)
        }
        return false
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key) & (slots.count - 1)
            while slots[index] != 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = key
        }
    }
}

/// Finds the line where each of some identifiers was first used (the second look a duplicate
/// needs; the streaming pass keeps no lines).
final class FirstUseFinder: XMLEventHandler {
    private var wanted: Set<String>
    private(set) var found: [String: Int] = [:]

    init(wanted: [(what: String, id: String)]) {
        self.wanted = Set(wanted.map { "\($0.what)|\($0.id)" })
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        guard name == "item" else { return }
        for (what, key) in [("item id", "id"), ("exhibit reference", "exhibit")] {
            guard let value = attributes[key] else { continue }
            let tag = "\(what)|\(value)"
            if wanted.contains(tag) && found[tag] == nil { found[tag] = line }
        }
    }

    func text(_ text: String) {}
    func endElement(_ name: String, line: Int) {}
    var wantsText: Bool { false }
    var interestingElements: Set<String>? { ["item"] }
}
