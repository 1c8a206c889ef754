//! Names for the `SJ` codes of Sentinel's own formats (`SJ` = Sentinel JSON); the codes, with
//! their summaries and explanations, are the registry's ([`crate::diagnostic::Code`]).
//! Problems that the rule compiler finds after decoding (unknown property names, bad
//! severities, limits) keep their `SR` codes and point into the JSON file all the same.

use crate::diagnostic::Code;

/// The file is not valid JSON (only reported when the spanned parser and serde_json both fail).
pub const JSON_SYNTAX: Code = Code::SJ001;
/// A JSON file that holds no automation rule in any shape Sentinel writes.
pub const NOT_RULES: Code = Code::SJ002;
/// A field Sentinel requires is missing.
pub const MISSING_FIELD: Code = Code::SJ003;
/// A field of the wrong JSON type.
pub const WRONG_TYPE: Code = Code::SJ004;
/// An enum string Sentinel does not define (conditionType, actionType, changeType, ...).
pub const UNKNOWN_VALUE: Code = Code::SJ005;
/// An ARM template parameter without a value (warning; the text is kept). What ARM refuses
/// (SJ016, SJ017) and failed evaluations (SJ018) are reported by [`crate::arm::Template`].
pub const UNRESOLVED_EXPRESSION: Code = Code::SJ006;
/// An ARM construct this tool does not read (copy loops, unsupported functions) (warning).
pub const UNSUPPORTED_ARM: Code = Code::SJ007;
/// A PropertyArray whose arrayType does not fit where it is nested (warning).
pub const ARRAY_TYPE_POSITION: Code = Code::SJ008;
/// A PropertyChanged operator other than Equals / NotEquals.
pub const CHANGED_OPERATOR: Code = Code::SJ009;
/// An ARM template that deploys no automation rule (warning).
pub const NO_AUTOMATION_RULES: Code = Code::SJ010;
/// A rule that cannot be written as Sentinel JSON (extension operators, `not` over a change).
pub const NOT_EXPORTABLE: Code = Code::SJ011;
/// A RunPlaybook resource id that does not name a Logic Apps workflow (warning).
pub const PLAYBOOK_ID: Code = Code::SJ012;
/// A classification, reason or comment without a status in ModifyProperties.
pub const CLASSIFICATION_WITHOUT_STATUS: Code = Code::SJ013;
/// A `--param` that names no parameter of the templates read (warning).
pub const BAD_PARAM: Code = Code::SJ014;
/// The same rule (same Sentinel id, same content) in several files; it is read once (warning).
pub const SAME_RULE: Code = Code::SJ015;
