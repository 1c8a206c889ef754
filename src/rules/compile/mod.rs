//! File model -> compiled [`RuleSet`]. Resolves property, operator and enum names, builds
//! regexes and CIDR sets once, checks Sentinel's limits and closing rules, and collects every
//! finding as a [`Diagnostic`] instead of stopping at the first. This file compiles a rule's
//! name, order, expiry and trigger and checks the set as a whole; `condition` compiles the
//! conditions and `action` the actions.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::diagnostic::{did_you_mean, merge_repeated_warnings, Code, Diagnostic};
use crate::model::time;
use crate::syntax::Span;

use super::actions::Action;
use super::codes;
use super::condition::Cond;
use super::contradiction;
use super::file::{CondDef, RuleDef, RuleFile, Text};
use super::rule::{Rule, RuleSet, ScopeId, TriggerOn, TriggerWhen};

mod action;
mod condition;

/// Sentinel's documented limits (service limits page and the API's maxItems).
pub mod limits {
    pub const MAX_RULES: usize = 512;
    pub const MAX_ACTIONS: usize = 20;
    pub const MAX_CONDITIONS: usize = 50;
    pub const MAX_NAME_CHARS: usize = 500;
    pub const ORDER_MIN: i64 = 1;
    pub const ORDER_MAX: i64 = 1000;
    pub const GROUP_MIN: usize = 2;
    pub const GROUP_MAX: usize = 10;
}

/// What compilation checks against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The simulated clock, for expiry warnings.
    pub now: Option<DateTime<Utc>>,
    /// Report this tool's extension operators as errors (they cannot be deployed).
    pub sentinel: bool,
}

/// Compiles every rule of every file. The rule set is meaningful only when no diagnostic is
/// an error. A warning repeated for several rules (their shared order) is said once.
pub fn compile(files: &[RuleFile], options: &Options) -> (RuleSet, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut rules = Vec::new();
    let mut shared = BTreeMap::new();
    for file in files {
        for def in &file.rules {
            let mut c = Compiler {
                file: &file.path,
                diags: &mut diags,
                shared: &mut shared,
                options,
                next_id: 0,
                on: TriggerOn::Incidents,
                when: TriggerWhen::Created,
            };
            if let Some(rule) = c.rule(def) {
                rules.push(rule);
            }
        }
    }
    check_set(&rules, &mut diags);
    merge_repeated_warnings(&mut diags);
    (RuleSet::with_shared_leaves(rules, shared.len()), diags)
}

/// Rule names listed in one shared-order warning.
const SHARED_ORDER_NAMES: usize = 5;

fn check_set(rules: &[Rule], diags: &mut Vec<Diagnostic>) {
    if rules.len() > limits::MAX_RULES {
        let file = rules.get(limits::MAX_RULES).map_or("", |r| r.file.as_str());
        diags.push(Diagnostic::error(
            codes::TOO_MANY_RULES,
            file,
            rules.get(limits::MAX_RULES).map(|r| r.span),
            format!("{} rules; Sentinel allows at most {} per workspace", rules.len(), limits::MAX_RULES),
        ));
    }
    let mut by_name: BTreeMap<&str, &Rule> = BTreeMap::new();
    for rule in rules {
        if let Some(first) = by_name.get(rule.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_RULE_NAME,
                    &rule.file,
                    Some(rule.span),
                    format!(
                        "duplicate rule name `{}`: also defined at {}:{}:{}",
                        rule.name, first.file, first.span.line, first.span.column
                    ),
                )
                .with_label("second rule with this name")
                .with_help("names must be unique across the rule set; rename one of the rules"),
            );
        } else {
            by_name.insert(&rule.name, rule);
        }
    }
    let mut by_order: BTreeMap<(TriggerOn, TriggerWhen, u32), Vec<&Rule>> = BTreeMap::new();
    for rule in rules {
        by_order.entry((rule.on, rule.when, rule.order)).or_default().push(rule);
    }
    for ((_, _, order), mut group) in by_order {
        if group.len() < 2 {
            continue;
        }
        group.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        // Each warning names the group, so a long group is cut short: 500 rules sharing an
        // order would otherwise print 500 warnings of 500 names each.
        let names: Vec<String> = group.iter().take(SHARED_ORDER_NAMES).map(|r| format!("`{}`", r.name)).collect();
        let names = match group.len().checked_sub(SHARED_ORDER_NAMES) {
            Some(more) if more > 0 => format!("{} and {more} more", names.join(", ")),
            _ => names.join(", "),
        };
        // One warning per rule of the group, each the same: `compile` says it once, at the
        // first of them, naming where the others are.
        for rule in &group {
            diags.push(
                Diagnostic::warning(
                    codes::SHARED_ORDER,
                    &rule.file,
                    Some(rule.span),
                    format!("rules {names} share order {order}"),
                )
                .with_help("Sentinel runs rules with the same order in random order; sentinel-soar runs them by name, and `apply`, `test` and `impact` with `--ties permute` try every order. Give each its own order"),
            );
        }
    }
}

struct Compiler<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// Distinct leaves of the whole rule set: (property, operator, case-folded values).
    shared: &'a mut BTreeMap<(&'static str, &'static str, Vec<String>), usize>,
    options: &'a Options,
    next_id: usize,
    on: TriggerOn,
    when: TriggerWhen,
}

/// Parses an enum value or reports it with the valid spellings and a suggestion.
fn parse_enum<T>(
    c: &mut Compiler<'_>,
    text: &Text,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    names: &[&'static str],
) -> Option<T> {
    let parsed = parse(&text.value);
    if parsed.is_none() {
        let help = match did_you_mean(&text.value, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", names.join(", ")),
        };
        c.diags.push(
            Diagnostic::error(
                codes::INVALID_ENUM,
                c.file,
                Some(text.span),
                format!("`{}` is not a valid {what}", text.value),
            )
            .with_label(format!("not a {what}"))
            .with_help(help),
        );
    }
    parsed
}

impl Compiler<'_> {
    fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, self.file, Some(span), message));
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Compiles one rule: each part checked in turn, every finding reported; the rule only
    /// when none of them is an error.
    fn rule(&mut self, def: &RuleDef) -> Option<Rule> {
        let errors_before = self.error_count();
        let name = self.rule_name(def);
        let order = self.rule_order(def);
        let expires = self.expiry(def, name.as_deref());
        let on = self.trigger(def);
        let conditions = self.rule_conditions(def);
        let actions = self.rule_actions(def, on);
        let scope = def.analytics_rules.iter().map(|t| ScopeId::parse(&t.value)).collect();
        let errors_after = self.error_count();
        // Without a name or an order (already reported) the rule cannot take part in the
        // set-wide checks: a defaulted order would report ties that are not there.
        let (name, order) = (name?, order?);
        let modified_by = format!("Automation rule - {name}");
        (errors_after == errors_before).then(|| Rule {
            name,
            description: def.description.as_ref().map(|d| d.value.clone()),
            order,
            enabled: def.enabled,
            expires,
            on: on.unwrap_or(TriggerOn::Incidents),
            when: self.when,
            scope,
            conditions,
            actions,
            action_sites: def.actions.iter().map(|a| (a.span(), a.keyword())).collect(),
            modified_by,
            file: self.file.to_owned(),
            span: def.span,
        })
    }

    fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// The trimmed name, its length checked (SR022).
    fn rule_name(&mut self, def: &RuleDef) -> Option<String> {
        let text = def.name.as_ref()?;
        let name = text.value.trim().to_owned();
        let chars = name.chars().count();
        if chars == 0 || chars > limits::MAX_NAME_CHARS {
            self.push(Diagnostic::error(
                codes::NAME_LENGTH,
                self.file,
                Some(text.span),
                format!("a rule name has 1 to {} characters, this one has {chars}", limits::MAX_NAME_CHARS),
            ));
        }
        Some(name)
    }

    /// The order, its range checked (SR018) and clamped into it.
    fn rule_order(&mut self, def: &RuleDef) -> Option<u32> {
        let (order, span) = def.order?;
        if !(limits::ORDER_MIN..=limits::ORDER_MAX).contains(&order) {
            self.push(
                Diagnostic::error(
                    codes::ORDER_RANGE,
                    self.file,
                    Some(span),
                    format!("order {order} is outside 1..1000"),
                )
                .with_label("Sentinel accepts 1 to 1000"),
            );
        }
        Some(u32::try_from(order.clamp(limits::ORDER_MIN, limits::ORDER_MAX)).unwrap_or(1))
    }

    /// The expiry time; a rule already expired at `--now` is a warning (SR024).
    fn expiry(&mut self, def: &RuleDef, name: Option<&str>) -> Option<DateTime<Utc>> {
        let text = def.expires.as_ref()?;
        let expires = self.timestamp(text)?;
        if self.options.now.is_some_and(|now| now >= expires) {
            self.push(
                Diagnostic::warning(
                    codes::EXPIRED_RULE,
                    self.file,
                    Some(text.span),
                    format!("rule `{}` expired on {}; it will not run", name.unwrap_or("?"), time::stamp(expires)),
                )
                .with_label("expired"),
            );
        }
        Some(expires)
    }

    /// The trigger's `on` (`None` when it is not a valid one) and `when` (kept in
    /// `self.when` for the conditions that only make sense on updates); an alert rule cannot
    /// run on updates (SR036).
    fn trigger(&mut self, def: &RuleDef) -> Option<TriggerOn> {
        let on = match &def.trigger_on {
            Some(t) => parse_enum(
                self,
                t,
                "trigger `on`",
                |s| match s.trim().to_ascii_lowercase().as_str() {
                    "incidents" | "incident" => Some(TriggerOn::Incidents),
                    "alerts" | "alert" => Some(TriggerOn::Alerts),
                    _ => None,
                },
                &["incidents", "alerts"],
            ),
            None => Some(TriggerOn::Incidents),
        };
        let when = match &def.trigger_when {
            Some(t) => parse_enum(
                self,
                t,
                "trigger `when`",
                |s| match s.trim().to_ascii_lowercase().as_str() {
                    "created" => Some(TriggerWhen::Created),
                    "updated" => Some(TriggerWhen::Updated),
                    _ => None,
                },
                &["created", "updated"],
            ),
            None => Some(TriggerWhen::Created),
        };
        self.when = when.unwrap_or(TriggerWhen::Created);
        self.on = on.unwrap_or(TriggerOn::Incidents);
        if let (Some(TriggerOn::Alerts), TriggerWhen::Updated, Some(t)) = (on, self.when, &def.trigger_when) {
            self.push(
                Diagnostic::error(
                    codes::ALERT_RULE_UPDATED,
                    self.file,
                    Some(t.span),
                    "alert-trigger rules run only when alerts are created",
                )
                .with_label("Sentinel has no alert-updated trigger")
                .with_help("use `when: created`, or `on: incidents` to react to updates"),
            );
        }
        on
    }

    /// The conditions, checked for contradictions and against Sentinel's limit (SR020).
    fn rule_conditions(&mut self, def: &RuleDef) -> Option<Cond> {
        let conditions = self.top_condition(def.conditions.as_ref()?)?;
        contradiction::check(&conditions, self.file, self.diags);
        let count = conditions.leaf_count();
        if count > limits::MAX_CONDITIONS {
            let span = def.conditions.as_ref().map_or(def.span, CondDef::span);
            self.error(
                codes::TOO_MANY_CONDITIONS,
                span,
                format!("{count} conditions; Sentinel allows at most {} per rule", limits::MAX_CONDITIONS),
            );
        }
        Some(conditions)
    }

    /// The actions that compile; an empty list (SR029) and more than Sentinel takes (SR019)
    /// are errors.
    fn rule_actions(&mut self, def: &RuleDef, on: Option<TriggerOn>) -> Vec<Action> {
        let actions = def.actions.iter().filter_map(|a| self.action(a, on)).collect();
        if let Some(span) = def.actions_span {
            if def.actions_written == 0 {
                self.error(codes::EMPTY_LIST, span, "a rule needs at least one action");
            } else if def.actions_written > limits::MAX_ACTIONS {
                self.error(
                    codes::TOO_MANY_ACTIONS,
                    span,
                    format!(
                        "{} actions; Sentinel allows at most {} per rule",
                        def.actions_written,
                        limits::MAX_ACTIONS
                    ),
                );
            }
        }
        actions
    }

    fn timestamp(&mut self, text: &Text) -> Option<DateTime<Utc>> {
        match time::parse(&text.value) {
            Ok(t) => Some(t),
            Err(_) => {
                self.push(
                    Diagnostic::error(
                        codes::INVALID_TIMESTAMP,
                        self.file,
                        Some(text.span),
                        format!("`{}` is not an RFC 3339 timestamp or a date", text.value),
                    )
                    .with_label("expected a date and time with a zone, or a date")
                    .with_help("write it like 2026-12-31T23:59:59Z, or 2026-12-31 for midnight UTC"),
                );
                None
            }
        }
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id - 1
    }
}
