import Foundation

/// A set of strings kept as 64-bit FNV-1a fingerprints in an open-addressing table: 8 bytes a
/// slot, filled to 85 % before it grows by half, where a `Set<String>` of a million identifiers
/// takes well over 100 MB. Two different identifiers sharing a fingerprint (about one chance in
/// 10¹³ for a million of them) would be taken for a duplicate; the report then names both lines,
/// so a person can see it. Given the expected count up front it never needs to grow, which is
/// what keeps a million-item validation under its memory target.
final class FingerprintSet {
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0
    /// Filled to at most 17/20 (85 %): integer arithmetic for a plain ratio.
    private static let loadNumerator = 17, loadDenominator = 20

    init(expectedCount: Int = 0) {
        capacity = max(1024, expectedCount * Self.loadDenominator / Self.loadNumerator + 1)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
    }

    deinit { slots.deallocate() }

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

    /// The home slot of a fingerprint in a table of any size (multiply-shift, no power of two).
    @inline(__always)
    private static func home(_ key: UInt64, _ capacity: Int) -> Int {
        Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Adds `text`; false when it (or its fingerprint) was already there.
    func insert(_ text: String) -> Bool {
        if (count + 1) * Self.loadDenominator > capacity * Self.loadNumerator { grow() }
        let key = Self.fingerprint(text)
        var index = Self.home(key, capacity)
        while slots[index] != 0 {
            if slots[index] == key { return false }
            index += 1
            if index == capacity { index = 0 }
        }
        slots[index] = key
        count += 1
        return true
    }

    func contains(_ text: String) -> Bool {
        let key = Self.fingerprint(text)
        var index = Self.home(key, capacity)
        while slots[index] != 0 {
            if slots[index] == key { return true }
            index += 1
            if index == capacity { index = 0 }
        }
        return false
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity = oldCapacity + oldCapacity / 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        for position in 0..<oldCapacity where old[position] != 0 {
            let key = old[position]
            var index = Self.home(key, capacity)
            while slots[index] != 0 {
                index += 1
                if index == capacity { index = 0 }
            }
            slots[index] = key
        }
        old.deallocate()
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
