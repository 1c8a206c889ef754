//! The watchlist operations (`/Watchlists/subscriptions/{sub}/resourceGroups/{rg}/workspaces/
//! {ws}/watchlists/{alias}...` and the `/V2/Watchlists/...` forms), answered from the run's
//! watchlists ([`Watchlists`]: the CSV files of `--watchlist ALIAS=FILE`, copied per run):
//!
//! | operation | wire form | answer |
//! |---|---|---|
//! | Get a watchlist by alias | `GET W` | the watchlist resource |
//! | Create a new watchlist with data | `PUT W` (`{displayName, description, itemsSearchKey, rawContent}`), `PUT W/largeWatchlist` | the watchlist, made from `rawContent` (CSV) |
//! | Delete a watchlist | `DELETE W` | "" |
//! | Get all watchlist items | `GET W/watchlistItems` | `{properties: {watchlistItems: [...]}}`, each item with the flattened keys `properties.itemsKeyValue`, `properties.watchlistItemId`, ... (the shape a 2025 template's Parse JSON expects) |
//! | Add a new watchlist item | `PUT W/watchlistItem` (the columns) | the item |
//! | Get / Update / Delete a watchlist item | `GET`/`PUT`/`DELETE W/watchlistItem/{id}` | the item / the item / "" |
//!
//! A watchlist that no `--watchlist` gives (and the run did not create) answers **404**
//! `{"error": {"code": "NotFound", "message": "Watchlist 'X' was not found: give it with
//! --watchlist X=FILE ..."}}` for every operation but create, as Sentinel answers an unknown
//! alias: real templates branch on it (watchlist-add-ip-incident runs after "Get a watchlist
//! by alias" on Succeeded or Failed and creates the watchlist when the status code is not 200).
//! Changes stay in the run's copy (the run log shows them); no file is written and no audit
//! record is made (the audit log is about incidents).

use serde_json::{json, Map, Value};

use super::error;
use crate::playbook::connectors::watchlists::{Item, Watchlist, Watchlists};
use crate::playbook::connectors::{Effects, Reply};
use crate::playbook::expr::functions::encoding::percent_decode;

/// What a watchlist path names.
struct Target {
    workspace_path: String,
    alias: String,
    /// `None`: the watchlist; `Some("watchlistitems")`, `Some("watchlistitem")`,
    /// `Some("largewatchlist")`.
    sub: Option<String>,
    item: Option<String>,
}

fn parse(path: &str) -> Option<Target> {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<String> = path.trim_matches('/').split('/').map(percent_decode).collect();
    let at = parts.iter().rposition(|p| p.eq_ignore_ascii_case("watchlists"))?;
    let alias = parts.get(at + 1)?.clone();
    let workspace_path = parts.get(..at).unwrap_or_default().join("/");
    Some(Target {
        workspace_path,
        alias,
        sub: parts.get(at + 2).map(|s| s.to_ascii_lowercase()),
        item: parts.get(at + 3).filter(|s| !s.is_empty()).cloned(),
    })
}

/// Answers a watchlist operation; `None` for a path that is not one.
pub fn answer(method: &str, path: &str, body: &Value, effects: &mut Effects<'_>) -> Option<Reply> {
    let t = parse(path)?;
    let now = effects.now.to_owned();
    let lists = &mut *effects.watchlists;
    Some(match (method, t.sub.as_deref()) {
        ("put", None | Some("largewatchlist")) => create(&t, body, lists, effects.step, &now),
        ("get", None) => match lists.get(&t.alias) {
            Some(w) => Reply::builtin(200, watchlist(&t, w, &now)),
            None => not_found(&t.alias, lists),
        },
        ("delete", None) => match lists.remove(&t.alias) {
            Some(_) => Reply::builtin(200, json!("")),
            None => not_found(&t.alias, lists),
        },
        ("get", Some("watchlistitems")) => match lists.get(&t.alias) {
            Some(w) => {
                let items: Vec<Value> = w.items.iter().map(|i| flat_item(&t, i, &now)).collect();
                Reply::builtin(
                    200,
                    json!({"id": resource_id(&t), "type": "Microsoft.SecurityInsights/Watchlists", "properties": {"watchlistItems": items}}),
                )
            }
            None => not_found(&t.alias, lists),
        },
        (m, Some("watchlistitem")) => {
            let Some(w) = lists.get_mut(&t.alias) else { return Some(not_found(&t.alias, lists)) };
            item_operation(m, &t, w, body, &now)
        }
        _ => return None,
    })
}

fn item_operation(method: &str, t: &Target, w: &mut Watchlist, body: &Value, now: &str) -> Reply {
    let index = t.item.as_ref().map(|id| w.items.iter().position(|i| i.id.eq_ignore_ascii_case(id)));
    match (method, index) {
        ("put", None) => {
            let values = columns(w, body);
            let i = w.push(values);
            match w.items.get(i) {
                Some(item) => Reply::builtin(200, item_resource(t, item, now)),
                None => error(500, "InternalServerError", "the item was not added"),
            }
        }
        (_, Some(None)) => error(
            404,
            "NotFound",
            format!(
                "Watchlist item '{}' was not found in watchlist '{}'",
                t.item.as_deref().unwrap_or_default(),
                w.alias
            ),
        ),
        ("get", Some(Some(i))) => match w.items.get(i) {
            Some(item) => Reply::builtin(200, item_resource(t, item, now)),
            None => error(404, "NotFound", "the item is gone"),
        },
        ("put", Some(Some(i))) => {
            let values = columns(w, body);
            if let Some(item) = w.items.get_mut(i) {
                item.values = values;
            }
            match w.items.get(i) {
                Some(item) => Reply::builtin(200, item_resource(t, item, now)),
                None => error(404, "NotFound", "the item is gone"),
            }
        }
        ("delete", Some(Some(i))) => {
            w.items.remove(i);
            Reply::builtin(200, json!(""))
        }
        _ => {
            error(405, "MethodNotAllowed", format!("{} is not a watchlist item operation", method.to_ascii_uppercase()))
        }
    }
}

/// The item's columns from a request body (its keys as the watchlist spells them, new
/// columns added), every value as text.
fn columns(w: &mut Watchlist, body: &Value) -> Map<String, Value> {
    let mut values = Map::new();
    for (key, value) in body.as_object().into_iter().flatten() {
        let column = match w.columns.iter().find(|c| c.eq_ignore_ascii_case(key)) {
            Some(c) => c.clone(),
            None => {
                w.columns.push(key.clone());
                key.clone()
            }
        };
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        values.insert(column, Value::String(text));
    }
    values
}

fn create(t: &Target, body: &Value, lists: &mut Watchlists, step: &str, now: &str) -> Reply {
    let raw = body.get("rawContent").and_then(Value::as_str).unwrap_or_default();
    let mut w = match Watchlist::from_csv(&t.alias, &format!("created by {step}"), raw) {
        Ok(w) => w,
        Err(e) => {
            return error(400, "BadRequest", format!("rawContent is not valid CSV at line {}: {}", e.line, e.message))
        }
    };
    if let Some(key) = body.get("itemsSearchKey").and_then(Value::as_str) {
        if let Some(at) = w.columns.iter().position(|c| c.eq_ignore_ascii_case(key)) {
            let column = w.columns.remove(at);
            w.columns.insert(0, column);
        }
    }
    w.description = body.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
    let answer = watchlist(t, &w, now);
    lists.insert(w);
    Reply::builtin(200, answer)
}

fn not_found(alias: &str, lists: &Watchlists) -> Reply {
    let given = match lists.aliases().as_slice() {
        [] => "no --watchlist was given".to_owned(),
        aliases => format!("given: {}", aliases.join(", ")),
    };
    error(
        404,
        "NotFound",
        format!("Watchlist '{alias}' was not found: give it with --watchlist {alias}=FILE ({given})"),
    )
}

fn resource_id(t: &Target) -> String {
    let parts: Vec<&str> = t.workspace_path.split('/').collect();
    let after = |marker: &str| {
        parts.iter().position(|p| p.eq_ignore_ascii_case(marker)).and_then(|i| parts.get(i + 1)).copied().unwrap_or("")
    };
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.OperationalInsights/workspaces/{}/providers/Microsoft.SecurityInsights/watchlists/{}",
        after("subscriptions"),
        after("resourceGroups"),
        after("workspaces"),
        t.alias
    )
}

fn watchlist(t: &Target, w: &Watchlist, now: &str) -> Value {
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, w.alias.to_lowercase().as_bytes()).to_string();
    json!({
        "id": resource_id(t),
        "name": w.alias,
        "type": "Microsoft.SecurityInsights/Watchlists",
        "properties": {
            "watchlistId": id,
            "displayName": w.alias,
            "watchlistAlias": w.alias,
            "provider": "Microsoft",
            "source": "Local file",
            "description": w.description,
            "itemsSearchKey": w.search_key(),
            "numberOfLinesToSkip": 0,
            "contentType": "text/csv",
            "uploadStatus": "Complete",
            "watchlistItemsCount": w.items.len(),
            "isDeleted": false,
            "labels": [],
            "created": now,
            "updated": now,
        }
    })
}

fn item_resource(t: &Target, item: &Item, now: &str) -> Value {
    json!({
        "id": format!("{}/watchlistItems/{}", resource_id(t), item.id),
        "name": item.id,
        "type": "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
        "properties": {
            "watchlistItemType": "watchlist-item",
            "watchlistItemId": item.id,
            "isDeleted": false,
            "itemsKeyValue": item.values,
            "entityMapping": {},
            "created": now,
            "updated": now,
        },
    })
}

/// An item in the list operation's flattened shape.
fn flat_item(t: &Target, item: &Item, now: &str) -> Value {
    json!({
        "properties.watchlistItemType": "watchlist-item",
        "properties.watchlistItemId": item.id,
        "properties.isDeleted": false,
        "properties.created": now,
        "properties.updated": now,
        "properties.itemsKeyValue": item.values,
        "properties.entityMapping": {},
        "id": format!("{}/watchlistItems/{}", resource_id(t), item.id),
        "name": item.id,
        "type": "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
    })
}
