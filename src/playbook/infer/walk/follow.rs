//! Values that pass through other actions: an action's record followed through Parse JSON,
//! Compose and Filter array ([`Walker::follow`]), the items of loops, the values of variables
//! and the records of a scope's actions. Computed quietly and once each.

use crate::playbook::expr::{Part, Template, ValueTemplate};
use crate::playbook::model::{Input, Step};

use super::{Ctx, Walker};
use crate::playbook::infer::origin::{Origin, Seg};

impl<'p> Walker<'p> {
    /// The record of the action named `name` (any case), `path` selected, followed through
    /// Parse JSON, Compose and Filter array.
    pub(super) fn record(&mut self, name: &str, path: Vec<Seg>) -> Vec<Origin> {
        let Some(action) = self.sites.get(&name.to_lowercase()).map(|s| s.action) else { return Vec::new() };
        self.follow(Origin::new(&action.name, path))
    }

    /// The origins of `origin` once it is followed through the action it names, when that
    /// action passes a value on: Parse JSON's body is its content, Compose's outputs its
    /// inputs, Filter array's body the items of its `from`.
    pub(super) fn follow(&mut self, origin: Origin) -> Vec<Origin> {
        let Some(site) = self.sites.get(&origin.action.to_lowercase()) else { return vec![origin] };
        let (action, item) = (site.action, site.item);
        let ctx = Ctx { item, hold: false };
        let key = |k: &str| Seg::Key(k.to_owned());
        let (prefix, source) = match &action.step {
            Step::ParseJson(p) => (vec![key("outputs"), key("body")], Source::Content(&p.content)),
            Step::Compose(i) => (vec![key("outputs")], Source::Value(i)),
            Step::Query(p) => (vec![key("outputs"), key("body")], Source::Value(&p.from)),
            _ => return vec![origin],
        };
        let same =
            |a: &Seg, b: &Seg| a == b || matches!((a, b), (Seg::Key(x), Seg::Key(y)) if x.eq_ignore_ascii_case(y));
        let shared = origin.path.iter().zip(&prefix).take_while(|(a, b)| same(a, b)).count();
        if shared < origin.path.len() && shared < prefix.len() {
            return vec![origin];
        }
        let targets = self.memo(&format!("value:{}", action.name), |w| match source {
            Source::Content(input) => w.content(input, ctx),
            Source::Value(input) => w.quietly(|w| w.origins(&input.template, ctx)),
        });
        let rest = origin.path.get(prefix.len()..).unwrap_or_default();
        let still = prefix.get(origin.path.len()..).unwrap_or_default();
        let mut out = Vec::new();
        for target in targets {
            let mut t = Some(target);
            for seg in rest {
                t = t.and_then(|t| t.select(seg));
            }
            let Some(mut t) = t else { continue };
            let mut pending = origin.pending.clone();
            pending.extend(still.iter().cloned());
            pending.extend(t.pending);
            t.pending = pending;
            out.push(t);
        }
        out
    }

    /// The origins of a value (quietly): an expression's, or an object's and array's parts
    /// wrapped in their key or item.
    pub(super) fn origins(&mut self, value: &ValueTemplate, ctx: Ctx<'p>) -> Vec<Origin> {
        match value {
            ValueTemplate::String(Template::Expression(e)) => self.eval(e, ctx).origins,
            ValueTemplate::Object(entries) => entries
                .iter()
                .flat_map(|(k, v)| {
                    self.origins(v, ctx).into_iter().map(|o| o.wrapped(Seg::Key(k.clone()))).collect::<Vec<_>>()
                })
                .collect(),
            ValueTemplate::Array(items) => items
                .iter()
                .flat_map(|v| self.origins(v, ctx).into_iter().map(|o| o.wrapped(Seg::Item(0))).collect::<Vec<_>>())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Parse JSON's content (quietly): one expression (`@body('X')`, `@{body('X')}`,
    /// `@string(body('X'))`) whose value, or whose text, is parsed.
    pub(super) fn content(&mut self, input: &Input, ctx: Ctx<'p>) -> Vec<Origin> {
        let expr = match &input.template {
            ValueTemplate::String(Template::Expression(e)) => e,
            ValueTemplate::String(Template::Interpolated(parts)) => match parts.as_slice() {
                [Part::Expr(e)] => e,
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        self.quietly(|w| {
            let abs = w.eval(expr, ctx);
            [abs.origins, abs.stringified].concat()
        })
    }

    /// `items('Loop')` (and `item()`): an item of a Foreach's `foreach` value, or of the `from`
    /// of a Filter array, Select or Table.
    pub(super) fn items(&mut self, name: &str) -> Vec<Origin> {
        let Some(site) = self.sites.get(&name.to_lowercase()) else { return Vec::new() };
        let (action, item) = (site.action, site.item);
        let ctx = Ctx { item, hold: false };
        let over = match &action.step {
            Step::Foreach(f) => &f.over,
            Step::Query(p) | Step::Select(p) => &p.from,
            Step::Table(t) => &t.from,
            _ => return Vec::new(),
        };
        let all = self.memo(&format!("items:{}", action.name), |w| w.quietly(|w| w.origins(&over.template, ctx)));
        self.select(&all, &Seg::Item(0))
    }

    /// `variables('v')`: every value assigned to it, and every item appended to it.
    pub(super) fn variable(&mut self, name: &str) -> Vec<Origin> {
        let key = name.to_lowercase();
        let Some(assigns) = self.variables.get(&key) else { return Vec::new() };
        let assigns: Vec<(&'p Input, bool, Option<&'p str>)> =
            assigns.iter().map(|a| (a.input, a.append, a.item)).collect();
        self.memo(&format!("variable:{key}"), |w| {
            w.quietly(|w| {
                let mut out = Vec::new();
                for (input, append, item) in &assigns {
                    let found = w.origins(&input.template, Ctx { item: *item, hold: false });
                    out.extend(found.into_iter().map(|o| if *append { o.wrapped(Seg::Item(0)) } else { o }));
                }
                out
            })
        })
    }

    /// `result('Scope')`: the records of the scope's actions, as items of an array.
    pub(super) fn results(&mut self, name: &str) -> Vec<Origin> {
        let Some(site) = self.sites.get(&name.to_lowercase()) else { return Vec::new() };
        let blocks = site.action.step.blocks();
        let names: Vec<String> = blocks.iter().flat_map(|b| b.actions.iter().map(|a| a.name.clone())).collect();
        names.into_iter().map(|n| Origin::new(&n, Vec::new()).wrapped(Seg::Item(0))).collect()
    }

    /// One more selection from each origin, followed through the action it names.
    pub(super) fn select(&mut self, origins: &[Origin], seg: &Seg) -> Vec<Origin> {
        let selected: Vec<Origin> = origins.iter().filter_map(|o| o.select(seg)).collect();
        let mut out = Vec::new();
        for origin in selected {
            let followed = if origin.is_direct() { self.follow(origin) } else { vec![origin] };
            for o in followed {
                if !out.contains(&o) {
                    out.push(o);
                }
            }
        }
        out
    }
}

/// Where a passing action's value comes from.
#[derive(Clone, Copy)]
enum Source<'p> {
    /// Parse JSON's content.
    Content(&'p Input),
    Value(&'p Input),
}
