/// The shape every error thrown by Haul's library has, whichever module throws it: a stable
/// ``code``, a ``message`` that says what was wrong and what to do, where it was found
/// (``location``) and the error underneath it (``cause``).
///
/// Catch `any HaulError` to handle every module's errors alike; catch the concrete type
/// (`StoreError`, `HaulXMLError`, ``HaulCoreError``, …) for what only that module carries.
///
/// **Personal data.** A message may quote what the caller supplied: a vehicle registration used
/// to find an item, a user name, a cell of an exhibit sheet. ``description``, which is what
/// `print(error)`, string interpolation and most loggers use, shows each such value as
/// `<personal data>`, after GRDB's rule of leaving a statement's arguments out of its errors.
/// ``message`` and ``unredactedDescription`` keep the values, for the person at the keyboard who
/// typed them.
///
/// ```swift
/// do { _ = try register.locate(item: "AB12 CDE") }
/// catch let error as any HaulError where error.code == .notFound {
///     log.notice("\(error)")   // not-found: no item '<personal data>' in the register: …
///     show(error.message)      // no item 'AB12 CDE' in the register: …
/// }
/// ```
public protocol HaulError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as a stable code to match on.
    var code: HaulErrorCode { get }
    /// What was wrong and what to do about it, with any personal data the caller supplied.
    var message: String { get }
    /// The message with each personal value replaced by `<personal data>`.
    var redactedMessage: String { get }
    /// Where the problem was found (a file's line and column, or a field), when it has a place.
    var location: SourceLocation? { get }
    /// The error underneath this one (the database's, the file system's), when there is one.
    var cause: (any Error)? { get }
    /// The code, where, the whole message and the cause, personal data included: for the user
    /// who supplied it.
    var unredactedDescription: String { get }
}

extension HaulError {
    /// The code, where, the message and the cause with personal data left out: safe for a log.
    public var description: String { ErrorText.render(code: code, location: location, message: redactedMessage, cause: cause, redacted: true) }

    /// The code, where, the whole message and the cause, personal data included: for the user
    /// who supplied it.
    public var unredactedDescription: String { ErrorText.render(code: code, location: location, message: message, cause: cause, redacted: false) }

    /// The message, its personal values still marked, to build another error's message from.
    public var markedMessage: ErrorMessage { ErrorMessage(text: message, redacted: redactedMessage) }

}

/// How every error's description is written, shared by the errors that write their own.
package enum ErrorText {
    /// `code: location: message`, then the cause: Haul's own in its own description (redacted or
    /// not), a foreign one by its type only when redacting.
    package static func render(code: HaulErrorCode, location: SourceLocation?, message: String, cause: (any Error)?, redacted: Bool) -> String {
        var text = "\(code.rawValue): " + (location.map { "\($0): " } ?? "") + message
        if let cause {
            // A cause from Haul keeps its own redaction; a foreign one is shown as its type only
            // when redacting, since its text may quote the values.
            if let haul = cause as? any HaulError {
                text += " (because: \(redacted ? haul.description : haul.unredactedDescription))"
            } else {
                text += redacted ? " (because of a \(type(of: cause)))" : " (because: \(cause))"
            }
        }
        return text
    }

    /// What a person fixing the input reads: where, the whole message (personal data included)
    /// and, after a colon, each error underneath in the same form; another error's description.
    ///
    /// - Parameter error: Any error.
    /// - Returns: The text, e.g. `cannot open the register at r.sqlite: file is not a database`.
    package static func forUser(_ error: any Error) -> String {
        guard let error = error as? any HaulError else { return String(describing: error) }
        return (error.location.map { "\($0): " } ?? "") + error.message + (error.cause.map { ": " + forUser($0) } ?? "")
    }
}

/// The module an error comes from. Each module that throws a `ModuleError` declares one (an
/// empty enum), so that its
/// `ModuleError` is a type of its own: `catch let error as StoreError` catches the register's
/// errors and no other module's.
public protocol ErrorDomain: Sendable {}

/// An error of one module (`HaulCoreError`, `StoreError`, `ProceedingsError`, `CaseworkError`
/// are each a `ModuleError` of their module's domain): a code, a message whose personal values
/// are marked, where and the error underneath.
public struct ModuleError<Domain: ErrorDomain>: HaulError, Hashable {
    /// What went wrong, as a stable code to match on.
    public var code: HaulErrorCode
    /// The message, with its personal values marked.
    public var text: ErrorMessage
    /// What was wrong and what to do about it, with any personal data the caller supplied.
    public var message: String { text.text }
    /// The message with each personal value replaced by `<personal data>`.
    public var redactedMessage: String { text.redacted }
    /// Where the problem was found, when it has a place.
    public var location: SourceLocation?
    /// The error underneath this one (the database's, for instance), when there is one.
    public var cause: (any Error)?

    /// An error with a message that may mark personal values (`\(personal: name)`).
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - text: What was wrong and what to do about it.
    ///   - location: Where it was found.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ text: ErrorMessage, at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.text = text
        self.location = location
        self.cause = cause
    }

    /// An error whose message holds no personal data.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: What was wrong and what to do about it.
    ///   - location: Where it was found.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ message: String, at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.init(code, ErrorMessage(message), at: location, cause: cause)
    }

    /// Two errors are equal when their code, message and location are: the cause is not compared.
    public static func == (left: Self, right: Self) -> Bool {
        left.code == right.code && left.text == right.text && left.location == right.location
    }

    /// Hashes the code, message and location (not the cause).
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(text)
        hasher.combine(location)
    }
}

/// A stable name for what went wrong, the same in every module and safe to match on in a script
/// reading a log (every description starts with it) or in code (`error.code == .notFound`).
///
/// Codes are values, not the cases of a closed enum, so a later release can add one without
/// breaking an embedding program's `switch`: match the codes you handle and keep a `default`.
/// Each code has one meaning across the library; they are all listed here.
public struct HaulErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as printed: lower-case words joined by hyphens, such as `not-found`.
    public let rawValue: String

    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// The code as printed, such as `not-found`.
    public var description: String { rawValue }

    // MARK: The case model (HaulCore)

    /// A number is not a plain decimal, or has more digits than Haul keeps.
    public static let invalidNumber = HaulErrorCode("invalid-number")
    /// A quantity below zero.
    public static let negativeQuantity = HaulErrorCode("negative-quantity")
    /// A value outside the bounds the case-file schema allows.
    public static let outOfRange = HaulErrorCode("out-of-range")
    /// A currency code that is not one of ISO 4217's that Haul knows.
    public static let unknownCurrency = HaulErrorCode("unknown-currency")
    /// Amounts in different currencies added or compared.
    public static let currencyMismatch = HaulErrorCode("currency-mismatch")
    /// A word that is not one of the values a field allows (a kind, a state, a basis).
    public static let unknownValue = HaulErrorCode("unknown-value")
    /// A date, time or time zone that does not exist or cannot be read.
    public static let invalidDate = HaulErrorCode("invalid-date")
    /// An identifier with characters or a length the case file does not allow.
    public static let invalidIdentifier = HaulErrorCode("invalid-identifier")
    /// Figures or records that contradict each other.
    public static let inconsistent = HaulErrorCode("inconsistent")

    // MARK: Reading files (HaulTables)

    /// A row, cell or header of a data file (price table, rule pack, exhibit sheet) is wrong.
    public static let invalidTable = HaulErrorCode("invalid-table")

    // MARK: Rule packs and moves (HaulProceedings)

    /// The rule pack has no such move from the item's state.
    public static let illegalMove = HaulErrorCode("illegal-move")
    /// The move needs an authority (an order, an officer's rank) and none was given.
    public static let authorityRequired = HaulErrorCode("authority-required")
    /// The amount is below the statutory minimum the move needs.
    public static let belowThreshold = HaulErrorCode("below-threshold")
    /// A date falls outside the years the shipped working-day calendar covers.
    public static let outsideCalendar = HaulErrorCode("outside-calendar")
    /// No rule pack is in force for the jurisdiction on that date.
    public static let noRulePack = HaulErrorCode("no-rule-pack")
    /// The move itself does not hold together: dated before the item's last move, or judged on a
    /// figure in another currency than the rule's.
    public static let invalidMove = HaulErrorCode("invalid-move")
    /// The move comes after the deadline it had to meet and gives no reason (`--late`).
    public static let late = HaulErrorCode("late")
    /// The move comes before a period it must wait for has run (an objection period).
    public static let tooEarly = HaulErrorCode("too-early")

    // MARK: XML case files (HaulXML)

    /// The document breaks the schema or a rule the schema cannot state.
    public static let invalidDocument = HaulErrorCode("invalid-document")
    /// The document is refused before parsing: a DOCTYPE, the wrong encoding, too large or too deep.
    public static let unsafeDocument = HaulErrorCode("unsafe-document")
    /// A shipped or named schema could not be loaded.
    public static let schemaUnavailable = HaulErrorCode("schema-unavailable")
    /// Reading or writing a file failed.
    public static let io = HaulErrorCode("io")

    // MARK: The register (HaulStore, HaulPostgres) and the use cases (HaulCases)

    /// The case, item, seizure, person, agency or event named is not there.
    public static let notFound = HaulErrorCode("not-found")
    /// A case with that reference is already in the register.
    public static let alreadyExists = HaulErrorCode("already-exists")
    /// The text names more than one item; give its id or CASE/ITEM.
    public static let ambiguous = HaulErrorCode("ambiguous")
    /// The case's chain of events does not verify: a record was altered, removed or reordered.
    public static let brokenChain = HaulErrorCode("broken-chain")
    /// The register was written by a later Haul, whose fields this one would drop.
    public static let newerFormat = HaulErrorCode("newer-format")
    /// The register was made by an earlier Haul and a reader may not upgrade it.
    public static let needsUpgrade = HaulErrorCode("needs-upgrade")
    /// The database failed or refused in a way not listed here.
    public static let database = HaulErrorCode("database")
    /// The register's server refused: the user's role may not do this, or not to this case.
    public static let forbidden = HaulErrorCode("forbidden")
    /// The id, exhibit or person is already in the case.
    public static let duplicate = HaulErrorCode("duplicate")
    /// The case does not allow the change: a move dated in the future or before its seizure, a
    /// kind the regime does not take, owners' shares past 100 %. A move the rule pack itself
    /// refuses carries the rule pack's code instead (`illegal-move`, `late`, `too-early`, …).
    public static let notAllowed = HaulErrorCode("not-allowed")
    /// The request itself does not hold together or is malformed (mixed regimes, nothing to
    /// change, a register URL or user name that cannot be).
    public static let invalid = HaulErrorCode("invalid")
}

/// A message for an error that marks which of its values are personal data, so that the error's
/// `description` can leave them out.
///
/// Write it as a string literal; interpolate a personal value with `personal:`:
/// `"person '\(personal: name)' is already on case \(reference)"`.
public struct ErrorMessage: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The whole message, personal data included.
    public private(set) var text: String
    /// The message with each personal value shown as `<personal data>`.
    public private(set) var redacted: String

    /// A message with no personal data in it.
    ///
    /// - Parameter text: The message as it is shown.
    public init(_ text: String) {
        self.text = text
        self.redacted = text
    }

    /// A message whose redacted form is given.
    ///
    /// - Parameters:
    ///   - text: The whole message.
    ///   - redacted: The message with each personal value shown as `<personal data>`.
    public init(text: String, redacted: String) {
        self.text = text
        self.redacted = redacted
    }

    /// A message quoting values of a file in single quotes (a cell, an element's value), each
    /// of which may be personal data: the redacted form shows every quoted span as
    /// `'<personal data>'`.
    ///
    /// - Parameter text: The message, its quoted values in single quotes.
    public init(quotingValues text: String) {
        self.text = text
        self.redacted = Self.redactingQuotedSpans(text)
    }

    /// `text` with every quoted value replaced by `<personal data>`: a quote opens a value only
    /// after a character that is not a letter or digit, and closes it only before one,
    /// except after `Element `, `attribute `, `facet `, `pattern ` or `type ` (libxml2 quotes the schema's
    /// names and patterns there, not the document's values).
    static func redactingQuotedSpans(_ text: String) -> String {
        // A quote opens a span only after a non-letter (so "the case's" is a word, not a quote)
        // and closes it only before one (so 'O'Brien' is one value).
        let characters = Array(text)
        func isWordCharacter(_ index: Int) -> Bool { characters.indices.contains(index) && (characters[index].isLetter || characters[index].isNumber) }
        var result = ""
        var index = 0
        while index < characters.count {
            guard characters[index] == "'", !isWordCharacter(index - 1),
                  let close = characters[(index + 1)...].indices.first(where: { characters[$0] == "'" && !isWordCharacter($0 + 1) }) else {
                result.append(characters[index])
                index += 1
                continue
            }
            let quotesTheSchema = ["Element ", "attribute ", "facet ", "pattern ", "type "].contains { keyword in
                // The keyword as a word of its own: `price_type 'X'` quotes a value.
                guard result.hasSuffix(keyword), let before = result.dropLast(keyword.count).last else { return result.hasSuffix(keyword) }
                return !(before.isLetter || before.isNumber || before == "_")
            }
            result += "'" + (quotesTheSchema ? String(characters[(index + 1)..<close]) : personalDataMark) + "'"
            index = close + 1
        }
        return result
    }

    /// A message written as a literal with no interpolation.
    ///
    /// - Parameter value: The literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// A message written as a literal with interpolated values.
    ///
    /// - Parameter stringInterpolation: The literal's parts.
    public init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
        redacted = stringInterpolation.redacted
    }

    /// The whole message, personal data included.
    public var description: String { text }

    /// Builds an ``ErrorMessage`` from a literal's parts.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        var redacted = ""

        /// Makes room for a literal of about the given size.
        ///
        /// - Parameters:
        ///   - literalCapacity: Characters of literal text.
        ///   - interpolationCount: How many values are interpolated.
        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        /// Adds literal text.
        ///
        /// - Parameter literal: The text.
        public mutating func appendLiteral(_ literal: String) {
            text += literal
            redacted += literal
        }

        /// Adds a value that is not personal data: an identifier, a figure, a state, a file path.
        ///
        /// - Parameter value: The value, shown as its description.
        public mutating func appendInterpolation<Value>(_ value: Value) {
            let shown = String(describing: value)
            text += shown
            redacted += shown
        }

        /// Adds another message, keeping its personal values marked. (Labelled: an unlabelled
        /// interpolation would let the literal be read as a plain `String`, losing the marks.)
        ///
        /// - Parameter message: The message to add.
        public mutating func appendInterpolation(marked message: ErrorMessage) {
            text += message.text
            redacted += message.redacted
        }

        /// Adds the message of the error underneath, keeping its personal values marked; an error
        /// that is not Haul's own is shown whole only in the unredacted text (its text may quote
        /// values), by its type in the redacted one.
        ///
        /// - Parameter error: The error underneath.
        public mutating func appendInterpolation(error: any Error) {
            if let error = error as? any HaulError {
                text += error.message
                redacted += error.redactedMessage
            } else {
                text += String(describing: error)
                redacted += "a \(type(of: error))"
            }
        }

        /// Adds a value that is personal data (a name, an address, a date of birth, an officer),
        /// which a redacted description shows as `<personal data>`.
        ///
        /// - Parameter value: The value, shown as its description in the whole message only.
        public mutating func appendInterpolation<Value>(personal value: Value) {
            text += String(describing: value)
            redacted += ErrorMessage.personalDataMark
        }
    }

    /// What a redacted message shows in place of a personal value.
    public static let personalDataMark = "<personal data>"
}
