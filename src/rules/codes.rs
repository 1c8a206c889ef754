//! Names for the `SR` codes of rule files, as the decoder and compiler use them. The codes
//! themselves, with their summaries and explanations, are the registry's
//! ([`crate::diagnostic::Code`], `docs/codes.md`); a code is never reused for another meaning,
//! and retired codes (SR034) stay listed there.

use crate::diagnostic::Code;

/// YAML syntax error.
pub const YAML_SYNTAX: Code = Code::SR001;
/// The same key twice in one mapping.
pub const DUPLICATE_KEY: Code = Code::SR002;
/// A key this place does not take.
pub const UNKNOWN_KEY: Code = Code::SR003;
/// A required key is missing.
pub const MISSING_KEY: Code = Code::SR004;
/// A value of the wrong type (a list where a string belongs, ...).
pub const WRONG_TYPE: Code = Code::SR005;
/// A property name that is not one of Sentinel's.
pub const UNKNOWN_PROPERTY: Code = Code::SR006;
/// An operator name that is not one of Sentinel's or this tool's extensions.
pub const UNKNOWN_OPERATOR: Code = Code::SR007;
/// Sentinel does not offer this operator for this property (warning).
pub const OPERATOR_NOT_FOR_PROPERTY: Code = Code::SR008;
/// A regular expression that does not compile or exceeds the size limit.
pub const INVALID_REGEX: Code = Code::SR009;
/// A CIDR range that does not parse.
pub const INVALID_CIDR: Code = Code::SR010;
/// An enum value that is not one of Sentinel's (severity, status, classification, ...).
pub const INVALID_ENUM: Code = Code::SR011;
/// Closing without a classification.
pub const CLOSE_WITHOUT_CLASSIFICATION: Code = Code::SR012;
/// A classification reason that does not fit the classification, or a missing one.
pub const REASON_MISMATCH: Code = Code::SR013;
/// `changed` / `added` leaves or IncidentUpdatedBySource in a rule that runs on creation.
pub const UPDATE_LEAF_ON_CREATE: Code = Code::SR014;
/// An alert-trigger rule with an action other than run_playbook.
pub const ALERT_RULE_ACTION: Code = Code::SR015;
/// Two rules with the same name.
pub const DUPLICATE_RULE_NAME: Code = Code::SR016;
/// Rules sharing an order number run in random order in Sentinel (warning).
pub const SHARED_ORDER: Code = Code::SR017;
/// Order outside 1..1000.
pub const ORDER_RANGE: Code = Code::SR018;
/// More than 20 actions in a rule.
pub const TOO_MANY_ACTIONS: Code = Code::SR019;
/// More than 50 conditions in a rule.
pub const TOO_MANY_CONDITIONS: Code = Code::SR020;
/// A nested group with fewer than 2 or more than 10 conditions.
pub const GROUP_SIZE: Code = Code::SR021;
/// A rule name over 500 characters, or empty.
pub const NAME_LENGTH: Code = Code::SR022;
/// More than 512 rules in the set.
pub const TOO_MANY_RULES: Code = Code::SR023;
/// A rule that has expired at `--now` (warning).
pub const EXPIRED_RULE: Code = Code::SR024;
/// Conditions that can never hold (warning).
pub const NEVER_HOLDS: Code = Code::SR025;
/// run_playbook names a playbook that is not loaded.
pub const UNKNOWN_PLAYBOOK: Code = Code::SR026;
/// A playbook name that is not a valid Logic Apps workflow name.
pub const INVALID_PLAYBOOK_NAME: Code = Code::SR027;
/// A timestamp that is not RFC 3339.
pub const INVALID_TIMESTAMP: Code = Code::SR028;
/// An empty list where at least one item is needed (values, actions, tags).
pub const EMPTY_LIST: Code = Code::SR029;
/// A condition mapping that mixes kinds (`all` and `property`) or names none.
pub const CONDITION_SHAPE: Code = Code::SR030;
/// An extension operator (Matches, InCidr, ...) under `validate --sentinel`.
pub const EXTENSION_OPERATOR: Code = Code::SR031;
/// A classification or reason on a status other than Closed.
pub const CLASSIFICATION_NOT_CLOSING: Code = Code::SR032;
/// A file with no rules (warning).
pub const NO_RULES: Code = Code::SR033;
/// Retired, never reported: a leaf only meaningful inside `any_item` / `all_items`.
pub const ITEM_CONTEXT: Code = Code::SR034;
/// An unreadable rule file.
pub const UNREADABLE: Code = Code::SR035;
/// An alert-trigger rule with a condition on something other than the analytics rule or the
/// product (Sentinel's alert trigger offers only those).
pub const ALERT_RULE_CONDITION: Code = Code::SR037;

/// An alert-trigger rule that runs on updates (Sentinel's alert trigger is creation only).
pub const ALERT_RULE_UPDATED: Code = Code::SR036;
/// run_playbook names a playbook whose trigger does not fit the rule (an incident rule and a
/// playbook without the incident trigger, an alert rule and one without the alert trigger).
pub const PLAYBOOK_TRIGGER_MISMATCH: Code = Code::SR038;
/// run_playbook names a playbook Sentinel may not run: disabled, or deployed in a resource
/// group without Sentinel's permission (warning: the run is recorded as failed).
pub const PLAYBOOK_NOT_RUNNABLE: Code = Code::SR039;
/// A rule that attaches a playbook, checked for a person without the Microsoft Sentinel
/// Contributor role (`--as` with a settings file that defines roles).
pub const ATTACH_NOT_PERMITTED: Code = Code::SR040;
/// `--portal defender`: an Incident provider condition, which onboarding removes.
pub const DEFENDER_PROVIDER: Code = Code::SR041;
/// `--portal defender`: a creation rule testing the description, which the Defender portal's
/// incidents lack (warning).
pub const DEFENDER_DESCRIPTION: Code = Code::SR042;
/// `--portal defender`: an updated-by value of Microsoft 365 Defender, read as Other (warning).
pub const DEFENDER_UPDATED_BY: Code = Code::SR043;
/// `--portal defender`: a title condition; correlation may rename incidents (warning).
pub const DEFENDER_TITLE: Code = Code::SR044;
