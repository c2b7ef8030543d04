/// A handful of keys and their values in first-seen order, found by a linear search that tries
/// the last key used first: cheaper than hashing when the same few keys come again and again
/// (a total's kind, basis and currency, once for each of a million items).
struct RecentKeyTable<Key: Equatable, Value> {
    private(set) var keys: [Key] = []
    private(set) var values: [Value] = []
    private var lastIndex = 0

    /// The index of `key`, added with `initial` when it is new.
    mutating func index(of key: Key, adding initial: @autoclosure () -> Value) -> Int {
        if lastIndex < keys.count, keys[lastIndex] == key { return lastIndex }
        if let found = keys.firstIndex(of: key) {
            lastIndex = found
        } else {
            keys.append(key)
            values.append(initial())
            lastIndex = keys.count - 1
        }
        return lastIndex
    }

    subscript(index: Int) -> Value {
        get { values[index] }
        set { values[index] = newValue }
    }

    func value(for key: Key) -> Value? {
        keys.firstIndex(of: key).map { values[$0] }
    }
}
