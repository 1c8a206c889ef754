//! File model -> compiled [`RuleSet`]. Resolves property, operator and enum names, builds
//! regexes and CIDR sets once, checks Sentinel's limits and closing rules, and collects every
//! finding as a [`Diagnostic`] instead of stopping at the first.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::diagnostic::{did_you_mean, merge_repeated_warnings, Diagnostic};
use crate::model::{Classification, ClassificationReason, Owner, Severity, Status, UpdatedBySource};
use crate::syntax::Span;

use super::actions::{self, Action};
use super::codes;
use super::condition::{AddedKind, ChangedField, Cond, Leaf};
use super::contradiction;
use super::file::{ActionDef, CondDef, RuleDef, RuleFile, Text};
use super::operator::{self, BaseOp, Matcher, Operator};
use super::property::{self, Operators, Property, Source};
use super::rule::{Rule, RuleSet, ScopeId, TriggerOn, TriggerWhen};

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
                .with_help("Sentinel runs rules with the same order in random order; sentinel-soar runs them by name. Give each its own order"),
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
    fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, self.file, Some(span), message));
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn rule(&mut self, def: &RuleDef) -> Option<Rule> {
        let errors_before = self.diags.iter().filter(|d| d.is_error()).count();
        let name = def.name.as_ref().map(|n| n.value.trim().to_owned());
        if let (Some(n), Some(t)) = (&name, &def.name) {
            let chars = n.chars().count();
            if chars == 0 || chars > limits::MAX_NAME_CHARS {
                self.push(Diagnostic::error(
                    codes::NAME_LENGTH,
                    self.file,
                    Some(t.span),
                    format!("a rule name has 1 to {} characters, this one has {chars}", limits::MAX_NAME_CHARS),
                ));
            }
        }
        let order = def.order.map(|(o, span)| {
            if !(limits::ORDER_MIN..=limits::ORDER_MAX).contains(&o) {
                self.push(
                    Diagnostic::error(
                        codes::ORDER_RANGE,
                        self.file,
                        Some(span),
                        format!("order {o} is outside 1..1000"),
                    )
                    .with_label("Sentinel accepts 1 to 1000"),
                );
            }
            u32::try_from(o.clamp(limits::ORDER_MIN, limits::ORDER_MAX)).unwrap_or(1)
        });
        let expires = def.expires.as_ref().and_then(|t| self.timestamp(t));
        if let (Some(exp), Some(now), Some(t)) = (expires, self.options.now, &def.expires) {
            if now >= exp {
                self.push(
                    Diagnostic::warning(
                        codes::EXPIRED_RULE,
                        self.file,
                        Some(t.span),
                        format!(
                            "rule `{}` expired on {}; it will not run",
                            name.as_deref().unwrap_or("?"),
                            exp.to_rfc3339_opts(SecondsFormat::Secs, true)
                        ),
                    )
                    .with_label("expired"),
                );
            }
        }
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
        let conditions = def.conditions.as_ref().and_then(|c| self.top_condition(c));
        if let Some(c) = &conditions {
            contradiction::check(c, self.file, self.diags);
            let count = c.leaf_count();
            if count > limits::MAX_CONDITIONS {
                let span = def.conditions.as_ref().map_or(def.span, CondDef::span);
                self.error(
                    codes::TOO_MANY_CONDITIONS,
                    span,
                    format!("{count} conditions; Sentinel allows at most {} per rule", limits::MAX_CONDITIONS),
                );
            }
        }
        let actions: Vec<Action> = def.actions.iter().filter_map(|a| self.action(a, on)).collect();
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
        let scope = def.analytics_rules.iter().map(|t| ScopeId::parse(&t.value)).collect();
        let errors_after = self.diags.iter().filter(|d| d.is_error()).count();
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
            modified_by,
            file: self.file.to_owned(),
            span: def.span,
        })
    }

    fn timestamp(&mut self, text: &Text) -> Option<DateTime<Utc>> {
        match DateTime::parse_from_rfc3339(text.value.trim()) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                self.push(
                    Diagnostic::error(
                        codes::INVALID_TIMESTAMP,
                        self.file,
                        Some(text.span),
                        format!("`{}` is not an RFC 3339 timestamp", text.value),
                    )
                    .with_label("expected a date and time with a zone")
                    .with_help("write it like 2026-12-31T23:59:59Z"),
                );
                None
            }
        }
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id - 1
    }

    /// The top level is not a nested group: an `all` (or bare list) is Sentinel's conditions
    /// array (up to 50, no minimum), and a top-level `any` of one condition is just that
    /// condition (SPEC 2 limits groups *nested* in others to 2..10).
    fn top_condition(&mut self, def: &CondDef) -> Option<Cond> {
        match def {
            CondDef::All { items, .. } => {
                let id = self.id();
                let items = self.conditions(items)?;
                Some(Cond::All { id, items })
            }
            CondDef::Any { items, span } => {
                if items.len() > limits::GROUP_MAX {
                    self.group_size(*span, items.len(), "any");
                }
                let id = self.id();
                let items = self.conditions(items)?;
                Some(Cond::Any { id, items })
            }
            other => self.condition(other),
        }
    }

    fn conditions(&mut self, defs: &[CondDef]) -> Option<Vec<Cond>> {
        let compiled: Vec<Option<Cond>> = defs.iter().map(|d| self.condition(d)).collect();
        compiled.into_iter().collect()
    }

    fn group_size(&mut self, span: Span, n: usize, kind: &str) {
        if !(limits::GROUP_MIN..=limits::GROUP_MAX).contains(&n) {
            self.push(
                Diagnostic::error(
                    codes::GROUP_SIZE,
                    self.file,
                    Some(span),
                    format!("an `{kind}` group has {n} condition(s); Sentinel needs 2 to 10"),
                )
                .with_label("group")
                .with_help("a group of one is just its condition; split larger groups into nested ones"),
            );
        }
    }

    fn condition(&mut self, def: &CondDef) -> Option<Cond> {
        match def {
            CondDef::All { items, span, implicit } => {
                self.group_size(*span, items.len(), if *implicit { "all (list)" } else { "all" });
                let id = self.id();
                Some(Cond::All { id, items: self.conditions(items)? })
            }
            CondDef::Any { items, span } => {
                self.group_size(*span, items.len(), "any");
                let id = self.id();
                Some(Cond::Any { id, items: self.conditions(items)? })
            }
            CondDef::Not { inner, .. } => {
                let id = self.id();
                Some(Cond::Not { id, inner: Box::new(self.condition(inner)?) })
            }
            CondDef::Items { all, items, span } => {
                if items.is_empty() || items.len() > limits::GROUP_MAX {
                    self.error(
                        codes::GROUP_SIZE,
                        *span,
                        format!("custom details item conditions: {} given, Sentinel takes 1 to 10", items.len()),
                    );
                }
                let id = self.id();
                Some(Cond::Items { id, all: *all, items: self.conditions(items)? })
            }
            CondDef::Leaf { property, operator, values, span } => self.leaf(property, operator, values, *span),
            CondDef::Changed { property, from, to, span } => {
                self.update_only(*span, "a `changed` condition");
                let field = parse_enum(self, property, "changed property", ChangedField::parse, ChangedField::NAMES)?;
                let check = |c: &mut Self, list: &[Text]| -> Option<Vec<String>> {
                    let mut ok = true;
                    for t in list {
                        ok &= match field {
                            ChangedField::Severity => {
                                parse_enum(c, t, "severity", Severity::parse, &Severity::names()).is_some()
                            }
                            ChangedField::Status => {
                                parse_enum(c, t, "status", Status::parse, &Status::names()).is_some()
                            }
                            ChangedField::Owner => true,
                        };
                    }
                    ok.then(|| list.iter().map(|t| t.value.trim().to_lowercase()).collect())
                };
                let from = check(self, from)?;
                let to = check(self, to)?;
                let id = self.id();
                Some(Cond::Changed { id, field, from, to })
            }
            CondDef::Added { what, span } => {
                self.update_only(*span, "an `added` condition");
                let what = parse_enum(self, what, "`added` array", AddedKind::parse, AddedKind::NAMES)?;
                let id = self.id();
                Some(Cond::Added { id, what })
            }
        }
    }

    fn update_only(&mut self, span: Span, what: &str) {
        if self.when == TriggerWhen::Created {
            self.push(
                Diagnostic::error(
                    codes::UPDATE_LEAF_ON_CREATE,
                    self.file,
                    Some(span),
                    format!("{what} only makes sense in a rule that runs when incidents are updated"),
                )
                .with_label("never true on creation")
                .with_help("add `trigger: { on: incidents, when: updated }` to the rule"),
            );
        }
    }

    fn leaf(&mut self, property: &Text, operator: &Text, values: &[Text], span: Span) -> Option<Cond> {
        let prop = property::lookup(&property.value);
        if prop.is_none() {
            let mut d = Diagnostic::error(
                codes::UNKNOWN_PROPERTY,
                self.file,
                Some(property.span),
                format!("unknown property `{}`", property.value),
            )
            .with_label("not a Sentinel condition property");
            if let Some(s) = did_you_mean(&property.value, property::names()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.push(d);
        }
        let op = Operator::parse(&operator.value);
        if op.is_none() {
            let names = operator::NAMES.iter().map(|(n, _, _)| *n);
            let mut d = Diagnostic::error(
                codes::UNKNOWN_OPERATOR,
                self.file,
                Some(operator.span),
                format!("unknown operator `{}`", operator.value),
            )
            .with_label("not an operator");
            d = match did_you_mean(&operator.value, names) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("expected Equals, NotEquals, Contains, NotContains, StartsWith, NotStartsWith, EndsWith, NotEndsWith, Matches, NotMatches, InCidr or NotInCidr"),
            };
            self.push(d);
        }
        let (prop, op) = (prop?, op?);
        if self.on == TriggerOn::Alerts && !matches!(prop.name, "AlertAnalyticRuleIds" | "AlertProductNames") {
            self.push(
                Diagnostic::error(
                    codes::ALERT_RULE_CONDITION,
                    self.file,
                    Some(property.span),
                    "alert-trigger rules can only test AlertAnalyticRuleIds and AlertProductNames",
                )
                .with_label("not available on the alert trigger")
                .with_help(
                    "Sentinel's alert trigger evaluates only which analytics rule (and product) raised the alert",
                ),
            );
        }
        self.check_operator(prop, op, operator.span);
        if prop.source == Source::UpdatedBySource {
            self.update_only(property.span, "IncidentUpdatedBySource");
        }
        if op.base == BaseOp::Equals {
            self.check_enum_values(prop, values);
        }
        let raw: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
        let matcher = match Matcher::compile(op.base, &raw) {
            Ok(m) => m,
            Err(e) => {
                let at = values.get(e.index).map_or(span, |v| v.span);
                let code = if op.base == BaseOp::InCidr { codes::INVALID_CIDR } else { codes::INVALID_REGEX };
                let what = if op.base == BaseOp::InCidr { "invalid CIDR range" } else { "invalid regular expression" };
                self.push(
                    Diagnostic::error(code, self.file, Some(at), format!("{what}: {}", e.message)).with_label(what),
                );
                return None;
            }
        };
        if values.is_empty() {
            return None;
        }
        let id = self.id();
        // Text operators ignore case, so their values share when they fold alike; regexes do
        // not (`\d` and `\D` differ) and neither do CIDRs, so those share only when identical.
        let folded = match op.base {
            BaseOp::Matches | BaseOp::InCidr => raw.clone(),
            _ => raw.iter().map(|v| operator::fold(v).into_owned()).collect(),
        };
        let key = (prop.name, op.name(), folded);
        let next = self.shared.len();
        let shared = *self.shared.entry(key).or_insert(next);
        Some(Cond::Leaf(Leaf { id, shared, property: prop, operator: op, values: raw, matcher, span }))
    }

    fn check_operator(&mut self, prop: &Property, op: Operator, span: Span) {
        if !op.base.is_sentinel() {
            if self.options.sentinel {
                self.push(
                    Diagnostic::error(
                        codes::EXTENSION_OPERATOR,
                        self.file,
                        Some(span),
                        format!("`{}` is a sentinel-soar extension that Sentinel cannot run", op.name()),
                    )
                    .with_label("not deployable")
                    .with_help("use Sentinel's Equals, Contains, StartsWith or EndsWith (and their Not forms)"),
                );
            }
            if op.base == BaseOp::InCidr && !prop.ip {
                self.push(
                    Diagnostic::error(
                        codes::OPERATOR_NOT_FOR_PROPERTY,
                        self.file,
                        Some(span),
                        format!("`{}` applies to IP address properties, not `{}`", op.name(), prop.name),
                    )
                    .with_help("use it with IPAddress or MailMessageSenderIP"),
                );
            }
            return;
        }
        if !prop.sentinel_allows(op.base) {
            let allowed = match prop.operators {
                Operators::EqualsOnly => "Equals and NotEquals",
                Operators::ContainsOnly => "Contains and NotContains",
                Operators::Text => "all string operators",
            };
            self.push(
                Diagnostic::warning(
                    codes::OPERATOR_NOT_FOR_PROPERTY,
                    self.file,
                    Some(span),
                    format!("Sentinel offers only {allowed} for `{}`", prop.name),
                )
                .with_label(format!("`{}` is not offered for this property", op.name())),
            );
        }
    }

    fn check_enum_values(&mut self, prop: &Property, values: &[Text]) {
        for v in values {
            match prop.name {
                "IncidentSeverity" => {
                    let _ = parse_enum(self, v, "severity", Severity::parse, &Severity::names());
                }
                "IncidentStatus" => {
                    let _ = parse_enum(self, v, "status", Status::parse, &Status::names());
                }
                "IncidentUpdatedBySource" => {
                    let _ = parse_enum(self, v, "updated-by source", UpdatedBySource::parse, &UpdatedBySource::names());
                }
                _ => {}
            }
        }
    }

    fn action(&mut self, def: &ActionDef, on: Option<TriggerOn>) -> Option<Action> {
        if on == Some(TriggerOn::Alerts) && !matches!(def, ActionDef::RunPlaybook { .. }) {
            self.push(
                Diagnostic::error(
                    codes::ALERT_RULE_ACTION,
                    self.file,
                    Some(def.span()),
                    format!("`{}` is not available to alert-trigger rules", def.keyword()),
                )
                .with_help("Sentinel's alert trigger offers only run_playbook"),
            );
        }
        match def {
            ActionDef::ChangeStatus { status, classification, reason, comment, span } => {
                self.change_status(status, classification.as_ref(), reason.as_ref(), comment.as_ref(), *span)
            }
            ActionDef::ChangeSeverity { severity, .. } => {
                let severity = parse_enum(self, severity, "severity", Severity::parse, &Severity::names())?;
                Some(Action::ChangeSeverity(actions::ChangeSeverity { severity }))
            }
            ActionDef::AssignOwner { object_id, email, upn, name, .. } => {
                let get = |t: &Option<Text>| t.as_ref().map(|t| t.value.trim().to_owned()).filter(|s| !s.is_empty());
                let owner = Owner { object_id: get(object_id), email: get(email), upn: get(upn), name: get(name) };
                Some(Action::AssignOwner(actions::AssignOwner { owner }))
            }
            ActionDef::AddTags { tags, span } => {
                let tags: Vec<String> =
                    tags.iter().map(|t| t.value.trim().to_owned()).filter(|t| !t.is_empty()).collect();
                if tags.is_empty() {
                    self.error(codes::EMPTY_LIST, *span, "add_tags needs at least one tag");
                    return None;
                }
                Some(Action::AddTags(actions::AddTags { tags }))
            }
            ActionDef::AddTask { title, description, .. } => {
                if title.value.trim().is_empty() {
                    self.error(codes::EMPTY_LIST, title.span, "a task needs a title");
                    return None;
                }
                Some(Action::AddTask(actions::AddTask {
                    title: title.value.clone(),
                    description: description.as_ref().map(|d| d.value.clone()),
                }))
            }
            ActionDef::RunPlaybook { name, .. } => {
                let n = name.value.trim();
                if !actions::run_playbook::valid_name(n) {
                    self.push(
                        Diagnostic::error(
                            codes::INVALID_PLAYBOOK_NAME,
                            self.file,
                            Some(name.span),
                            format!("`{n}` is not a valid playbook (Logic Apps workflow) name"),
                        )
                        .with_label("invalid name")
                        .with_help("1 to 80 letters, digits, hyphens, underscores, periods and parentheses"),
                    );
                    return None;
                }
                Some(Action::RunPlaybook(actions::RunPlaybook { name: n.to_owned() }))
            }
        }
    }

    fn change_status(
        &mut self,
        status: &Text,
        classification: Option<&Text>,
        reason: Option<&Text>,
        comment: Option<&Text>,
        span: Span,
    ) -> Option<Action> {
        let st = parse_enum(self, status, "status", Status::parse, &Status::names());
        let class = classification
            .map(|c| parse_enum(self, c, "classification", Classification::parse, &Classification::names()));
        let why = reason.map(|r| {
            parse_enum(self, r, "classification reason", ClassificationReason::parse, &ClassificationReason::names())
        });
        let st = st?;
        let (class, why) = (class.unwrap_or(None), why.unwrap_or(None));
        if classification.is_some() && class.is_none() || reason.is_some() && why.is_none() {
            return None;
        }
        if st != Status::Closed {
            if let Some(t) = classification.or(reason) {
                self.push(
                    Diagnostic::error(
                        codes::CLASSIFICATION_NOT_CLOSING,
                        self.file,
                        Some(t.span),
                        format!("a classification only goes with status Closed, not {st}"),
                    )
                    .with_label("only when closing"),
                );
                return None;
            }
        } else {
            let Some(c) = class else {
                self.push(
                    Diagnostic::error(codes::CLOSE_WITHOUT_CLASSIFICATION, self.file, Some(status.span), "closing an incident requires a classification")
                        .with_label("closed without classification")
                        .with_help("add a classification: BenignPositive (with `reason: SuspiciousButExpected`), TruePositive (with `reason: SuspiciousActivity`), FalsePositive (with `reason: IncorrectAlertLogic` or `InaccurateData`) or Undetermined"),
                );
                return None;
            };
            let allowed = c.allowed_reasons();
            let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            match (why, reason) {
                (None, _) if !allowed.is_empty() => {
                    self.push(
                        Diagnostic::error(
                            codes::REASON_MISMATCH,
                            self.file,
                            Some(classification.map_or(span, |t| t.span)),
                            format!("classification {c} requires a reason"),
                        )
                        .with_label("no reason given")
                        .with_help(format!("add `reason: {}`", names.join("` or `reason: "))),
                    );
                    return None;
                }
                (Some(r), Some(t)) if !allowed.contains(&r) => {
                    let help = if allowed.is_empty() {
                        format!("{c} takes no reason; remove `reason`")
                    } else {
                        format!("{c} takes {}", names.join(" or "))
                    };
                    self.push(
                        Diagnostic::error(
                            codes::REASON_MISMATCH,
                            self.file,
                            Some(t.span),
                            format!("reason {r} does not fit classification {c}"),
                        )
                        .with_label("wrong reason")
                        .with_help(help),
                    );
                    return None;
                }
                _ => {}
            }
        }
        Some(Action::ChangeStatus(actions::ChangeStatus {
            status: st,
            classification: class,
            reason: why,
            comment: comment.map(|c| c.value.clone()),
        }))
    }
}
