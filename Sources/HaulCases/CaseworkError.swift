import HaulCore

/// What the errors of this module are told apart by: `CaseworkError` is a `ModuleError` of it.
public enum CaseworkErrors: ErrorDomain {}

/// A refusal from a use case: what was wrong and what to do, with nothing recorded.
public typealias CaseworkError = ModuleError<CaseworkErrors>
