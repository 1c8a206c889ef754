//! What each function does with the origins of its arguments ([`Walker::call`]), by family:
//! the origins it passes on (`first(x)` an item of `x`, `coalesce` every argument's, `split`
//! the pieces of a string) and the [`Hint`]s it gives them; comparisons ([`Walker::compare`]);
//! the workflow functions that name an action, a loop or a variable ([`Walker::workflow`]).

use serde_json::Value;

use crate::playbook::expr::functions::collection::CollectionFn as C;
use crate::playbook::expr::functions::content::ContentFn as B;
use crate::playbook::expr::functions::conversion::ConversionFn as V;
use crate::playbook::expr::functions::date::DateFn as D;
use crate::playbook::expr::functions::logical::LogicalFn as L;
use crate::playbook::expr::functions::math::MathFn as M;
use crate::playbook::expr::functions::string::StringFn as S;
use crate::playbook::expr::functions::workflow::WorkflowFn as W;
use crate::playbook::expr::Function;

use super::{variable_hint, Abs, Ctx, Walker};
use crate::playbook::infer::origin::{Origin, Seg};
use crate::playbook::infer::shape::Hint;

impl<'p> Walker<'p> {
    /// What a function does with its arguments' origins, and the hints it gives them.
    pub(super) fn call(&mut self, f: Function, args: &[Abs], ctx: Ctx<'p>) -> Abs {
        match f {
            Function::Workflow(w) => self.workflow(w, args, ctx),
            Function::Logical(l) => self.logical(l, args, ctx),
            Function::String(s) => self.string(s, args),
            Function::Collection(c) => self.collection(c, args),
            Function::Object(_) => {
                self.give(args, 0, Hint::Object);
                self.give(args, 1, Hint::String);
                Abs::from(origins(args, 0), Some(Hint::Object))
            }
            Function::Conversion(c) => self.conversion(c, args),
            Function::Math(m) => {
                (0..args.len()).for_each(|i| self.give(args, i, Hint::Number));
                Abs::typed(if m == M::Range { Hint::Array } else { Hint::Number })
            }
            Function::Date(d) => self.date(d, args),
            Function::Uri(_) => {
                self.give(args, 0, Hint::Uri);
                Abs::typed(Hint::String)
            }
            Function::Content(b) => self.binary(b, args),
        }
    }

    /// Binary, data URI, XML and form-data content: the text each reads; what comes out is
    /// content the walk does not follow (an XPath result, a decoded envelope).
    fn binary(&mut self, f: B, args: &[Abs]) -> Abs {
        match f {
            B::Base64ToBinary => self.give(args, 0, Hint::Base64),
            B::DataUriToBinary | B::DecodeDataUri | B::UriComponentToBinary => self.give(args, 0, Hint::String),
            B::Xpath => self.give(args, 1, Hint::String),
            _ => {}
        }
        Abs::default()
    }

    /// Gives argument `i`'s origins a hint.
    fn give(&mut self, args: &[Abs], i: usize, hint: Hint) {
        if let Some(arg) = args.get(i) {
            self.hint(&arg.origins, hint);
        }
    }

    fn logical(&mut self, f: L, args: &[Abs], ctx: Ctx<'p>) -> Abs {
        match f {
            L::Not | L::And | L::Or => {
                (0..args.len()).for_each(|i| self.give(args, i, Hint::Bool));
                Abs::typed(Hint::Bool)
            }
            L::If => {
                self.give(args, 0, Hint::Bool);
                let ty = args.get(1).and_then(|a| a.ty).or(args.get(2).and_then(|a| a.ty));
                Abs::from([origins(args, 1), origins(args, 2)].concat(), ty)
            }
            L::Coalesce => {
                Abs::from(args.iter().flat_map(|a| a.origins.clone()).collect(), args.iter().find_map(|a| a.ty))
            }
            comparison => {
                self.compare(comparison, args, ctx.hold);
                Abs::typed(Hint::Bool)
            }
        }
    }

    fn string(&mut self, f: S, args: &[Abs]) -> Abs {
        let (hints, out): (&[Hint], Hint) = match f {
            S::Concat | S::Guid => (&[], Hint::String),
            S::Substring | S::Slice => (&[Hint::String, Hint::Number, Hint::Number], Hint::String),
            S::IndexOf | S::LastIndexOf => (&[Hint::String, Hint::String], Hint::Number),
            S::NthIndexOf => (&[Hint::String, Hint::String, Hint::Number], Hint::Number),
            S::FormatNumber => (&[Hint::Number, Hint::String, Hint::String], Hint::String),
            S::StartsWith | S::EndsWith => (&[Hint::String, Hint::String], Hint::Bool),
            S::Split => return self.split(args),
            _ => (&[Hint::String, Hint::String, Hint::String], Hint::String),
        };
        for (i, hint) in hints.iter().enumerate() {
            self.give(args, i, *hint);
        }
        Abs::typed(out)
    }

    /// `split(x, d)`: an array whose items are pieces of `x` (`x` itself when it holds no `d`).
    fn split(&mut self, args: &[Abs]) -> Abs {
        self.give(args, 0, Hint::String);
        self.give(args, 1, Hint::String);
        let delimiter = args.get(1).and_then(|a| a.literal.as_ref()).and_then(Value::as_str);
        let strings: Vec<Origin> = origins(args, 0).into_iter().filter(Origin::is_direct).collect();
        let pieces = match delimiter {
            Some(d) => strings.iter().map(|o| (o.clone(), d.to_owned())).collect(),
            None => Vec::new(),
        };
        let origins = self.select(&strings, &Seg::Part).into_iter().map(|o| o.wrapped(Seg::Item(0))).collect();
        Abs { origins, pieces, ty: Some(Hint::Array), ..Abs::default() }
    }

    fn collection(&mut self, f: C, args: &[Abs]) -> Abs {
        match f {
            C::Contains => {
                if args.first().and_then(|a| a.ty) == Some(Hint::String) {
                    self.give(args, 1, Hint::String);
                }
                Abs::typed(Hint::Bool)
            }
            C::Empty | C::Length => {
                self.give(args, 0, Hint::Collection);
                Abs::typed(if f == C::Empty { Hint::Bool } else { Hint::Number })
            }
            C::First | C::Last => {
                self.give(args, 0, Hint::Collection);
                let items = self.select(&origins(args, 0), &Seg::Item(0));
                self.observe(&items);
                Abs::from(items, None)
            }
            C::Join => {
                self.give(args, 0, Hint::Array);
                self.give(args, 1, Hint::String);
                Abs::typed(Hint::String)
            }
            // Pieces of the same items: `chunk(x, n)[0][0]` is an item of `x`.
            C::Chunk => {
                self.give(args, 0, Hint::Array);
                self.give(args, 1, Hint::Number);
                let chunks = origins(args, 0).into_iter().map(|o| o.wrapped(Seg::Item(0)));
                Abs::from(chunks.collect(), Some(Hint::Array))
            }
            C::Sort => {
                self.give(args, 0, Hint::Array);
                self.give(args, 1, Hint::String);
                Abs::from(origins(args, 0), Some(Hint::Array))
            }
            C::Union | C::Intersection => {
                Abs::from(args.iter().flat_map(|a| a.origins.clone()).collect(), args.iter().find_map(|a| a.ty))
            }
            // reverse, skip, take: the same items.
            _ => {
                self.give(args, 0, Hint::Array);
                self.give(args, 1, Hint::Number);
                Abs::from(origins(args, 0), Some(Hint::Array))
            }
        }
    }

    fn conversion(&mut self, f: V, args: &[Abs]) -> Abs {
        let (hint, out) = match f {
            V::String => return Abs { stringified: origins(args, 0), ty: Some(Hint::String), ..Abs::default() },
            V::Json => return self.json(args),
            V::Array | V::CreateArray => {
                let items = args.iter().flat_map(|a| a.origins.clone()).map(|o| o.wrapped(Seg::Item(0)));
                return Abs::from(items.collect(), Some(Hint::Array));
            }
            V::Int | V::Float | V::Decimal => (Some(Hint::Numeric), Hint::Number),
            V::Bool => (Some(Hint::Bool), Hint::Bool),
            V::IsInt | V::IsFloat => (None, Hint::Bool),
            V::Base64ToString | V::DecodeBase64 => (Some(Hint::Base64), Hint::String),
            V::DecodeUriComponent | V::UriComponentToString | V::DataUriToString => (Some(Hint::String), Hint::String),
            _ => (None, Hint::String),
        };
        if let Some(h) = hint {
            self.give(args, 0, h);
        }
        Abs::typed(out)
    }

    /// `json(x)`: the JSON inside the string `x`, or `x` itself for `json(string(x))`.
    fn json(&mut self, args: &[Abs]) -> Abs {
        let Some(arg) = args.first() else { return Abs::default() };
        if !arg.stringified.is_empty() {
            return Abs::from(arg.stringified.clone(), None);
        }
        let inside = self.select(&arg.origins, &Seg::Json);
        self.observe(&inside);
        Abs::from(inside, None)
    }

    fn date(&mut self, f: D, args: &[Abs]) -> Abs {
        let (first, second, out) = match f {
            D::UtcNow => (None, None, Hint::String),
            D::GetFutureTime | D::GetPastTime => (Some(Hint::Number), Some(Hint::String), Hint::String),
            D::AddDays | D::AddHours | D::AddMinutes | D::AddSeconds | D::AddToTime | D::SubtractFromTime => {
                (Some(Hint::Timestamp), Some(Hint::Number), Hint::String)
            }
            D::DateDifference => (Some(Hint::Timestamp), Some(Hint::Timestamp), Hint::String),
            D::Ticks | D::DayOfMonth | D::DayOfWeek | D::DayOfYear => (Some(Hint::Timestamp), None, Hint::Number),
            _ => (Some(Hint::Timestamp), Some(Hint::String), Hint::String),
        };
        for (i, hint) in [first, second].into_iter().enumerate() {
            if let Some(h) = hint {
                self.give(args, i, h);
            }
        }
        Abs::typed(out)
    }

    /// `equals`, `greater`, ...: each side that comes from an action gets the other side's
    /// type; in a condition that should `hold` (Until, Filter array), it also gets a value that
    /// makes the comparison hold: the other side's literal, the number next to it, or, when the
    /// other side comes from an action too, the other side's value.
    pub(super) fn compare(&mut self, f: L, args: &[Abs], hold: bool) {
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
    pub(super) fn workflow(&mut self, f: W, args: &[Abs], ctx: Ctx<'p>) -> Abs {
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
        // A variable has the type it was initialized with, whatever it was given since: so
        // `greater(item()?['x'], variables('limit'))` makes `x` a number when `limit` is a Float.
        let ty = match (f, name) {
            (W::Variables, Some(n)) => self.types.get(&n.to_lowercase()).map(|t| variable_hint(*t)),
            _ => None,
        };
        Abs::from(origins, ty)
    }

    /// `split(x, d)[n]`: `x` needs `n + 1` pieces (0: an index computed from the end).
    pub(super) fn cut(&mut self, pieces: &[(Origin, String)], seg: Option<&Seg>) {
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
}

/// The origins of argument `i`.
fn origins(args: &[Abs], i: usize) -> Vec<Origin> {
    args.get(i).map(|a| a.origins.clone()).unwrap_or_default()
}
