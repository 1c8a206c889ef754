//! The pass that reads a compiled playbook the way inference needs: every expression of every
//! action, through the parsed trees the compiled model already holds, evaluated abstractly:
//! instead of a value, an expression gives the [`Origin`]s of its value (`body('X')?['data']`
//! comes from X's record at `outputs.body.data`) and a type when the function says
//! ([`Abs`]). Each selection from an action's record is recorded in that action's [`Node`]
//! tree with its reader, and each function an origin is given to adds a [`Hint`] about its type
//! (see [`Walker::call`]).
//!
//! Values that pass through other actions are followed: Parse JSON (`body('Parse_JSON')` is its
//! content, whose origins also get the schema), Compose, Filter array (`Query`), loops
//! (`items('For_each')` is an item of the `foreach` value, `item()` of the innermost loop,
//! Filter, Select or Table), variables (every value assigned or appended) and `result('Scope')`
//! (the records of the scope's actions). Those are computed quietly (nothing recorded), once,
//! with a guard against cycles (`union(variables('v'), ...)` assigned to `v`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Classification, Severity, Status};
use crate::playbook::expr::ast::{Expr, ExprKind, Key};
use crate::playbook::expr::functions::collection::CollectionFn as C;
use crate::playbook::expr::functions::conversion::ConversionFn as V;
use crate::playbook::expr::functions::date::DateFn as D;
use crate::playbook::expr::functions::logical::LogicalFn as L;
use crate::playbook::expr::functions::math::MathFn as M;
use crate::playbook::expr::functions::string::StringFn as S;
use crate::playbook::expr::functions::workflow::WorkflowFn as W;
use crate::playbook::expr::{Function, Part, Template, ValueTemplate};
use crate::playbook::model::{Action, Block, Input, Playbook, Predicate, Step, VariableOp, VariableType};

use super::origin::{Origin, Seg};
use super::shape::{Hint, Node, Reader};

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
            Step::Switch(s) => {
                let ty = s.cases.first().and_then(|c| type_of(&c.value));
                let Some(e) = single(&s.on.template) else { return self.input(&s.on, ctx, ty) };
                // Say which values the cases take, for a person filling in the answer.
                let cases: Vec<String> =
                    s.cases.iter().map(|c| operand_text(&ValueTemplate::Literal(c.value.clone()))).collect();
                self.reader.expression = e.to_string();
                self.reader.note = format!("(cases: {})", cases.join(", "));
                let abs = self.eval(e, ctx);
                if let Some(h) = ty {
                    self.hint(&abs.origins, h);
                }
            }
            Step::ParseJson(p) => {
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
            Step::Variable(v) => {
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

    /// What a function does with its arguments' origins, and the hints it gives them.
    fn call(&mut self, f: Function, args: &[Abs], ctx: Ctx<'p>) -> Abs {
        let at = |i: usize| args.get(i).map_or(&[][..], |a| a.origins.as_slice());
        let give = |w: &mut Self, i: usize, h: Hint| w.hint(at(i), h);
        let ty = match f {
            Function::Workflow(wf) => return self.workflow(wf, args, ctx),
            Function::Logical(l) => match l {
                L::Not | L::And | L::Or => {
                    (0..args.len()).for_each(|i| give(self, i, Hint::Bool));
                    Some(Hint::Bool)
                }
                L::If => {
                    give(self, 0, Hint::Bool);
                    let origins = [at(1), at(2)].concat();
                    return Abs::from(origins, args.get(1).and_then(|a| a.ty).or(args.get(2).and_then(|a| a.ty)));
                }
                L::Coalesce => {
                    let origins = args.iter().flat_map(|a| a.origins.clone()).collect();
                    return Abs::from(origins, args.iter().find_map(|a| a.ty));
                }
                comparison => {
                    self.compare(comparison, args, ctx.hold);
                    Some(Hint::Bool)
                }
            },
            Function::String(s) => match s {
                S::Concat | S::Guid => Some(Hint::String),
                S::Substring | S::Slice => {
                    give(self, 0, Hint::String);
                    give(self, 1, Hint::Number);
                    give(self, 2, Hint::Number);
                    Some(Hint::String)
                }
                S::IndexOf | S::LastIndexOf => {
                    give(self, 0, Hint::String);
                    give(self, 1, Hint::String);
                    Some(Hint::Number)
                }
                S::StartsWith | S::EndsWith => {
                    give(self, 0, Hint::String);
                    give(self, 1, Hint::String);
                    Some(Hint::Bool)
                }
                S::Split => {
                    give(self, 0, Hint::String);
                    give(self, 1, Hint::String);
                    let delimiter = args.get(1).and_then(|a| a.literal.as_ref()).and_then(Value::as_str);
                    let strings: Vec<Origin> = at(0).iter().filter(|o| o.is_direct()).cloned().collect();
                    let pieces = match delimiter {
                        Some(d) => strings.iter().map(|o| (o.clone(), d.to_owned())).collect(),
                        None => Vec::new(),
                    };
                    let origins =
                        self.select(&strings, &Seg::Part).into_iter().map(|o| o.wrapped(Seg::Item(0))).collect();
                    return Abs { origins, pieces, ty: Some(Hint::Array), ..Abs::default() };
                }
                _ => {
                    (0..args.len()).for_each(|i| give(self, i, Hint::String));
                    Some(Hint::String)
                }
            },
            Function::Collection(c) => match c {
                C::Contains => {
                    if args.first().and_then(|a| a.ty) == Some(Hint::String) {
                        give(self, 1, Hint::String);
                    }
                    Some(Hint::Bool)
                }
                C::Empty => {
                    give(self, 0, Hint::Collection);
                    Some(Hint::Bool)
                }
                C::Length => {
                    give(self, 0, Hint::Collection);
                    Some(Hint::Number)
                }
                C::First | C::Last => {
                    give(self, 0, Hint::Collection);
                    let origins = self.select(at(0), &Seg::Item(0));
                    self.observe(&origins);
                    return Abs::from(origins, None);
                }
                C::Join => {
                    give(self, 0, Hint::Array);
                    give(self, 1, Hint::String);
                    Some(Hint::String)
                }
                C::Union | C::Intersection => {
                    let ty = args.iter().find_map(|a| a.ty);
                    let origins = args.iter().flat_map(|a| a.origins.clone()).collect();
                    return Abs::from(origins, ty);
                }
                _ => {
                    give(self, 0, Hint::Array);
                    give(self, 1, Hint::Number);
                    return Abs::from(at(0).to_vec(), Some(Hint::Array));
                }
            },
            Function::Object(_) => {
                give(self, 0, Hint::Object);
                give(self, 1, Hint::String);
                return Abs::from(at(0).to_vec(), Some(Hint::Object));
            }
            Function::Conversion(c) => match c {
                V::String => {
                    return Abs { stringified: at(0).to_vec(), ty: Some(Hint::String), ..Abs::default() };
                }
                V::Json => {
                    let Some(arg) = args.first() else { return Abs::default() };
                    if !arg.stringified.is_empty() {
                        return Abs::from(arg.stringified.clone(), None);
                    }
                    let origins = self.select(&arg.origins, &Seg::Json);
                    self.observe(&origins);
                    return Abs::from(origins, None);
                }
                V::Int | V::Float => {
                    give(self, 0, Hint::Numeric);
                    Some(Hint::Number)
                }
                V::Bool => {
                    give(self, 0, Hint::Bool);
                    Some(Hint::Bool)
                }
                V::IsInt | V::IsFloat => Some(Hint::Bool),
                V::Array | V::CreateArray => {
                    let origins = args.iter().flat_map(|a| a.origins.clone()).map(|o| o.wrapped(Seg::Item(0)));
                    return Abs::from(origins.collect(), Some(Hint::Array));
                }
                V::Base64ToString | V::DecodeBase64 => {
                    give(self, 0, Hint::Base64);
                    Some(Hint::String)
                }
                V::DecodeUriComponent | V::UriComponentToString | V::DataUriToString => {
                    give(self, 0, Hint::String);
                    Some(Hint::String)
                }
                _ => Some(Hint::String),
            },
            Function::Math(m) => {
                (0..args.len()).for_each(|i| give(self, i, Hint::Number));
                Some(if m == M::Range { Hint::Array } else { Hint::Number })
            }
            Function::Date(d) => {
                let (first, second, out) = match d {
                    D::UtcNow => (None, None, Hint::String),
                    D::GetFutureTime | D::GetPastTime => (Some(Hint::Number), Some(Hint::String), Hint::String),
                    D::AddDays | D::AddHours | D::AddMinutes | D::AddSeconds | D::AddToTime | D::SubtractFromTime => {
                        (Some(Hint::Timestamp), Some(Hint::Number), Hint::String)
                    }
                    D::Ticks | D::DayOfMonth | D::DayOfWeek | D::DayOfYear => {
                        (Some(Hint::Timestamp), None, Hint::Number)
                    }
                    _ => (Some(Hint::Timestamp), Some(Hint::String), Hint::String),
                };
                if let Some(h) = first {
                    give(self, 0, h);
                }
                if let Some(h) = second {
                    give(self, 1, h);
                }
                Some(out)
            }
            Function::Uri(_) => {
                give(self, 0, Hint::Uri);
                Some(Hint::String)
            }
        };
        Abs { ty, ..Abs::default() }
    }

    /// `equals`, `greater`, ...: each side that comes from an action gets the other side's
    /// type; in a condition that should `hold` (Until, Filter array), it also gets a value that
    /// makes the comparison hold: the other side's literal, the number next to it, or, when the
    /// other side comes from an action too, the other side's value.
    fn compare(&mut self, f: L, args: &[Abs], hold: bool) {
        for (a, b) in [(0, 1), (1, 0)] {
            let (Some(side), Some(other)) = (args.get(a), args.get(b)) else { continue };
            if side.origins.is_empty() {
                continue;
            }
            if let Some(ty) = other.ty.filter(|t| matches!(t, Hint::String | Hint::Number | Hint::Bool)) {
                self.hint(&side.origins, ty);
            }
            if other.literal.as_ref().is_some_and(Value::is_null) && other.origins.is_empty() {
                self.hint(&side.origins, Hint::NullChecked);
            }
            if f == L::Equals && hold && a == 0 && !self.quiet {
                // Both sides from actions: this one is rendered as the other.
                if let Some(target) = other.origins.iter().find(|o| o.is_direct()) {
                    for origin in side.origins.iter().filter(|o| o.is_direct() && *o != target) {
                        let node = self.node(origin);
                        if node.literal.is_none() {
                            node.same_as.get_or_insert_with(|| target.clone());
                        }
                    }
                }
            }
            let Some(literal) = other.literal.as_ref().filter(|l| hold && !l.is_null()) else { continue };
            // `greater(x, 5)` holds for 6; `greater(5, x)` for 4.
            let step = |n: i64| match (f, a == 0) {
                (L::Greater, true) | (L::Less, false) => n.checked_add(1),
                (L::Less, true) | (L::Greater, false) => n.checked_sub(1),
                _ => Some(n),
            };
            let wanted = match (f, literal) {
                (L::Equals, v) => Some(v.clone()),
                (_, Value::Number(n)) => n.as_i64().and_then(step).map(Value::from),
                _ => None,
            };
            let Some(wanted) = wanted else { continue };
            for origin in side.origins.iter().filter(|o| o.is_direct()) {
                let node = self.node(origin);
                node.literal.get_or_insert_with(|| wanted.clone());
            }
        }
    }

    /// `body`, `outputs`, `actions`, `result`, loop items and variables.
    fn workflow(&mut self, f: W, args: &[Abs], ctx: Ctx<'p>) -> Abs {
        let name = args.first().and_then(|a| a.literal.as_ref()).and_then(Value::as_str);
        let key = |k: &str| Seg::Key(k.to_owned());
        let origins = match (f, name) {
            (W::Body | W::ActionBody, Some(n)) => self.record(n, vec![key("outputs"), key("body")]),
            (W::Outputs | W::ActionOutputs, Some(n)) => self.record(n, vec![key("outputs")]),
            (W::Actions, Some(n)) => self.record(n, Vec::new()),
            (W::Result, Some(n)) => self.results(n),
            (W::Items, Some(n)) => self.items(n),
            (W::Item, _) => ctx.item.map(|n| self.items(n)).unwrap_or_default(),
            (W::Variables, Some(n)) => self.variable(n),
            (W::IterationIndexes, _) => return Abs::typed(Hint::Number),
            _ => return Abs::default(),
        };
        self.observe(&origins);
        Abs::from(origins, None)
    }

    /// The record of the action named `name` (any case), `path` selected, followed through
    /// Parse JSON, Compose and Filter array.
    fn record(&mut self, name: &str, path: Vec<Seg>) -> Vec<Origin> {
        let Some(action) = self.sites.get(&name.to_lowercase()).map(|s| s.action) else { return Vec::new() };
        self.follow(Origin::new(&action.name, path))
    }

    /// The origins of `origin` once it is followed through the action it names, when that
    /// action passes a value on: Parse JSON's body is its content, Compose's outputs its
    /// inputs, Filter array's body the items of its `from`.
    fn follow(&mut self, origin: Origin) -> Vec<Origin> {
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
    fn origins(&mut self, value: &ValueTemplate, ctx: Ctx<'p>) -> Vec<Origin> {
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
    fn content(&mut self, input: &Input, ctx: Ctx<'p>) -> Vec<Origin> {
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
    fn items(&mut self, name: &str) -> Vec<Origin> {
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
    fn variable(&mut self, name: &str) -> Vec<Origin> {
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
    fn results(&mut self, name: &str) -> Vec<Origin> {
        let Some(site) = self.sites.get(&name.to_lowercase()) else { return Vec::new() };
        let blocks = site.action.step.blocks();
        let names: Vec<String> = blocks.iter().flat_map(|b| b.actions.iter().map(|a| a.name.clone())).collect();
        names.into_iter().map(|n| Origin::new(&n, Vec::new()).wrapped(Seg::Item(0))).collect()
    }

    /// One more selection from each origin, followed through the action it names.
    fn select(&mut self, origins: &[Origin], seg: &Seg) -> Vec<Origin> {
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

    /// `split(x, d)[n]`: `x` needs `n + 1` pieces (0: an index computed from the end).
    fn cut(&mut self, pieces: &[(Origin, String)], seg: Option<&Seg>) {
        let need = match seg {
            Some(Seg::Item(n)) => n + 1,
            None => 0,
            Some(_) => return,
        };
        if self.quiet {
            return;
        }
        for (origin, delimiter) in pieces {
            let slot = self.node(origin).splits.entry(delimiter.clone()).or_insert(need);
            *slot = (*slot).max(need);
        }
    }

    /// Update incident's enumerated fields: a value read from a call must be one Sentinel
    /// takes (a severity, a status, a classification, an owner action), or the update fails.
    fn sinks(&mut self, inputs: &Input, ctx: Ctx<'p>) {
        let method = text_field(&inputs.template, "method");
        let path = text_field(&inputs.template, "path");
        let update = method.is_some_and(|m| m.eq_ignore_ascii_case("put"))
            && path.is_some_and(|p| p.eq_ignore_ascii_case("/Incidents"));
        if !update {
            return;
        }
        let body = entry(&inputs.template, "body");
        let classification = body.and_then(|b| entry(b, "classification"));
        let field = |key: &str| body.and_then(|b| entry(b, key));
        let severities = Severity::names().join(", ");
        let statuses = Status::names().join(", ");
        let fields = [
            (field("severity"), Severity::High.as_str(), severities.as_str()),
            (field("status"), Status::Active.as_str(), statuses.as_str()),
            (field("ownerAction"), "Assign", "Assign, Unassign"),
            (
                classification.and_then(|c| entry(c, "ClassificationAndReason")),
                Classification::Undetermined.as_str(),
                "a classification and its reason",
            ),
        ];
        for (value, wanted, takes) in fields {
            let Some(expr) = value.and_then(single) else { continue };
            // Recorded again, saying what the value must be.
            let plain = match value {
                Some(ValueTemplate::String(Template::Expression(_))) => expr.to_string(),
                _ => format!("@{{{expr}}}"),
            };
            self.reader.expression = plain;
            self.reader.note = format!("(Update incident takes {takes})");
            let origins = self.eval(expr, ctx).origins;
            let plain = Reader { note: String::new(), ..self.reader.clone() };
            self.reader.note.clear();
            for origin in origins.iter().filter(|o| o.is_direct()) {
                for end in 0..=origin.path.len() {
                    let above = Origin::new(&origin.action, origin.path.get(..end).unwrap_or_default().to_vec());
                    self.node(&above).readers.remove(&plain);
                }
                let node = self.node(origin);
                if node.same_as.is_none() {
                    node.literal.get_or_insert_with(|| Value::String(wanted.to_owned()));
                }
            }
        }
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

/// Where a passing action's value comes from.
#[derive(Clone, Copy)]
enum Source<'p> {
    /// Parse JSON's content.
    Content(&'p Input),
    Value(&'p Input),
}

/// The entry `key` of an object value (any case).
fn entry<'v>(value: &'v ValueTemplate, key: &str) -> Option<&'v ValueTemplate> {
    match value {
        ValueTemplate::Object(entries) => entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// The literal text of the entry `key` of an object value.
fn text_field<'v>(value: &'v ValueTemplate, key: &str) -> Option<&'v str> {
    match value {
        ValueTemplate::Object(entries) => {
            match entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v) {
                Some(ValueTemplate::Literal(Value::String(s))) => Some(s),
                _ => None,
            }
        }
        ValueTemplate::Literal(Value::Object(map)) => {
            map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| v.as_str())
        }
        _ => None,
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
