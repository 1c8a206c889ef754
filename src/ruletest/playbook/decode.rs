//! A playbook test's mapping -> [`PlaybookCase`], with the test file decoder
//! ([`crate::ruletest::file`]): every structural problem reported at once, located. Keys that
//! only a rule test takes are reported as contradicting `playbook` (ST005); inline mocks are
//! read as a mocks file reads them (PB023, located in the test file).

use chrono::{DateTime, Utc};

use crate::diagnostic::Diagnostic;
use crate::playbook::connectors::mocks;
use crate::playbook::model::Status;
use crate::syntax::{Node, NodeKind, Text};

use super::super::codes;
use super::super::file::Tests;
use super::super::IncidentSource;
use super::{
    parse_run_status, ActionStatus, CallExpect, MockSource, OutputsExpect, PlaybookCase, PlaybookCheck,
    PlaybookExpectation, UnfinishedPlaybookCase, CALL_KEYS, CASE_KEYS, CASE_REQUIRED, EXPECT_KEYS, RULE_CASE_KEYS,
    RULE_EXPECT_KEYS, RUN_STATUSES,
};

impl Tests<'_> {
    /// Decodes a playbook test; as far as it decoded when it has errors (reported); `None`
    /// when it is not a mapping.
    pub(in crate::ruletest) fn playbook_case(
        &mut self,
        node: &Node,
        file_now: DateTime<Utc>,
    ) -> Option<Result<PlaybookCase, UnfinishedPlaybookCase>> {
        let start = self.diags.len();
        let allowed: Vec<&str> = CASE_KEYS.iter().chain(RULE_CASE_KEYS.iter()).copied().collect();
        let f = self.fields(node, "a playbook test", &allowed)?;
        for (key, _) in f.entries().iter().filter(|(k, _)| RULE_CASE_KEYS.contains(&k.name.as_str())) {
            let message = format!("`{}` is a rule test key; a playbook test runs no rules", key.name);
            let d = Diagnostic::error(codes::CONFLICTING_KEYS, self.path, Some(key.span), message)
                .with_label("not with `playbook`")
                .with_help("a playbook test starts the playbook on its `incident` or `alert`; remove the key");
            self.push(d);
        }
        let [name, playbook, expect] = CASE_REQUIRED.map(|key| self.required(&f, key, "playbook test"));
        let name = name.and_then(|n| self.text(n, "a test name"));
        let playbook = playbook.and_then(|n| self.text(n, "a playbook name or path"));
        let incident = f.get("incident").and_then(|n| self.source(n, "incident"));
        let alert = f.get("alert").and_then(|n| self.source(n, "alert"));
        if f.get("incident").is_none() && f.get("alert").is_none() {
            let d = Diagnostic::error(
                codes::CONFLICTING_KEYS,
                self.path,
                Some(f.span),
                "a playbook test without `incident` or `alert`",
            )
            .with_help("give the incident the playbook runs on (`incident:`), or its alert (`alert:`), or both");
            self.push(d);
        }
        let mocks = f.get("mocks").map(|n| self.mock_sources(n)).unwrap_or_default();
        let [infer_mocks, strict_mocks] = ["infer_mocks", "strict_mocks"].map(|k| f.get(k).and_then(|n| self.flag(n)));
        let watchlists = f.get("watchlists").map(|n| self.watchlists(n)).unwrap_or_default();
        let now = f.get("now").map_or(Some(file_now), |n| self.timestamp(n));
        if let Some(n) = f.get("description") {
            self.text(n, "a description");
        }
        let expect = expect.and_then(|n| self.playbook_expect(n));
        let (name, span) = (name.map(|n| n.value), f.span);
        Some(match (self.errors_since(start), name, playbook, now, expect) {
            (false, Some(name), Some(playbook), Some(now), Some(expect)) => Ok(PlaybookCase {
                name,
                span,
                playbook,
                incident,
                alert,
                mocks,
                infer_mocks: infer_mocks.unwrap_or(false),
                strict_mocks: strict_mocks.unwrap_or(false),
                watchlists,
                now,
                expect,
            }),
            (_, name, playbook, _, expect) => {
                let expect = expect.unwrap_or_default();
                Err(UnfinishedPlaybookCase { name, span, playbook, incident, alert, mocks, watchlists, expect })
            }
        })
    }

    /// An incident or an alert: a path, or a mapping written inline.
    fn source(&mut self, node: &Node, what: &str) -> Option<IncidentSource> {
        match &node.kind {
            NodeKind::Map(_) => Some(IncidentSource::Inline { value: node.to_value(), span: node.span }),
            NodeKind::Str(_) => self.text(node, "a path").map(IncidentSource::Path),
            _ => {
                self.wrong_type(node, &format!("an {what} file path or an inline {what} mapping"));
                None
            }
        }
    }

    fn flag(&mut self, node: &Node) -> Option<bool> {
        match node.kind {
            NodeKind::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, "true or false");
                None
            }
        }
    }

    /// `mocks`: a path, or a list of paths and mocks written inline (read as a mocks file's
    /// entries).
    fn mock_sources(&mut self, node: &Node) -> Vec<MockSource> {
        let items = match &node.kind {
            NodeKind::Seq(items) => items.as_slice(),
            _ => std::slice::from_ref(node),
        };
        let mut out: Vec<MockSource> = Vec::new();
        for item in items {
            match &item.kind {
                NodeKind::Map(_) => {
                    let root = Node::map(item.span, vec![("mocks", Node::seq(item.span, vec![item.clone()]))]);
                    let read = mocks::load_tree(self.path, self.source, &root, self.diags);
                    match out.last_mut() {
                        Some(MockSource::Inline(m)) => m.mocks.extend(read.mocks),
                        _ => out.push(MockSource::Inline(read)),
                    }
                }
                _ => out.extend(self.text(item, "a mocks path or a mock").map(MockSource::Path)),
            }
        }
        out
    }

    /// `watchlists: {ALIAS: PATH}`.
    fn watchlists(&mut self, node: &Node) -> Vec<(Text, Text)> {
        let Some(entries) = node.entries() else {
            self.wrong_type(node, "a mapping of watchlist aliases to CSV paths");
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(key, value)| {
                let path = self.text(value, "a CSV path")?;
                Some((Text { value: key.name.clone(), span: key.span }, path))
            })
            .collect()
    }

    /// Decodes a playbook test's `expect`: the expectations that are valid (the others are
    /// reported); `None` (reported) when it is not a mapping.
    fn playbook_expect(&mut self, node: &Node) -> Option<Vec<PlaybookExpectation>> {
        let allowed: Vec<&str> = EXPECT_KEYS.iter().chain(RULE_EXPECT_KEYS.iter()).copied().collect();
        let f = self.fields(node, "`expect` of a playbook test", &allowed)?;
        if f.entries().is_empty() {
            self.error(codes::CONFLICTING_KEYS, node.span, "`expect` checks nothing; add at least one expectation");
        }
        let mut out = Vec::with_capacity(f.entries().len());
        for &(key, value) in f.entries() {
            if RULE_EXPECT_KEYS.contains(&key.name.as_str()) {
                let message = format!("`{}` checks the rules; a playbook test runs no rules", key.name);
                let d = Diagnostic::error(codes::CONFLICTING_KEYS, self.path, Some(key.span), message)
                    .with_label("not in a playbook test")
                    .with_help("check the run with `run`, `actions`, `calls` and `outputs`, the incident with `status`, `tags`, `changes`, ...");
                self.push(d);
                continue;
            }
            let Some(name) = EXPECT_KEYS.iter().copied().find(|k| *k == key.name) else { continue };
            let check = match name {
                "run" => self.enum_value(value, "run status", parse_run_status, &RUN_STATUSES).map(PlaybookCheck::Run),
                "actions" => self.action_statuses(value).map(PlaybookCheck::Actions),
                "calls" => self.calls(value).map(PlaybookCheck::Calls),
                "outputs" => self.outputs(value).map(PlaybookCheck::Outputs),
                _ => self.check(name, value).map(PlaybookCheck::Incident),
            };
            if let Some(check) = check {
                out.push(PlaybookExpectation { key: name, span: key.span, check });
            }
        }
        Some(out)
    }

    /// `actions: {ACTION: STATUS | [STATUS...]}`.
    fn action_statuses(&mut self, node: &Node) -> Option<Vec<ActionStatus>> {
        let Some(entries) = node.entries() else {
            self.wrong_type(node, "a mapping of action names to statuses");
            return None;
        };
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        let mut out = Vec::new();
        for (key, value) in entries {
            let per_run = matches!(value.kind, NodeKind::Seq(_));
            let items = match &value.kind {
                NodeKind::Seq(items) => items.as_slice(),
                _ => std::slice::from_ref(value),
            };
            let statuses: Vec<Status> =
                items.iter().filter_map(|n| self.enum_value(n, "action status", Status::parse, &names)).collect();
            if per_run && statuses.is_empty() {
                self.wrong_type(value, "a status, or a list of one status per run of the action");
            }
            out.push(ActionStatus { action: Text { value: key.name.clone(), span: key.span }, statuses, per_run });
        }
        Some(out)
    }

    /// `calls: [{action, inputs?}]`; a bare action name is a call with any inputs.
    fn calls(&mut self, node: &Node) -> Option<Vec<CallExpect>> {
        let Some(items) = node.items() else {
            self.wrong_type(node, "a list of calls (`- action: NAME`, with `inputs:`)");
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            if let NodeKind::Str(_) = item.kind {
                out.extend(self.text(item, "an action name").map(|action| CallExpect {
                    action,
                    inputs: None,
                    span: item.span,
                }));
                continue;
            }
            let Some(f) = self.fields(item, "a call", CALL_KEYS) else { continue };
            let Some(action) = self.required(&f, "action", "call").and_then(|n| self.text(n, "an action name")) else {
                continue;
            };
            out.push(CallExpect { action, inputs: f.get("inputs").map(Node::to_value), span: f.span });
        }
        Some(out)
    }

    /// `outputs: {ACTION: SUBSET}`.
    fn outputs(&mut self, node: &Node) -> Option<Vec<OutputsExpect>> {
        let Some(entries) = node.entries() else {
            self.wrong_type(node, "a mapping of action names to their expected outputs");
            return None;
        };
        let out = entries
            .iter()
            .map(|(key, value)| OutputsExpect {
                action: Text { value: key.name.clone(), span: key.span },
                outputs: value.to_value(),
            })
            .collect();
        Some(out)
    }
}
