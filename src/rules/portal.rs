//! The Defender portal profile of a rule set (`--portal defender`; docs/defender-portal.md). Two
//! stages:
//!
//! - [`check`] (`validate`): findings on the file model, for every rule whether or not it
//!   compiles: an Incident provider condition is an error (SR041: the property is removed once
//!   the workspace is onboarded), a creation rule testing the description (SR042), the updated-by
//!   value Microsoft 365 Defender (SR043) and a title condition (SR044) are
//!   warnings.
//! - [`adapt`] (`apply`, `test`): the compiled rules as an onboarded workspace runs them, with
//!   one [`Adaptation`] per change for the run to say:
//!   - an `IncidentProviderName` leaf is removed ("existing automation rules run on both
//!     Microsoft Sentinel and Microsoft Defender XDR incidents, including those where the
//!     Incident provider condition is set"): it drops out of its group, a group left with no
//!     condition holds, and a rule left with none runs on every incident;
//!   - in a rule on incidents created, an `IncidentDescription` leaf reads an absent
//!     description (the SecurityIncident table "no longer includes a Description field"): a
//!     positive operator does not hold, a negative one does;
//!   - an `IncidentUpdatedBySource` value MicrosoftDefenderXDR compares as Other ("replaced by
//!     a value of Other").
//!
//! Stage: file model / compiled rule set -> diagnostics / compiled rule set (pure).

use crate::diagnostic::Diagnostic;
use crate::model::UpdatedBySource;
use crate::syntax::Span;

use super::codes;
use super::condition::{Cond, Leaf};
use super::file::{CondDef, RuleDef, RuleFile, Text};
use super::operator::Matcher;
use super::property::{self, Operators, Property, Source};
use super::rule::{Rule, RuleSet, TriggerOn, TriggerWhen};

/// Where the profile's facts come from (Microsoft Learn, "Automation in Microsoft Sentinel",
/// section "Automation in the Microsoft Defender portal").
pub const SOURCE: &str = "https://learn.microsoft.com/en-us/azure/sentinel/automation/automation";

/// The description as a creation rule sees it in the Defender portal: read from a key no
/// incident has, so that it is always absent.
static ABSENT_DESCRIPTION: Property = Property {
    name: "IncidentDescription",
    source: Source::Field("\u{0}description (absent in the Defender portal)"),
    operators: Operators::Text,
    ip: false,
};

/// The canonical name of a property as written, when it is one.
fn name_of(text: &Text) -> Option<&'static str> {
    property::lookup(&text.value).map(|p| p.name)
}

/// The `validate --portal defender` findings of `files` (see the module doc).
pub fn check(files: &[RuleFile]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for file in files {
        for rule in &file.rules {
            if let Some(cond) = &rule.conditions {
                check_cond(&file.path, rule, cond, &mut diags);
            }
        }
    }
    diags
}

/// True when the rule runs on incidents created (the defaults: incidents, created).
fn on_created_incidents(rule: &RuleDef) -> bool {
    let is = |t: &Option<Text>, default: bool, want: &[&str]| {
        t.as_ref().map_or(default, |t| want.contains(&t.value.trim().to_ascii_lowercase().as_str()))
    };
    is(&rule.trigger_on, true, &["incidents", "incident"]) && is(&rule.trigger_when, true, &["created"])
}

fn check_cond(file: &str, rule: &RuleDef, cond: &CondDef, diags: &mut Vec<Diagnostic>) {
    match cond {
        CondDef::All { items, .. } | CondDef::Any { items, .. } | CondDef::Items { items, .. } => {
            items.iter().for_each(|c| check_cond(file, rule, c, diags));
        }
        CondDef::Not { inner, .. } => check_cond(file, rule, inner, diags),
        CondDef::Changed { .. } | CondDef::Added { .. } => {}
        CondDef::Leaf { property, values, .. } => match name_of(property) {
            Some("IncidentProviderName") => diags.push(
                Diagnostic::error(
                    codes::DEFENDER_PROVIDER,
                    file,
                    Some(property.span),
                    "the Incident provider condition is removed once the workspace is onboarded to the Defender portal",
                )
                .with_label("every incident's provider is Microsoft XDR there")
                .with_help(format!(
                    "scope the rule by its analytics rules (`analytics_rules:`) or by tags; an existing rule runs as if this condition were not there ({SOURCE})"
                )),
            ),
            Some("IncidentDescription") if on_created_incidents(rule) => diags.push(
                Diagnostic::warning(
                    codes::DEFENDER_DESCRIPTION,
                    file,
                    Some(property.span),
                    "incidents have no description when creation rules run in the Defender portal",
                )
                .with_label("always absent on creation")
                .with_help(format!("Microsoft: such a rule \"won't work after onboarding\" ({SOURCE})")),
            ),
            Some("IncidentUpdatedBySource") => {
                for v in values.iter().filter(|v| defender_source(&v.value)) {
                    diags.push(
                        Diagnostic::warning(
                            codes::DEFENDER_UPDATED_BY,
                            file,
                            Some(v.span),
                            "the Defender portal replaces the updated-by value Microsoft 365 Defender with Other",
                        )
                        .with_label("compared as Other")
                        .with_help(format!("write `Other` if that is what the rule means ({SOURCE})")),
                    );
                }
            }
            Some("IncidentTitle") => diags.push(
                Diagnostic::warning(
                    codes::DEFENDER_TITLE,
                    file,
                    Some(property.span),
                    "the Defender portal may rename incidents when it correlates alerts",
                )
                .with_label("title condition")
                .with_help(format!(
                    "Microsoft recommends the analytics rule name (`analytics_rules:`) and tags instead of titles ({SOURCE})"
                )),
            ),
            _ => {}
        },
    }
}

/// True for the updated-by value the Defender portal replaces.
fn defender_source(value: &str) -> bool {
    UpdatedBySource::parse(value) == Some(UpdatedBySource::MicrosoftDefenderXdr)
}

/// One change [`adapt`] made to a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adaptation {
    pub rule: String,
    pub file: String,
    /// The condition changed.
    pub span: Span,
    pub what: &'static str,
}

impl Adaptation {
    /// `file:line:col: rule `X`: what`.
    pub fn message(&self) -> String {
        format!("{}:{}:{}: rule `{}`: {}", self.file, self.span.line, self.span.column, self.rule, self.what)
    }
}

const PROVIDER_REMOVED: &str =
    "the Incident provider condition is removed in the Defender portal; the rule runs as if it were not there";
const DESCRIPTION_ABSENT: &str =
    "a creation rule sees no description in the Defender portal; the condition reads it as absent";
const UPDATED_BY_OTHER: &str = "updated by Microsoft 365 Defender is Other in the Defender portal; compared as Other";

/// The rule set as a workspace onboarded to the Defender portal runs it (see the module doc).
pub fn adapt(set: &RuleSet) -> (RuleSet, Vec<Adaptation>) {
    let mut shared = set.shared_leaves();
    let mut notes = Vec::new();
    let rules: Vec<Rule> = set
        .rules()
        .iter()
        .cloned()
        .map(|mut rule| {
            let mut ctx = Adapt { rule: &rule, shared: &mut shared, notes: Vec::new() };
            let conditions = rule.conditions.clone().and_then(|c| ctx.strip(c));
            let notes_of_rule = std::mem::take(&mut ctx.notes);
            rule.conditions = conditions;
            notes.extend(notes_of_rule);
            rule
        })
        .collect();
    (RuleSet::with_shared_leaves(rules, shared), notes)
}

struct Adapt<'a> {
    rule: &'a Rule,
    /// The next free shared-leaf number: a rewritten leaf must not share results with the
    /// leaves it was equal to.
    shared: &'a mut usize,
    notes: Vec<Adaptation>,
}

impl Adapt<'_> {
    fn note(&mut self, span: Span, what: &'static str) {
        let rule = self.rule;
        self.notes.push(Adaptation { rule: rule.name.clone(), file: rule.file.clone(), span, what });
    }

    fn fresh(&mut self) -> usize {
        *self.shared += 1;
        *self.shared - 1
    }

    /// The condition without provider leaves; `None` when nothing is left of it.
    fn strip(&mut self, cond: Cond) -> Option<Cond> {
        match cond {
            Cond::Leaf(leaf) if leaf.property.name == "IncidentProviderName" => {
                self.note(leaf.span, PROVIDER_REMOVED);
                None
            }
            Cond::Leaf(leaf) => Some(Cond::Leaf(self.leaf(leaf))),
            Cond::All { id, items } => Some(Cond::All { id, items: self.group(items) }),
            // A group left with nothing holds: the empty `all`.
            Cond::Any { id, items } => {
                let had = items.len();
                let kept = self.group(items);
                Some(if kept.is_empty() && had > 0 {
                    Cond::All { id, items: kept }
                } else {
                    Cond::Any { id, items: kept }
                })
            }
            Cond::Not { id, inner } => self.strip(*inner).map(|c| Cond::Not { id, inner: Box::new(c) }),
            other => Some(other),
        }
    }

    fn group(&mut self, items: Vec<Cond>) -> Vec<Cond> {
        items.into_iter().filter_map(|c| self.strip(c)).collect()
    }

    /// A leaf as the Defender portal evaluates it.
    fn leaf(&mut self, mut leaf: Leaf) -> Leaf {
        let created = self.rule.on == TriggerOn::Incidents && self.rule.when == TriggerWhen::Created;
        if leaf.property.name == "IncidentDescription" && created {
            leaf.property = &ABSENT_DESCRIPTION;
            leaf.shared = self.fresh();
            self.note(leaf.span, DESCRIPTION_ABSENT);
        } else if leaf.property.source == Source::UpdatedBySource && leaf.values.iter().any(|v| defender_source(v)) {
            let values: Vec<String> = leaf
                .values
                .iter()
                .map(|v| if defender_source(v) { UpdatedBySource::Other.as_str().to_owned() } else { v.clone() })
                .collect();
            if let Ok(matcher) = Matcher::compile(leaf.operator.base, &values) {
                leaf.values = values;
                leaf.matcher = matcher;
                leaf.shared = self.fresh();
                self.note(leaf.span, UPDATED_BY_OTHER);
            }
        }
        leaf
    }
}
