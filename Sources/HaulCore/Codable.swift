import Foundation

// The leaf types encode as the text forms the case file uses, so a stored document reads like
// the XML it mirrors and round-trips exactly.

extension Identifier: Codable {
    /// Decodes an identifier from its text, checked as `init(_:)` checks it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a valid identifier.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the identifier as its text.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Currency: Codable {
    /// Decodes a currency from its ISO 4217 code, e.g. `"GBP"`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the code is not one Haul knows.
    public init(from decoder: Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(code: code) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the currency as its three-letter code.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

extension CalendarDate: Codable {
    /// Decodes a date from `YYYY-MM-DD` text.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a date in that form within `supportedYears`.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the date as `YYYY-MM-DD` text.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ZonedDateTime: Codable {
    private enum Keys: String, CodingKey { case time, zone }

    /// Decodes an instant from its `time` (ISO 8601 with offset) and `zone` (IANA name) keys.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the time does not parse, the zone is unknown or the
    ///   offset is not the one the zone had then; `DecodingError` when a key is missing.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let time = try container.decode(String.self, forKey: .time)
        let zone = try container.decode(String.self, forKey: .zone)
        do { try self.init(parsing: time, zone: zone) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the instant as `time` (ISO 8601 with offset) and `zone` (IANA name).
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(iso8601, forKey: .time)
        try container.encode(zone, forKey: .zone)
    }
}

extension Money: Codable {
    private enum Keys: String, CodingKey { case amount, currency }

    /// Decodes money from its `amount` (plain decimal text, read exactly) and `currency` (ISO 4217
    /// code) keys.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the amount is not a plain decimal or the currency
    ///   is unknown; `DecodingError` when a key is missing.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let text = try container.decode(String.self, forKey: .amount)
        do { self.init(try DecimalText.parse(text), try container.decode(Currency.self, forKey: .currency)) } catch let problem as DecimalText.Problem {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "amount \(problem)"))
        }
    }

    /// Encodes the money as `amount`, plain decimal text at full precision, and `currency`, its code.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(DecimalText.plain(amount), forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}
