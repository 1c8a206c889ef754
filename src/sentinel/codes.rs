//! Stable diagnostic codes for Sentinel's own formats (`SJ` = Sentinel JSON). Like
//! [`crate::rules::codes`], a code is never reused for another meaning. Problems that the rule
//! compiler finds after decoding (unknown property names, bad severities, limits) keep their
//! `SR` codes and point into the JSON file all the same.

/// The file is not valid JSON (only reported when the spanned parser and serde_json both fail).
pub const JSON_SYNTAX: &str = "SJ001";
/// A JSON file that holds no automation rule in any shape Sentinel writes.
pub const NOT_RULES: &str = "SJ002";
/// A field Sentinel requires is missing.
pub const MISSING_FIELD: &str = "SJ003";
/// A field of the wrong JSON type.
pub const WRONG_TYPE: &str = "SJ004";
/// An enum string Sentinel does not define (conditionType, actionType, changeType, ...).
pub const UNKNOWN_VALUE: &str = "SJ005";
/// An ARM template expression that cannot be resolved offline (warning; the text is kept).
pub const UNRESOLVED_EXPRESSION: &str = "SJ006";
/// An ARM construct this tool does not read (copy loops, unsupported functions) (warning).
pub const UNSUPPORTED_ARM: &str = "SJ007";
/// A PropertyArray whose arrayType does not fit where it is nested (warning).
pub const ARRAY_TYPE_POSITION: &str = "SJ008";
/// A PropertyChanged operator other than Equals / NotEquals.
pub const CHANGED_OPERATOR: &str = "SJ009";
/// An ARM template that deploys no automation rule (warning).
pub const NO_AUTOMATION_RULES: &str = "SJ010";
/// A rule that cannot be written as Sentinel JSON (extension operators, `not` over a change).
pub const NOT_EXPORTABLE: &str = "SJ011";
/// A RunPlaybook resource id that does not name a Logic Apps workflow (warning).
pub const PLAYBOOK_ID: &str = "SJ012";
/// A classification, reason or comment without a status in ModifyProperties.
pub const CLASSIFICATION_WITHOUT_STATUS: &str = "SJ013";
/// A `--param` that names no parameter of the templates read (warning).
pub const BAD_PARAM: &str = "SJ014";
/// The same rule (same Sentinel id, same content) in several files; it is read once (warning).
pub const SAME_RULE: &str = "SJ015";
