//! Names for the `ST` codes of rule test files; the codes, with their summaries and
//! explanations, are the registry's ([`crate::diagnostic::Code`]). Structural problems that
//! mean the same as in rule files reuse the rule codes ([`crate::rules::codes`]: SR001 YAML
//! syntax, SR002 duplicate key, SR003 unknown key, SR004 missing key, SR005 wrong type, SR011
//! bad enum value, SR028 bad timestamp, SR029 empty list).

use crate::diagnostic::Code;

/// A path in a test file (`rules`, `incident`, `previous`) that does not exist or cannot be read.
pub const PATH_NOT_FOUND: Code = Code::ST001;
/// An incident (a file or inline) that is not one usable incident.
pub const INVALID_INCIDENT: Code = Code::ST002;
/// An expectation names a rule that is not in the rule set under test.
pub const UNKNOWN_RULE: Code = Code::ST003;
/// Two tests with the same name in one file.
pub const DUPLICATE_TEST_NAME: Code = Code::ST004;
/// Keys that contradict each other (`fired` with `fires`, `previous` without `trigger: updated`),
/// or an `expect` that checks nothing.
pub const CONFLICTING_KEYS: Code = Code::ST005;
/// The rule files a test file names have errors, so its tests cannot run.
pub const INVALID_RULES: Code = Code::ST006;
/// A test file with no tests (warning).
pub const NO_TESTS: Code = Code::ST007;
/// A playbook test names an action the playbook does not have (or a call that is not one).
pub const UNKNOWN_ACTION: Code = Code::ST008;
/// A playbook test names a playbook that is not loaded, or gives an alert to a playbook without
/// the alert trigger.
pub const UNKNOWN_PLAYBOOK: Code = Code::ST009;
