//! The pass that reads a compiled playbook the way inference needs: every expression of every
//! action, through the parsed trees the compiled model already holds, evaluated abstractly:
//! instead of a value, an expression gives the [`Origin`]s of its value (`body('X')?['data']`
//! comes from X's record at `outputs.body.data`) and a type when the function says
//! ([`Abs`]). Each selection from an action's record is recorded in that action's [`Node`]
//! tree with its reader, and each function an origin is given to adds a [`Hint`] about its type
//! (see `Walker::call`).
//!
//! Values that pass through other actions are followed: Parse JSON (`body('Parse_JSON')` is its
//! content, whose origins also get the schema), Compose, Filter array (`Query`), loops
//! (`items('For_each')` is an item of the `foreach` value, `item()` of the innermost loop,
//! Filter, Select or Table), variables (every value assigned or appended) and `result('Scope')`
//! (the records of the scope's actions). Those are computed quietly (nothing recorded), once,
//! with a guard against cycles (`union(variables('v'), ...)` assigned to `v`) (`follow`).
//! What each function does is in `calls`; the values built-in Sentinel operations take in
//! `sinks`.
//!
//! Stage: compiled model -> shape trees. No I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::playbook::expr::ast::{Expr, ExprKind, Key};
use crate::playbook::expr::functions::logical::LogicalFn as L;
use crate::playbook::expr::{Function, Part, Template, ValueTemplate};
use crate::playbook::model::step::ParseJson;
use crate::playbook::model::{
    Action, Block, Input, Playbook, Predicate, Step, Switch, Variable, VariableOp, VariableType,
};

use super::origin::{Origin, Seg};
use super::shape::{Hint, Node, Reader};

mod calls;
mod follow;
mod sinks;

/// An expression's abstract value: where it comes from, what `string()` made a string of (for
/// `json(string(x))` and Parse JSON), its type when known, and its value when it is a literal.
#[derive(Debug, Clone, Default)]
pub struct Abs {
    pub origins: Vec<Origin>,
    pub stringified: Vec<Origin>,
    pub ty: Option<Hint>,
    pub literal: Option<Value>,
    /// For `split(x, d)`: the strings cut and the delimiter.
    pub pieces: Vec<(Origin, String)>,
}

impl Abs {
    fn typed(ty: Hint) -> Abs {
        Abs { ty: Some(ty), ..Abs::default() }
    }

    fn from(origins: Vec<Origin>, ty: Option<Hint>) -> Abs {
        Abs { origins, ty, ..Abs::default() }
    }
}

/// Where an expression is: the loop whose `item()` it sees, and whether it is a condition
/// that should hold (an Until loop's, so that the loop ends; a Filter array's `where`, so that
/// items are kept).
#[derive(Debug, Clone, Copy, Default)]
struct Ctx<'p> {
    item: Option<&'p str>,
    hold: bool,
}

/// An action and the loop whose `item()` its inputs see.
struct Site<'p> {
    action: &'p Action,
    item: Option<&'p str>,
}

/// A value given to a variable (`append`: an item appended to it).
struct Assign<'p> {
    input: &'p Input,
    append: bool,
    item: Option<&'p str>,
}

/// The pass's state.
pub struct Walker<'p> {
    sites: BTreeMap<String, Site<'p>>,
    variables: BTreeMap<String, Vec<Assign<'p>>>,
    types: BTreeMap<String, VariableType>,
    cache: BTreeMap<String, Vec<Origin>>,
    busy: BTreeSet<String>,
    /// Recording reads (off while following values through other actions).
    quiet: bool,
    /// The note readers are recorded with (see [`Reader::note`]).
    note: &'static str,
    reader: Reader,
    /// Every action's record as its readers see it, by the action's declared name.
    pub records: BTreeMap<String, Node>,
}

impl<'p> Walker<'p> {
    /// Reads `playbook`.
    pub fn run(playbook: &'p Playbook) -> Walker<'p> {
        let mut w = Walker {
            sites: BTreeMap::new(),
            variables: BTreeMap::new(),
            types: BTreeMap::new(),
            cache: BTreeMap::new(),
            busy: BTreeSet::new(),
            quiet: false,
            note: "",
            reader: Reader { action: String::new(), expression: String::new(), note: String::new() },
            records: BTreeMap::new(),
        };
        w.index(&playbook.actions, None);
        let sites: Vec<(&'p Action, Option<&'p str>)> =
            playbook.actions.walk().into_iter().map(|a| (a, w.item_of(a))).collect();
        for (action, item) in sites {
            w.reader.action = action.name.clone();
            w.reader.note.clear();
            w.action(action, Ctx { item, hold: false });
        }
        w
    }

    /// The Foreach loop the action named `name` runs in, if any.
    pub fn loop_of(&self, name: &str) -> Option<&'p str> {
        self.sites.get(&name.to_lowercase()).and_then(|s| s.item)
    }

    fn item_of(&self, action: &Action) -> Option<&'p str> {
        self.sites.get(&action.name.to_lowercase()).and_then(|s| s.item)
    }

    /// Pass 1: where each action is, and what each variable is given.
    fn index(&mut self, block: &'p Block, item: Option<&'p str>) {
        for action in &block.actions {
            self.sites.insert(action.name.to_lowercase(), Site { action, item });
            if let Step::Variable(v) = &action.step {
                for (i, (name, input)) in v.names.iter().zip(&v.values).enumerate() {
                    let append = v.op == VariableOp::AppendToArray;
                    let assigns = matches!(v.op, VariableOp::Initialize | VariableOp::Set) || append;
                    if assigns {
                        self.variables.entry(name.to_lowercase()).or_default().push(Assign { input, append, item });
                    }
                    if let (VariableOp::Initialize, Some(t)) = (v.op, v.types.get(i)) {
                        self.types.insert(name.to_lowercase(), *t);
                    }
                }
            }
            let inner = match &action.step {
                Step::Foreach(_) => Some(action.name.as_str()),
                _ => item,
            };
            for child in action.step.blocks() {
                self.index(child, inner);
            }
        }
    }

    /// Pass 2: one action's own inputs.
    fn action(&mut self, action: &'p Action, ctx: Ctx<'p>) {
        let own = Ctx { item: Some(action.name.as_str()), hold: false };
        match &action.step {
            Step::Foreach(f) => self.input(&f.over, ctx, Some(Hint::Array)),
            Step::If(s) => self.predicate(&s.condition, ctx),
            Step::Until(s) => self.predicate(&s.condition, Ctx { hold: true, ..ctx }),
            Step::Switch(s) => self.switch(s, ctx),
            Step::ParseJson(p) => self.parse_json(p, ctx),
            Step::Query(p) => {
                self.input(&p.from, ctx, Some(Hint::Array));
                self.input(&p.each, Ctx { hold: true, ..own }, Some(Hint::Bool));
            }
            Step::Connector(c) => {
                self.input(&c.inputs, ctx, None);
                if c.is_sentinel() {
                    self.sinks(&c.inputs, ctx);
                }
            }
            Step::Select(p) => {
                self.input(&p.from, ctx, Some(Hint::Array));
                self.input(&p.each, own, None);
            }
            Step::Table(t) => {
                self.input(&t.from, ctx, Some(Hint::Array));
                for (_, column) in &t.columns {
                    self.input(column, own, None);
                }
            }
            Step::Variable(v) => self.variable_values(v, ctx),
            Step::Join(input) => match &input.template {
                ValueTemplate::Object(entries) => {
                    for (key, value) in entries {
                        let hint = key.eq_ignore_ascii_case("from").then_some(Hint::Array);
                        self.value(value, ctx, hint);
                    }
                }
                other => self.value(other, ctx, None),
            },
            step => {
                for input in step.inputs() {
                    self.input(input, ctx, None);
                }
            }
        }
    }

    /// A Switch's `expression`, noting the values its cases take for a person filling them in.
    fn switch(&mut self, s: &Switch, ctx: Ctx<'p>) {
        let ty = s.cases.first().and_then(|c| type_of(&c.value));
        let Some(e) = single(&s.on.template) else { return self.input(&s.on, ctx, ty) };
        let cases: Vec<String> =
            s.cases.iter().map(|c| operand_text(&ValueTemplate::Literal(c.value.clone()))).collect();
        self.reader.expression = e.to_string();
        self.reader.note = format!("(cases: {})", cases.join(", "));
        let abs = self.eval(e, ctx);
        if let Some(h) = ty {
            self.hint(&abs.origins, h);
        }
    }

    /// Parse JSON's content, whose origins get the schema.
    fn parse_json(&mut self, p: &ParseJson, ctx: Ctx<'p>) {
        self.note = "(Parse JSON: its schema shapes the value)";
        self.input(&p.content, ctx, None);
        self.note = "";
        for origin in self.content(&p.content, ctx) {
            if origin.is_direct() {
                let node = self.node(&origin);
                if !node.schemas.contains(&p.schema) {
                    node.schemas.push(p.schema.clone());
                }
            }
        }
    }

    /// The values of a variable action, typed as the variable is declared.
    fn variable_values(&mut self, v: &Variable, ctx: Ctx<'p>) {
        for (i, (name, value)) in v.names.iter().zip(&v.values).enumerate() {
            let declared = match v.op {
                VariableOp::Initialize => v.types.get(i).copied(),
                VariableOp::Set => self.types.get(&name.to_lowercase()).copied(),
                _ => None,
            };
            let hint = match v.op {
                VariableOp::Increment | VariableOp::Decrement => Some(Hint::Number),
                _ => declared.map(variable_hint),
            };
            self.input(value, ctx, hint);
        }
    }

    fn input(&mut self, input: &Input, ctx: Ctx<'p>, hint: Option<Hint>) {
        self.value(&input.template, ctx, hint);
    }

    /// Reads every expression of a value; `hint` applies to a value that is one expression.
    fn value(&mut self, value: &ValueTemplate, ctx: Ctx<'p>, hint: Option<Hint>) {
        match value {
            ValueTemplate::Literal(_) => {}
            ValueTemplate::String(Template::Literal(_)) => {}
            ValueTemplate::String(Template::Expression(e)) => {
                self.reader.expression = e.to_string();
                self.reader.note = self.note.to_owned();
                let abs = self.eval(e, ctx);
                if let Some(h) = hint {
                    self.hint(&abs.origins, h);
                }
            }
            ValueTemplate::String(Template::Interpolated(parts)) => {
                for part in parts {
                    if let Part::Expr(e) = part {
                        self.reader.expression = format!("@{{{e}}}");
                        self.reader.note = self.note.to_owned();
                        self.eval(e, ctx);
                    }
                }
            }
            ValueTemplate::Array(items) => items.iter().for_each(|i| self.value(i, ctx, None)),
            ValueTemplate::Object(entries) => entries.iter().for_each(|(_, v)| self.value(v, ctx, None)),
        }
    }

    fn predicate(&mut self, predicate: &Predicate, ctx: Ctx<'p>) {
        match predicate {
            Predicate::And(items) | Predicate::Or(items) => items.iter().for_each(|p| self.predicate(p, ctx)),
            Predicate::Not(inner) => self.predicate(inner, Ctx { hold: false, ..ctx }),
            Predicate::Value(input) => self.input(input, ctx, Some(Hint::Bool)),
            Predicate::Call(function, args) => {
                let shown: Vec<String> = args.iter().map(|a| operand_text(&a.template)).collect();
                self.reader.expression = format!("{}({})", function.name(), shown.join(", "));
                self.reader.note.clear();
                let args: Vec<Abs> = args.iter().map(|a| self.operand(&a.template, ctx)).collect();
                self.call(*function, &args, ctx);
            }
        }
    }

    /// An operand of a predicate in the object form: a literal, or one expression.
    fn operand(&mut self, value: &ValueTemplate, ctx: Ctx<'p>) -> Abs {
        match value {
            ValueTemplate::Literal(v) => Abs { literal: Some(v.clone()), ty: type_of(v), ..Abs::default() },
            ValueTemplate::String(Template::Expression(e)) => self.eval(e, ctx),
            other => {
                self.value(other, ctx, None);
                Abs::typed(Hint::String)
            }
        }
    }

    /// The abstract value of an expression, recording its reads.
    fn eval(&mut self, expr: &Expr, ctx: Ctx<'p>) -> Abs {
        match &expr.kind {
            ExprKind::Literal(v) => Abs { literal: Some(v.clone()), ty: type_of(v), ..Abs::default() },
            ExprKind::Access(access) => {
                let target = self.eval(&access.target, ctx);
                let seg = match &access.key {
                    Key::Name(name, _) => Some(Seg::Key(name.clone())),
                    Key::Index(index) => match self.eval(index, ctx).literal {
                        Some(Value::String(name)) => Some(Seg::Key(name)),
                        Some(Value::Number(n)) => Some(Seg::Item(n.as_u64().unwrap_or(0) as usize)),
                        _ => None,
                    },
                };
                self.cut(&target.pieces, seg.as_ref());
                let Some(seg) = seg else {
                    // A computed property name: the target is an object, nothing more is known.
                    self.hint(&target.origins, Hint::Object);
                    return Abs::default();
                };
                if matches!(seg, Seg::Key(_)) {
                    self.hint(&target.origins, Hint::Object);
                }
                let origins = self.select(&target.origins, &seg);
                self.observe(&origins);
                Abs::from(origins, None)
            }
            ExprKind::Call(call) => {
                // Under `not`, what makes the operand hold makes the condition fail.
                let inner = if call.function == Function::Logical(L::Not) { Ctx { hold: false, ..ctx } } else { ctx };
                let args: Vec<Abs> = call.args.iter().map(|a| self.eval(a, inner)).collect();
                self.call(call.function, &args, ctx)
            }
        }
    }

    fn memo(&mut self, key: &str, compute: impl FnOnce(&mut Self) -> Vec<Origin>) -> Vec<Origin> {
        if let Some(found) = self.cache.get(key) {
            return found.clone();
        }
        if !self.busy.insert(key.to_owned()) {
            return Vec::new();
        }
        let value = compute(self);
        self.busy.remove(key);
        self.cache.insert(key.to_owned(), value.clone());
        value
    }

    fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let was = std::mem::replace(&mut self.quiet, true);
        let out = f(self);
        self.quiet = was;
        out
    }

    fn node(&mut self, origin: &Origin) -> &mut Node {
        self.records.entry(origin.action.clone()).or_default().at(&origin.path)
    }

    fn observe(&mut self, origins: &[Origin]) {
        if self.quiet {
            return;
        }
        let reader = self.reader.clone();
        for origin in origins.iter().filter(|o| o.is_direct()) {
            self.node(origin).readers.insert(reader.clone());
        }
    }

    fn hint(&mut self, origins: &[Origin], hint: Hint) {
        if self.quiet {
            return;
        }
        // A piece of a string is recorded on the string: only a text hint fits it.
        let fits = |o: &&Origin| o.path.last() != Some(&Seg::Part) || hint == Hint::String;
        for origin in origins.iter().filter(|o| o.is_direct()).filter(fits) {
            self.node(origin).hints.insert(hint);
        }
    }
}

/// The expression of a value that is one expression (`@x` or `@{x}`).
fn single(value: &ValueTemplate) -> Option<&Expr> {
    match value {
        ValueTemplate::String(Template::Expression(e)) => Some(e),
        ValueTemplate::String(Template::Interpolated(parts)) => match parts.as_slice() {
            [Part::Expr(e)] => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// The type a literal has, as a hint.
fn type_of(value: &Value) -> Option<Hint> {
    match value {
        Value::String(_) => Some(Hint::String),
        Value::Number(_) => Some(Hint::Number),
        Value::Bool(_) => Some(Hint::Bool),
        Value::Array(_) => Some(Hint::Array),
        Value::Object(_) => Some(Hint::Object),
        Value::Null => None,
    }
}

fn variable_hint(t: VariableType) -> Hint {
    match t {
        VariableType::String => Hint::String,
        VariableType::Integer | VariableType::Float => Hint::Number,
        VariableType::Boolean => Hint::Bool,
        VariableType::Array => Hint::Array,
        VariableType::Object => Hint::Object,
    }
}

/// An operand of an object-form predicate as WDL would write it.
fn operand_text(value: &ValueTemplate) -> String {
    match value {
        ValueTemplate::Literal(Value::String(s)) => format!("'{}'", s.replace('\'', "''")),
        ValueTemplate::Literal(v) => v.to_string(),
        ValueTemplate::String(Template::Expression(e)) => e.to_string(),
        ValueTemplate::String(Template::Interpolated(parts)) => {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.clone(),
                    Part::Expr(e) => format!("@{{{e}}}"),
                })
                .collect();
            format!("'{text}'")
        }
        ValueTemplate::String(Template::Literal(s)) => format!("'{s}'"),
        _ => "...".to_owned(),
    }
}
