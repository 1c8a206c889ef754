//! Conditions: the file model's condition tree -> [`Cond`], each leaf's property and operator
//! resolved, its values checked (enum spellings, regexes, CIDR ranges) and its matcher built
//! once; group sizes and update-only conditions checked against the rule's trigger.

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::{Severity, Status, UpdatedBySource};
use crate::syntax::Span;

use super::super::codes;
use super::super::condition::{AddedKind, ChangedField, Cond, Leaf};
use super::super::file::{CondDef, Text};
use super::super::operator::{self, BaseOp, Matcher, Operator};
use super::super::property::{self, Operators, Property, Source};
use super::super::rule::TriggerOn;
use super::{limits, parse_enum, Compiler, TriggerWhen};

impl Compiler<'_> {
    /// The top level is not a nested group: an `all` (or bare list) is Sentinel's conditions
    /// array (up to 50, no minimum), and a top-level `any` of one condition is just that
    /// condition (SPEC 2 limits groups *nested* in others to 2..10).
    pub(super) fn top_condition(&mut self, def: &CondDef) -> Option<Cond> {
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
                Some(Cond::Changed { id, field, from, to, span: *span })
            }
            CondDef::Added { what, span } => {
                self.update_only(*span, "an `added` condition");
                let what = parse_enum(self, what, "`added` array", AddedKind::parse, AddedKind::NAMES)?;
                let id = self.id();
                Some(Cond::Added { id, what, span: *span })
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
        let prop = self.property(property);
        let op = self.operator(operator);
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
        let matcher = self.matcher(op, &raw, values, span)?;
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

    /// The condition property `text` names, or an error with a suggestion (SR006).
    fn property(&mut self, text: &Text) -> Option<&'static Property> {
        let prop = property::lookup(&text.value);
        if prop.is_none() {
            let mut d = Diagnostic::error(
                codes::UNKNOWN_PROPERTY,
                self.file,
                Some(text.span),
                format!("unknown property `{}`", text.value),
            )
            .with_label("not a Sentinel condition property");
            if let Some(s) = did_you_mean(&text.value, property::names()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.push(d);
        }
        prop
    }

    /// The operator `text` names, or an error with a suggestion or the list (SR007).
    fn operator(&mut self, text: &Text) -> Option<Operator> {
        let op = Operator::parse(&text.value);
        if op.is_none() {
            let names = operator::NAMES.iter().map(|(n, _, _)| *n);
            let d = Diagnostic::error(
                codes::UNKNOWN_OPERATOR,
                self.file,
                Some(text.span),
                format!("unknown operator `{}`", text.value),
            )
            .with_label("not an operator");
            self.push(match did_you_mean(&text.value, names) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("expected Equals, NotEquals, Contains, NotContains, StartsWith, NotStartsWith, EndsWith, NotEndsWith, Matches, NotMatches, InCidr or NotInCidr"),
            });
        }
        op
    }

    /// The operator's matcher over the values, built once; a bad regex (SR009) or CIDR range
    /// (SR010) is reported at the value.
    fn matcher(&mut self, op: Operator, raw: &[String], values: &[Text], span: Span) -> Option<Matcher> {
        match Matcher::compile(op.base, raw) {
            Ok(m) => Some(m),
            Err(e) => {
                let at = values.get(e.index).map_or(span, |v| v.span);
                let code = if op.base == BaseOp::InCidr { codes::INVALID_CIDR } else { codes::INVALID_REGEX };
                let what = if op.base == BaseOp::InCidr { "invalid CIDR range" } else { "invalid regular expression" };
                self.push(
                    Diagnostic::error(code, self.file, Some(at), format!("{what}: {}", e.message)).with_label(what),
                );
                None
            }
        }
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
}
