import Foundation

/// What a person asks first about a case: how many items of each kind, and how much cash at
/// face value in each currency. Computed from the case, never stored.
public struct CaseSummary: Sendable {
    public struct KindCount: Sendable, Hashable {
        public var kind: ItemKind
        public var count: Int
    }

    public var itemCount: Int
    public var seizureCount: Int
    /// Kinds in ``ItemKind`` order, only those present.
    public var byKind: [KindCount]
    /// Face value of cash per currency, sorted by code.
    public var cashFaceValue: [Money]

    public init(_ operation: Case) {
        let items = operation.items
        itemCount = items.count
        seizureCount = operation.seizures.count
        var counts: [ItemKind: Int] = [:]
        var cash: [Currency: Decimal] = [:]
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
    public static let current = "0.3.0"
}
