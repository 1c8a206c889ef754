//! [`Origin`]: where a value an expression computes comes from, in terms of an action's run
//! record (`actions('X')`): the action, the selections made from the record ([`Seg`]s:
//! `outputs`, `body`, `data`, an array item, the JSON inside a string, a piece of a string that
//! `split` cut), and what is still to be
//! selected before the record is reached ([`Origin::pending`]: `outputs('Parse_JSON')` is
//! `{body: <the parsed content>}`, so its origin is the content's, pending `body`).

use std::fmt;

/// One selection.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    /// A property (names compare ignoring case, as WDL looks them up).
    Key(String),
    /// An item of an array: `[n]` for `n` > 0 (the array needs `n + 1` items) or any item.
    Item(usize),
    /// The JSON text inside a string, parsed (`json(x)`, Parse JSON of a string).
    Json,
    /// A piece of a string cut by `split`: the string itself when it holds no delimiter.
    Part,
}

impl Seg {
    /// True when `self` (a pending selection) is what `other` selects.
    fn admits(&self, other: &Seg) -> bool {
        match (self, other) {
            (Seg::Key(a), Seg::Key(b)) => a.eq_ignore_ascii_case(b),
            (Seg::Item(_), Seg::Item(_)) | (Seg::Json, Seg::Json) | (Seg::Part, Seg::Part) => true,
            _ => false,
        }
    }
}

/// Where a value comes from: `path` selected from the run record of `action`, wrapped in
/// `pending` selections (outermost first) that an access must go through to reach it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The action's name as declared.
    pub action: String,
    pub path: Vec<Seg>,
    pub pending: Vec<Seg>,
}

impl Origin {
    /// The record of `action`, `path` selected.
    pub fn new(action: &str, path: Vec<Seg>) -> Origin {
        Origin { action: action.to_owned(), path, pending: Vec::new() }
    }

    /// The value one selection further; `None` when the selection leaves the origin (a
    /// property the wrapper does not have).
    pub fn select(&self, seg: &Seg) -> Option<Origin> {
        let mut next = self.clone();
        match next.pending.first() {
            Some(first) if first.admits(seg) => {
                next.pending.remove(0);
            }
            Some(_) => return None,
            // A piece of a string has no parts to select.
            None if next.path.last() == Some(&Seg::Part) => return None,
            None => next.path.push(seg.clone()),
        }
        Some(next)
    }

    /// The same origin wrapped in one more selection (`createArray(x)`: an item).
    pub fn wrapped(mut self, seg: Seg) -> Origin {
        self.pending.insert(0, seg);
        self
    }

    /// True when the value is the origin itself (nothing pending).
    pub fn is_direct(&self) -> bool {
        self.pending.is_empty()
    }
}

/// The path as placeholders spell it: `body.data.attributes`, `body.value[0].id`, `body.x{json}`.
pub struct Dotted<'a>(pub &'a [Seg]);

impl fmt::Display for Dotted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Item(n) => write!(f, "[{n}]")?,
                Seg::Json => f.write_str("{json}")?,
                Seg::Part => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn pending_selections_are_consumed_before_the_path_grows() {
        let o = Origin::new("X", vec![key("outputs")]).wrapped(key("body"));
        assert_eq!(o.select(&key("headers")), None);
        let body = o.select(&key("BODY")).unwrap();
        assert!(body.is_direct());
        assert_eq!(body.path, vec![key("outputs")]);
        let item = Origin::new("X", vec![]).wrapped(Seg::Item(0)).select(&Seg::Item(3)).unwrap();
        assert_eq!(item.path, Vec::<Seg>::new());
        assert_eq!(Origin::new("X", vec![]).select(&key("a")).unwrap().path, vec![key("a")]);
    }

    #[test]
    fn paths_read_like_placeholders() {
        let path = [key("body"), key("value"), Seg::Item(0), key("id"), Seg::Json, key("x")];
        assert_eq!(Dotted(&path).to_string(), "body.value[0].id{json}.x");
    }
}
