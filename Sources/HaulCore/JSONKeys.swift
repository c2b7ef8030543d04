/// Finds a key repeated within one object of a JSON text.
///
/// JSON leaves a repeated key's meaning open: Foundation's decoder keeps the first, PostgreSQL's
/// `jsonb` the last. A record whose payload repeats a key could therefore be judged by one reader
/// and replayed by another as two different changes, so a payload that repeats one is refused.
package enum JSONKeys {
    /// The first key repeated within one object of `text` (escapes resolved, so `"a"` and
    /// `"\u0061"` are the same key); nil when none is, or when the text is not JSON enough to tell.
    package static func firstRepeated(in text: String) -> String? {
        var text = text
        return text.withUTF8 { firstRepeated(in: UnsafeRawBufferPointer($0)) }
    }

    static func firstRepeated(in bytes: UnsafeRawBufferPointer) -> String? {
        // Every key of the open objects, flat, each object's from its start in `frames`: no
        // allocation for each object. A key is a range of the text, or (escaped) of `decoded`.
        var keys: [(start: Int, count: Int, isDecoded: Bool)] = []
        var frames: [Int] = []      // keys.count when each open object began; -1 for an array
        // An object of many keys is judged by a set of them (a made-up object of 100,000 keys
        // would otherwise take 10^10 comparisons); a few, by comparing each with the others.
        var sets: [Int: Set<[UInt8]>] = [:]   // by the object's depth in `frames`
        let fewKeys = 16
        var decoded: [UInt8] = []
        var expectingKey = false
        var index = 0
        func same(_ one: (start: Int, count: Int, isDecoded: Bool), _ other: (start: Int, count: Int, isDecoded: Bool)) -> Bool {
            guard one.count == other.count else { return false }
            for offset in 0..<one.count {
                let a = one.isDecoded ? decoded[one.start + offset] : bytes[one.start + offset]
                let b = other.isDecoded ? decoded[other.start + offset] : bytes[other.start + offset]
                if a != b { return false }
            }
            return true
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                frames.append(keys.count)
                expectingKey = true
            case UInt8(ascii: "["):
                frames.append(-1)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard let start = frames.popLast() else { return nil }
                if start >= 0 { keys.removeLast(keys.count - start) }
                sets[frames.count] = nil
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = (frames.last ?? -1) >= 0
            case UInt8(ascii: ":"):
                expectingKey = false
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { escaped = true; end += 1 }
                    end += 1
                }
                guard end < bytes.count else { return nil }
                if expectingKey, let objectStart = frames.last, objectStart >= 0 {
                    var key = (start: start, count: end - start, isDecoded: false)
                    if escaped {
                        guard let unescaped = unescape(bytes, start..<end) else { return nil }
                        key = (decoded.count, unescaped.count, true)
                        decoded += unescaped
                    }
                    func text(_ key: (start: Int, count: Int, isDecoded: Bool)) -> [UInt8] {
                        key.isDecoded ? Array(decoded[key.start..<key.start + key.count]) : Array(bytes[key.start..<key.start + key.count])
                    }
                    let depth = frames.count - 1
                    if keys.count - objectStart < fewKeys {
                        for earlier in keys[objectStart...] where same(earlier, key) { return String(decoding: text(key), as: UTF8.self) }
                    } else {
                        if sets[depth] == nil { sets[depth] = Set(keys[objectStart...].map(text)) }
                        guard sets[depth]!.insert(text(key)).inserted else { return String(decoding: text(key), as: UTF8.self) }
                    }
                    keys.append(key)
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The bytes a JSON string's content stands for; nil for an escape JSON does not have.
    static func unescape(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8]? {
        var out: [UInt8] = []
        var index = range.lowerBound
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= range.upperBound else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[at + offset])).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else { out.append(byte); index += 1; continue }
            guard index + 1 < range.upperBound else { return nil }
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(kind)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex(index) else { return nil }
                index += 4
                // A surrogate pair names one scalar.
                if (0xD800...0xDBFF).contains(scalar), index + 6 <= range.upperBound, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                   let low = hex(index + 2), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: return nil
            }
        }
        return out
    }
}
