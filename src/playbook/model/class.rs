//! [`PlaybookClass`]: a playbook's trigger kind as Microsoft Sentinel's playbooks page shows it.
//! The three Sentinel triggers name themselves (Incident, Alert, Entity); a workflow started
//! by anything else is "Using Sentinel action" when some action, at any depth, calls the
//! `azuresentinel` connector, and "Other" when nothing in it is Sentinel's. A workflow with
//! neither a trigger nor an action is "Not initialized" (a Logic App created empty).

use serde::Serialize;

use super::step::Step;
use super::trigger::TriggerKind;
use super::Playbook;

/// How Sentinel's playbooks page classifies a playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaybookClass {
    /// Microsoft Sentinel incident trigger.
    Incident,
    /// Microsoft Sentinel alert trigger.
    Alert,
    /// Microsoft Sentinel entity trigger.
    Entity,
    /// Another trigger (Request, Recurrence, ...) or none, and a Sentinel connector action.
    UsingSentinelAction,
    /// No Sentinel trigger and no Sentinel action.
    Other,
    /// No trigger and no action.
    NotInitialized,
}

impl PlaybookClass {
    /// Classifies `playbook` (see the module doc).
    pub fn of(playbook: &Playbook) -> PlaybookClass {
        match playbook.trigger.as_ref().map(|t| t.kind) {
            Some(TriggerKind::Incident) => return PlaybookClass::Incident,
            Some(TriggerKind::Alert) => return PlaybookClass::Alert,
            Some(TriggerKind::Entity) => return PlaybookClass::Entity,
            Some(_) | None => {}
        }
        let actions = playbook.all_actions();
        if actions.iter().any(|a| matches!(&a.step, Step::Connector(c) if c.is_sentinel())) {
            PlaybookClass::UsingSentinelAction
        } else if playbook.trigger.is_none() && actions.is_empty() {
            PlaybookClass::NotInitialized
        } else {
            PlaybookClass::Other
        }
    }

    /// The label on Sentinel's playbooks page ("Using Sentinel action", "Not initialized").
    pub fn label(self) -> &'static str {
        match self {
            PlaybookClass::Incident => "Incident",
            PlaybookClass::Alert => "Alert",
            PlaybookClass::Entity => "Entity",
            PlaybookClass::UsingSentinelAction => "Using Sentinel action",
            PlaybookClass::Other => "Other",
            PlaybookClass::NotInitialized => "Not initialized",
        }
    }
}

impl std::fmt::Display for PlaybookClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of(path: &str, text: &str) -> PlaybookClass {
        let mut diags = Vec::new();
        let playbooks = crate::playbook::model::load(path, text, &mut diags);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        assert_eq!(playbooks.len(), 1);
        playbooks[0].class()
    }

    fn yaml(trigger: &str, steps: &str) -> String {
        format!("name: P\ntrigger: {trigger}\nsteps:\n{steps}")
    }

    const GET_IPS: &str = "  - name: IPs\n    sentinel.get_ips: {}\n";
    const COMPOSE: &str = "  - name: Note\n    compose: hi\n";

    /// A Logic Apps definition with the given trigger and actions (JSON object bodies).
    fn logic_app(triggers: &str, actions: &str) -> String {
        format!(
            r#"{{"definition": {{"triggers": {{{triggers}}}, "actions": {{{actions}}}}},
                "parameters": {{"$connections": {{"value": {{
                  "sentinel": {{"id": "/subscriptions/s/providers/Microsoft.Web/locations/w/managedApis/azuresentinel"}},
                  "teams": {{"id": "/subscriptions/s/providers/Microsoft.Web/locations/w/managedApis/teams"}}}}}}}}}}"#
        )
    }

    fn sentinel_trigger(path: &str) -> String {
        format!(
            r#""T": {{"type": "ApiConnectionWebhook", "inputs": {{"host": {{"connection": {{"name": "@parameters('$connections')['sentinel']['connectionId']"}}}}, "path": "{path}"}}}}"#
        )
    }

    fn connector_action(name: &str, connection: &str, run_after: &str) -> String {
        format!(
            r#""{name}": {{"type": "ApiConnection", "runAfter": {{{run_after}}}, "inputs": {{"host": {{"connection": {{"name": "@parameters('$connections')['{connection}']['connectionId']"}}}}, "method": "post", "path": "/x"}}}}"#
        )
    }

    const RECURRENCE: &str =
        r#""Recurrence": {"type": "Recurrence", "recurrence": {"frequency": "Day", "interval": 1}}"#;
    const REQUEST: &str = r#""manual": {"type": "Request", "kind": "Http", "inputs": {"schema": {}}}"#;

    #[test]
    fn sentinel_triggers_name_the_class() {
        assert_eq!(class_of("p.yaml", &yaml("incident", COMPOSE)), PlaybookClass::Incident);
        assert_eq!(class_of("p.yaml", &yaml("alert", GET_IPS)), PlaybookClass::Alert);
        assert_eq!(class_of("p.yaml", &yaml("entity", COMPOSE)), PlaybookClass::Entity);
        let incident = logic_app(&sentinel_trigger("/incident-creation"), "");
        assert_eq!(class_of("p.json", &incident), PlaybookClass::Incident);
        let alert = logic_app(&sentinel_trigger("/subscribe"), "");
        assert_eq!(class_of("p.json", &alert), PlaybookClass::Alert);
        let entity = logic_app(&sentinel_trigger("/entity/@{encodeURIComponent('IP')}"), "");
        assert_eq!(class_of("p.json", &entity), PlaybookClass::Entity);
    }

    #[test]
    fn a_sentinel_action_under_another_trigger_is_using_sentinel_action() {
        assert_eq!(class_of("p.yaml", &yaml("request", GET_IPS)), PlaybookClass::UsingSentinelAction);
        let top = logic_app(RECURRENCE, &connector_action("Get", "sentinel", ""));
        assert_eq!(class_of("p.json", &top), PlaybookClass::UsingSentinelAction);
        // At any depth: inside an If inside a Scope.
        let nested = format!(
            r#""Scope": {{"type": "Scope", "actions": {{"Check": {{"type": "If", "expression": {{"equals": [1, 1]}},
                 "actions": {{}}, "else": {{"actions": {{{}}}}}}}}}}}"#,
            connector_action("Deep", "sentinel", "")
        );
        assert_eq!(class_of("p.json", &logic_app(REQUEST, &nested)), PlaybookClass::UsingSentinelAction);
    }

    #[test]
    fn nothing_of_sentinel_is_other() {
        assert_eq!(class_of("p.yaml", &yaml("recurrence", COMPOSE)), PlaybookClass::Other);
        let teams = logic_app(REQUEST, &connector_action("Post", "teams", ""));
        assert_eq!(class_of("p.json", &teams), PlaybookClass::Other);
        // A trigger without actions, or actions without a trigger, is still initialized.
        assert_eq!(class_of("p.json", &logic_app(RECURRENCE, "")), PlaybookClass::Other);
        assert_eq!(class_of("p.json", &logic_app("", &connector_action("Post", "teams", ""))), PlaybookClass::Other);
        // A Sentinel connector trigger on a path that is none of the three is not a Sentinel trigger.
        assert_eq!(class_of("p.json", &logic_app(&sentinel_trigger("/other"), "")), PlaybookClass::Other);
    }

    #[test]
    fn no_trigger_and_no_action_is_not_initialized() {
        assert_eq!(class_of("p.json", &logic_app("", "")), PlaybookClass::NotInitialized);
        // Without a trigger, a Sentinel action still counts.
        let actions = connector_action("Get", "sentinel", "");
        assert_eq!(class_of("p.json", &logic_app("", &actions)), PlaybookClass::UsingSentinelAction);
    }

    #[test]
    fn labels_are_sentinels() {
        let labels: Vec<_> = [
            PlaybookClass::Incident,
            PlaybookClass::Alert,
            PlaybookClass::Entity,
            PlaybookClass::UsingSentinelAction,
            PlaybookClass::Other,
            PlaybookClass::NotInitialized,
        ]
        .iter()
        .map(|c| c.to_string())
        .collect();
        assert_eq!(labels, ["Incident", "Alert", "Entity", "Using Sentinel action", "Other", "Not initialized"]);
    }
}
