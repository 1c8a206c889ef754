//! Actions: the file model's actions -> closed [`Action`]s, enum values parsed, and Sentinel's
//! rules for closing an incident (a classification, the reasons it takes) checked.

use crate::diagnostic::Diagnostic;
use crate::model::{Classification, ClassificationReason, Owner, Severity, Status};
use crate::syntax::Span;

use super::super::actions::{self, Action};
use super::super::codes;
use super::super::file::{ActionDef, Text};
use super::super::rule::TriggerOn;
use super::{parse_enum, Compiler};

impl Compiler<'_> {
    pub(super) fn action(&mut self, def: &ActionDef, on: Option<TriggerOn>) -> Option<Action> {
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
            self.check_closing(status, span, (classification, class), (reason, why))?;
        }
        Some(Action::ChangeStatus(actions::ChangeStatus {
            status: st,
            classification: class,
            reason: why,
            comment: comment.map(|c| c.value.clone()),
        }))
    }

    /// Sentinel's rules for closing an incident: a classification (SR012), with a reason when
    /// it takes one and only a reason it takes (SR013). `None` when one is broken (reported).
    fn check_closing(
        &mut self,
        status: &Text,
        span: Span,
        (classification, class): (Option<&Text>, Option<Classification>),
        (reason, why): (Option<&Text>, Option<ClassificationReason>),
    ) -> Option<()> {
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
                None
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
                None
            }
            _ => Some(()),
        }
    }
}
