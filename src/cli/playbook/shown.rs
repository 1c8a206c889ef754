//! The document `playbook show` prints: a loaded [`Playbook`] as people and tools see it, built
//! from the compiled model. Secrets are references only (connections' and parameters' `env`
//! names); the value of a secret parameter is never copied into it.

use serde::Serialize;
use serde_json::Value;

use crate::playbook::model::compile::SECURE_PROPERTIES;
use crate::playbook::model::{Action, Block, Playbook, Status, Step};

/// The playbook as `show` presents it.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub name: String,
    pub file: String,
    pub trigger: Option<TriggerDoc>,
    pub enabled: bool,
    pub resource_group: Option<String>,
    pub description: Option<String>,
    pub connections: Vec<ConnectionDoc>,
    pub parameters: Vec<ParameterDoc>,
    /// Every action at every level.
    pub actions: usize,
    pub steps: Vec<StepDoc>,
}

#[derive(Debug, Serialize)]
pub struct TriggerDoc {
    /// Incident, Alert or Other, as `playbook list` classifies it.
    pub class: &'static str,
    /// incident, alert, entity, request, recurrence or other.
    pub kind: &'static str,
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
}

#[derive(Debug, Serialize)]
pub struct ConnectionDoc {
    pub name: String,
    pub connector: String,
    pub display_name: Option<String>,
    /// Secret references only: the field and the environment variable's name.
    pub secrets: Vec<SecretDoc>,
}

#[derive(Debug, Serialize)]
pub struct SecretDoc {
    pub field: String,
    pub env: String,
}

/// A parameter: its value, or for a secret, the reference (`env`) or nothing (a Logic Apps
/// secure parameter: its value is in the file and not shown).
#[derive(Debug, Serialize)]
pub struct ParameterDoc {
    pub name: String,
    pub secret: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

#[derive(Debug, Serialize)]
pub struct StepDoc {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    /// The connector API of a connector operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
    pub run_after: Vec<DependencyDoc>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secure: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<BlockDoc>,
}

#[derive(Debug, Serialize)]
pub struct DependencyDoc {
    pub action: String,
    pub statuses: Vec<Status>,
}

/// A nested block: `then` / `else` of an If, `case` / `default` of a Switch, `actions` of a
/// Foreach, Until or Scope.
#[derive(Debug, Serialize)]
pub struct BlockDoc {
    pub block: &'static str,
    /// The case's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The case's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub steps: Vec<StepDoc>,
}

/// The document for `p`.
pub fn shown(p: &Playbook) -> Shown {
    let connections = p
        .connections
        .iter()
        .map(|(name, api)| {
            let declared = p.secrets.connections.get(name);
            ConnectionDoc {
                name: name.clone(),
                connector: api.clone(),
                display_name: declared.map(|c| c.display_name.clone()),
                secrets: declared
                    .map(|c| {
                        c.secrets.iter().map(|s| SecretDoc { field: s.field.clone(), env: s.env.clone() }).collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let parameters = p
        .parameters
        .iter()
        .filter(|(name, _)| name.as_str() != "$connections")
        .map(|(name, value)| match p.secrets.parameters.get(name) {
            Some(reference) => ParameterDoc {
                name: name.clone(),
                secret: true,
                env: reference.as_ref().map(|r| r.env.clone()),
                value: None,
            },
            None => ParameterDoc { name: name.clone(), secret: false, env: None, value: Some(value.clone()) },
        })
        .collect();
    Shown {
        name: p.name.clone(),
        file: p.source.path.clone(),
        trigger: p.trigger.as_ref().map(|t| TriggerDoc {
            class: p.class().label(),
            kind: t.kind.as_str(),
            name: t.name.clone(),
            type_name: t.type_name.clone(),
        }),
        enabled: p.enabled,
        resource_group: p.resource_group.clone(),
        description: p.description.clone(),
        connections,
        parameters,
        actions: p.all_actions().len(),
        steps: steps(&p.actions),
    }
}

/// A block's steps in the order a run takes them ([`Block::in_run_order`]).
fn steps(block: &Block) -> Vec<StepDoc> {
    block.in_run_order().into_iter().map(step).collect()
}

fn step(action: &Action) -> StepDoc {
    let plain =
        |block: &'static str, actions: &Block| BlockDoc { block, name: None, value: None, steps: steps(actions) };
    let blocks = match &action.step {
        Step::If(s) => vec![plain("then", &s.then), plain("else", &s.otherwise)],
        Step::Switch(s) => s
            .cases
            .iter()
            .map(|c| BlockDoc {
                block: "case",
                name: Some(c.name.clone()),
                value: Some(c.value.clone()),
                steps: steps(&c.actions),
            })
            .chain([plain("default", &s.default)])
            .collect(),
        Step::Foreach(s) => vec![plain("actions", &s.actions)],
        Step::Until(s) => vec![plain("actions", &s.actions)],
        Step::Scope(b) => vec![plain("actions", b)],
        _ => Vec::new(),
    };
    let [inputs, outputs] = SECURE_PROPERTIES;
    let secure = [(action.secure_inputs, inputs), (action.secure_outputs, outputs)];
    StepDoc {
        name: action.name.clone(),
        type_name: action.type_name.clone(),
        connector: match &action.step {
            Step::Connector(c) => Some(c.api.clone()),
            _ => None,
        },
        run_after: action
            .run_after
            .iter()
            .map(|d| DependencyDoc { action: d.action.clone(), statuses: d.statuses.iter().collect() })
            .collect(),
        secure: secure.into_iter().filter(|(on, _)| *on).map(|(_, what)| what).collect(),
        blocks,
    }
}
