import HaulCore

/// What the errors of this module are told apart by: `ProceedingsError` is a `ModuleError` of it.
public enum ProceedingsErrors: ErrorDomain {}

/// An error from the proceedings module (a move the rule pack refuses, a date outside the
/// calendar): a stable code and a message that says what to do.
public typealias ProceedingsError = ModuleError<ProceedingsErrors>
