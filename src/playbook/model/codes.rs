//! Names for the `PB` codes of playbooks (`PB` = playbook); the codes, with their summaries and
//! explanations, are the registry's ([`crate::diagnostic::Code`]). Codes below PB040 are found
//! when loading and compiling a playbook (`validate`, and before every run); PB040 and above are
//! found while running one and appear in the run log next to the Logic Apps error code.

use crate::diagnostic::Code;

/// The file is not valid YAML or JSON.
pub const SYNTAX: Code = Code::PB001;
/// The file holds no workflow: no `Microsoft.Logic/workflows` resource, no definition, no
/// YAML `steps`.
pub const NOT_A_PLAYBOOK: Code = Code::PB002;
/// A key this place does not take (YAML surface).
pub const UNKNOWN_KEY: Code = Code::PB003;
/// A required key is missing.
pub const MISSING_KEY: Code = Code::PB004;
/// A value of the wrong JSON/YAML type.
pub const WRONG_TYPE: Code = Code::PB005;
/// An action `type` (or YAML step kind) that is not one of Logic Apps'.
pub const UNKNOWN_STEP_KIND: Code = Code::PB006;
/// Two actions with the same name (Logic Apps names are unique in a workflow).
pub const DUPLICATE_NAME: Code = Code::PB007;
/// `runAfter` names an action that is not in the same scope.
pub const RUN_AFTER_UNKNOWN: Code = Code::PB008;
/// `runAfter` dependencies that form a cycle.
pub const RUN_AFTER_CYCLE: Code = Code::PB009;
/// A `runAfter` status other than Succeeded, Failed, Skipped, TimedOut.
pub const INVALID_STATUS: Code = Code::PB010;
/// An expression that does not parse (syntax, unknown function, argument count).
pub const EXPRESSION: Code = Code::PB011;
/// `body('X')`, `outputs('X')`, `actions('X')`, `result('X')` for an action that does not
/// run before this one (not on any runAfter path into it).
pub const NOT_BEFORE: Code = Code::PB012;
/// An expression names an action that does not exist.
pub const UNKNOWN_ACTION: Code = Code::PB013;
/// `items('X')` outside a Foreach named X, `iterationIndexes('X')` outside an Until X.
pub const NOT_IN_LOOP: Code = Code::PB014;
/// `variables('v')` (or a variable action) for a variable no InitializeVariable declares.
pub const UNDEFINED_VARIABLE: Code = Code::PB015;
/// An Until loop without `limit.count` (this tool requires one so that no loop is unbounded).
pub const UNTIL_WITHOUT_LIMIT: Code = Code::PB016;
/// A secret (password, API key, token, authorization header) written as a literal.
pub const SECRET_LITERAL: Code = Code::PB017;
/// A connector call whose connection is not declared in `$connections` (warning).
pub const UNKNOWN_CONNECTION: Code = Code::PB018;
// PB019 is retired, never assigned (a template with several workflows loads them all).
/// A value outside its enum (variable type, Terminate runStatus, Table format, Wait unit, ...).
pub const INVALID_VALUE: Code = Code::PB020;
/// A real Logic Apps action type this tool does not run itself (Workflow, Function,
/// JavaScriptCode, ...): it runs only when a mock answers it (warning).
pub const MOCK_ONLY_TYPE: Code = Code::PB021;
/// `runtimeConfiguration.staticResult` names an entry `staticResults` does not have.
pub const UNKNOWN_STATIC_RESULT: Code = Code::PB022;
/// A problem in a mocks file.
pub const MOCKS: Code = Code::PB023;
/// InitializeVariable outside the top level of the workflow (Logic Apps refuses it).
pub const NESTED_INITIALIZE: Code = Code::PB024;
/// A workflow nested deeper than the container depth limit.
pub const TOO_DEEP: Code = Code::PB025;
/// A problem in a workspace settings file.
pub const SETTINGS: Code = Code::PB026;

/// Run time: a Foreach `foreach` value that is not an array.
pub const FOREACH_NOT_ARRAY: Code = Code::PB040;
/// Run time: an expression failed to evaluate in an action's inputs.
pub const EVALUATION: Code = Code::PB041;
/// Run time: a run budget (actions, loop iterations, simulated duration) is spent.
pub const BUDGET: Code = Code::PB042;
/// Run time: an external call without a mock under `--strict-mocks`.
pub const NO_MOCK: Code = Code::PB043;
/// Run time: an action's inputs have the wrong shape (a variable of another type, ...).
pub const BAD_INPUT: Code = Code::PB044;
