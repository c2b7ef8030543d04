import HaulCore

/// What the errors of this module are told apart by: `StoreError` is a `ModuleError` of it.
public enum RegisterErrors: ErrorDomain {}

/// An error from the register: a stable code, a message that says what to do and, for a database
/// failure, the database's own error as its cause.
public typealias StoreError = ModuleError<RegisterErrors>
