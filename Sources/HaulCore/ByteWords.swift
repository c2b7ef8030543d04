/// Eight bytes at a time: long texts (a record's payload, an export's) are searched for the few
/// bytes that need escaping a word at a time, where a byte at a time cost the search most of
/// its time.
package enum ByteWords {
    /// The eight bytes at `offset` of `bytes` as one word (no alignment needed; `offset + 8`
    /// must not pass the end).
    @inlinable @inline(__always)
    package static func word(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
    }

    /// Nonzero when any of the eight bytes of `word` is `byte`: a byte equal to it leaves a zero
    /// byte in the XOR, which `(v - 0x01…) & ~v & 0x80…` finds exactly.
    @inlinable @inline(__always)
    package static func holds(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let value = word ^ (ones &* UInt64(byte))
        return (value &- ones) & ~value & highs
    }
}
