import Foundation

/// What a person asks first about a case: how many items of each kind, and how much cash at
/// face value in each currency. Computed from the case, never stored.
public struct CaseSummary: Sendable {
    /// How many items of one kind the case holds.
    public struct KindCount: Sendable, Hashable {
        /// The kind counted.
        public var kind: ItemKind
        /// Items of that kind across all the case's seizures; at least 1, as kinds absent are left out.
        public var count: Int
    }

    /// Items across all the case's seizures.
    public var itemCount: Int
    /// How many seizures the case records; items are counted across all of them.
    public var seizureCount: Int
    /// Kinds in ``ItemKind`` order, only those present.
    public var byKind: [KindCount]
    /// Face value of cash per currency, sorted by code.
    public var cashFaceValue: [Money]

    /// Counts the items of `operation` by kind and adds up its cash at face value per currency.
    ///
    /// - Parameter operation: The case to summarise.
    public init(_ operation: Case) {
        let items = operation.items
        itemCount = items.count
        seizureCount = operation.seizures.count
        var counts: [ItemKind: Int] = [:]
        var cash: [Currency: FixedDecimal] = [:]
        for item in items {
            counts[item.kind, default: 0] += 1
            if case .cash(let money) = item.details {
                cash[money.currency, default: 0] += money.faceValue.amount
            }
        }
        byKind = ItemKind.allCases.compactMap { kind in counts[kind].map { KindCount(kind: kind, count: $0) } }
        cashFaceValue = cash.keys.sorted().map { Money(cash[$0]!, $0) }
    }
}

/// The version of Haul this library belongs to.
public enum HaulVersion {
    /// The version number as text: what `haul --version` prints and what a register records as the Haul that wrote it.
    public static let current = "0.3.0"
}
