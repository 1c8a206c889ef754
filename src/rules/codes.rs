//! Stable diagnostic codes for rule files. A code is never reused for another meaning; retired
//! codes stay listed. `validate` prints them, SARIF uses them as rule ids, tests pin them.

/// YAML syntax error.
pub const YAML_SYNTAX: &str = "SR001";
/// The same key twice in one mapping.
pub const DUPLICATE_KEY: &str = "SR002";
/// A key this place does not take.
pub const UNKNOWN_KEY: &str = "SR003";
/// A required key is missing.
pub const MISSING_KEY: &str = "SR004";
/// A value of the wrong type (a list where a string belongs, ...).
pub const WRONG_TYPE: &str = "SR005";
/// A property name that is not one of Sentinel's.
pub const UNKNOWN_PROPERTY: &str = "SR006";
/// An operator name that is not one of Sentinel's or this tool's extensions.
pub const UNKNOWN_OPERATOR: &str = "SR007";
/// Sentinel does not offer this operator for this property (warning).
pub const OPERATOR_NOT_FOR_PROPERTY: &str = "SR008";
/// A regular expression that does not compile or exceeds the size limit.
pub const INVALID_REGEX: &str = "SR009";
/// A CIDR range that does not parse.
pub const INVALID_CIDR: &str = "SR010";
/// An enum value that is not one of Sentinel's (severity, status, classification, ...).
pub const INVALID_ENUM: &str = "SR011";
/// Closing without a classification.
pub const CLOSE_WITHOUT_CLASSIFICATION: &str = "SR012";
/// A classification reason that does not fit the classification, or a missing one.
pub const REASON_MISMATCH: &str = "SR013";
/// `changed` / `added` leaves or IncidentUpdatedBySource in a rule that runs on creation.
pub const UPDATE_LEAF_ON_CREATE: &str = "SR014";
/// An alert-trigger rule with an action other than run_playbook.
pub const ALERT_RULE_ACTION: &str = "SR015";
/// Two rules with the same name.
pub const DUPLICATE_RULE_NAME: &str = "SR016";
/// Rules sharing an order number run in random order in Sentinel (warning).
pub const SHARED_ORDER: &str = "SR017";
/// Order outside 1..1000.
pub const ORDER_RANGE: &str = "SR018";
/// More than 20 actions in a rule.
pub const TOO_MANY_ACTIONS: &str = "SR019";
/// More than 50 conditions in a rule.
pub const TOO_MANY_CONDITIONS: &str = "SR020";
/// A nested group with fewer than 2 or more than 10 conditions.
pub const GROUP_SIZE: &str = "SR021";
/// A rule name over 500 characters, or empty.
pub const NAME_LENGTH: &str = "SR022";
/// More than 512 rules in the set.
pub const TOO_MANY_RULES: &str = "SR023";
/// A rule that has expired at `--now` (warning).
pub const EXPIRED_RULE: &str = "SR024";
/// Conditions that can never hold (warning).
pub const NEVER_HOLDS: &str = "SR025";
/// run_playbook names a playbook that is not loaded.
pub const UNKNOWN_PLAYBOOK: &str = "SR026";
/// A playbook name that is not a valid Logic Apps workflow name.
pub const INVALID_PLAYBOOK_NAME: &str = "SR027";
/// A timestamp that is not RFC 3339.
pub const INVALID_TIMESTAMP: &str = "SR028";
/// An empty list where at least one item is needed (values, actions, tags).
pub const EMPTY_LIST: &str = "SR029";
/// A condition mapping that mixes kinds (`all` and `property`) or names none.
pub const CONDITION_SHAPE: &str = "SR030";
/// An extension operator (Matches, InCidr, ...) under `validate --sentinel`.
pub const EXTENSION_OPERATOR: &str = "SR031";
/// A classification or reason on a status other than Closed.
pub const CLASSIFICATION_NOT_CLOSING: &str = "SR032";
/// A file with no rules (warning).
pub const NO_RULES: &str = "SR033";
/// A leaf that is only meaningful inside `any_item` / `all_items`, or the reverse.
pub const ITEM_CONTEXT: &str = "SR034";
/// An unreadable rule file.
pub const UNREADABLE: &str = "SR035";
/// An alert-trigger rule with a condition on something other than the analytics rule or the
/// product (Sentinel's alert trigger offers only those).
pub const ALERT_RULE_CONDITION: &str = "SR037";

/// An alert-trigger rule that runs on updates (Sentinel's alert trigger is creation only).
pub const ALERT_RULE_UPDATED: &str = "SR036";
/// run_playbook names a playbook whose trigger does not fit the rule (an incident rule and a
/// playbook without the incident trigger, an alert rule and one without the alert trigger).
pub const PLAYBOOK_TRIGGER_MISMATCH: &str = "SR038";
/// run_playbook names a playbook Sentinel may not run: disabled, or deployed in a resource
/// group without Sentinel's permission (warning: the run is recorded as failed).
pub const PLAYBOOK_NOT_RUNNABLE: &str = "SR039";
/// A rule that attaches a playbook, checked for a person without the Microsoft Sentinel
/// Contributor role (`--as` with a settings file that defines roles).
pub const ATTACH_NOT_PERMITTED: &str = "SR040";

/// A one-line description of every code, for the rule list of machine formats (SARIF's
/// `tool.driver.rules`) and for documentation.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    (YAML_SYNTAX, "YAML syntax error"),
    (DUPLICATE_KEY, "The same key twice in one mapping"),
    (UNKNOWN_KEY, "A key this place does not take"),
    (MISSING_KEY, "A required key is missing"),
    (WRONG_TYPE, "A value of the wrong type"),
    (UNKNOWN_PROPERTY, "A property name that is not one of Sentinel's"),
    (UNKNOWN_OPERATOR, "An operator name that is not one of Sentinel's or this tool's extensions"),
    (OPERATOR_NOT_FOR_PROPERTY, "Sentinel does not offer this operator for this property"),
    (INVALID_REGEX, "A regular expression that does not compile or exceeds the size limit"),
    (INVALID_CIDR, "A CIDR range that does not parse"),
    (INVALID_ENUM, "An enum value that is not one of Sentinel's"),
    (CLOSE_WITHOUT_CLASSIFICATION, "Closing an incident without a classification"),
    (REASON_MISMATCH, "A classification reason that does not fit the classification, or a missing one"),
    (UPDATE_LEAF_ON_CREATE, "An update-only condition in a rule that runs on creation"),
    (ALERT_RULE_ACTION, "An alert-trigger rule with an action other than run_playbook"),
    (DUPLICATE_RULE_NAME, "Two rules with the same name"),
    (SHARED_ORDER, "Rules sharing an order number run in random order in Sentinel"),
    (ORDER_RANGE, "Order outside 1..1000"),
    (TOO_MANY_ACTIONS, "More than 20 actions in a rule"),
    (TOO_MANY_CONDITIONS, "More than 50 conditions in a rule"),
    (GROUP_SIZE, "A nested condition group with fewer than 2 or more than 10 conditions"),
    (NAME_LENGTH, "A rule name that is empty or over 500 characters"),
    (TOO_MANY_RULES, "More than 512 rules in the set"),
    (EXPIRED_RULE, "A rule that has expired"),
    (NEVER_HOLDS, "Conditions that can never all hold"),
    (UNKNOWN_PLAYBOOK, "run_playbook names a playbook that is not loaded"),
    (INVALID_PLAYBOOK_NAME, "A playbook name that is not a valid Logic Apps workflow name"),
    (PLAYBOOK_TRIGGER_MISMATCH, "run_playbook names a playbook whose trigger does not fit the rule's trigger"),
    (PLAYBOOK_NOT_RUNNABLE, "run_playbook names a disabled playbook, or one Sentinel has no permission to run"),
    (ATTACH_NOT_PERMITTED, "Attaching a playbook to a rule needs the Microsoft Sentinel Contributor role"),
    (INVALID_TIMESTAMP, "A timestamp that is not RFC 3339"),
    (EMPTY_LIST, "An empty list where at least one item is needed"),
    (CONDITION_SHAPE, "A condition or action item that mixes kinds or names none"),
    (EXTENSION_OPERATOR, "A sentinel-soar extension operator that Sentinel cannot run"),
    (CLASSIFICATION_NOT_CLOSING, "A classification or reason on a status other than Closed"),
    (NO_RULES, "A file with no rules"),
    (ITEM_CONTEXT, "A leaf that is only meaningful inside any_item / all_items, or the reverse"),
    (UNREADABLE, "An unreadable rule file"),
    (ALERT_RULE_UPDATED, "An alert-trigger rule that runs on updates"),
    (ALERT_RULE_CONDITION, "An alert-trigger rule with a condition other than the analytics rule or the product"),
];
