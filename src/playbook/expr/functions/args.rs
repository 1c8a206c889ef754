//! Evaluated arguments of one call, with typed accessors whose errors read like the Logic
//! Apps runtime's ("The template language function 'length' expects its parameter to be an
//! array or a string. The provided value is of type 'Null'.") and point at the argument.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::Function;
use crate::playbook::expr::ast::Span;
use crate::playbook::expr::error::{ErrorKind, ExprError};
use crate::playbook::expr::value::{to_text, type_name, Num};

/// One evaluated argument and its span.
#[derive(Debug, Clone)]
pub struct Arg<'a> {
    pub value: Cow<'a, Value>,
    pub span: Span,
}

/// The arguments of a call. The parser checked their number, so accessors past the end are
/// reported as an argument-count error rather than trusted.
#[derive(Debug)]
pub struct Args<'a> {
    pub function: Function,
    /// The whole call `name(...)`.
    pub span: Span,
    pub items: Vec<Arg<'a>>,
}

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

impl<'a> Args<'a> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn missing(&self, i: usize) -> ExprError {
        let message = format!("the function '{}' is missing argument {}", self.function.name(), i + 1);
        ExprError::new(ErrorKind::ArgumentCount, self.span, message)
    }

    /// The span of argument `i` (the call's span when absent).
    pub fn span(&self, i: usize) -> Span {
        self.items.get(i).map_or(self.span, |a| a.span)
    }

    pub fn get(&self, i: usize) -> Result<&Value, ExprError> {
        self.items.get(i).map(|a| a.value.as_ref()).ok_or_else(|| self.missing(i))
    }

    /// Moves argument `i` out (leaving null behind).
    pub fn take(&mut self, i: usize) -> Result<Cow<'a, Value>, ExprError> {
        let missing = self.missing(i);
        self.items.get_mut(i).map(|a| std::mem::replace(&mut a.value, Cow::Owned(Value::Null))).ok_or(missing)
    }

    /// "its parameter" for one-argument functions, else "its second parameter" etc.
    fn which(&self, i: usize) -> String {
        if self.function.arity().1 == Some(1) {
            "its parameter".to_owned()
        } else {
            match ORDINALS.get(i) {
                Some(ordinal) => format!("its {ordinal} parameter"),
                None => format!("its parameter number {}", i + 1),
            }
        }
    }

    /// A wrong-type error for argument `i`; `expected` reads "a string", "an integer", ...
    pub fn type_error(&self, i: usize, expected: &str) -> ExprError {
        let found = self.items.get(i).map_or("Null", |a| type_name(&a.value));
        let message = format!(
            "The template language function '{}' expects {} to be {expected}. The provided value is of type '{found}'.",
            self.function.name(),
            self.which(i)
        );
        ExprError::new(ErrorKind::ArgumentType, self.span(i), self.with_placeholder_note(i, message))
    }

    /// A wrong-value error for argument `i`.
    pub fn invalid(&self, i: usize, message: impl Into<String>) -> ExprError {
        ExprError::new(ErrorKind::InvalidArgument, self.span(i), self.with_placeholder_note(i, message.into()))
    }

    /// `message`, naming the template parameters whose placeholders argument `i` holds (a
    /// parameter without a value, see [`crate::arm::placeholder`]).
    fn with_placeholder_note(&self, i: usize, message: String) -> String {
        match self.items.get(i).and_then(|a| a.value.as_str()).and_then(crate::arm::placeholder::note) {
            Some(note) => format!("{message} ({note})"),
            None => message,
        }
    }

    /// An error for the call as a whole.
    pub fn error(&self, kind: ErrorKind, message: impl Into<String>) -> ExprError {
        ExprError::new(kind, self.span, message)
    }

    pub fn str(&self, i: usize) -> Result<&str, ExprError> {
        match self.get(i)? {
            Value::String(s) => Ok(s),
            _ => Err(self.type_error(i, "a string")),
        }
    }

    /// Argument `i` if given (must be a string).
    pub fn opt_str(&self, i: usize) -> Result<Option<&str>, ExprError> {
        if i < self.len() {
            self.str(i).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Argument `i` as text: any scalar or collection, stringified as `string()` does.
    pub fn text(&self, i: usize) -> Result<Cow<'_, str>, ExprError> {
        self.get(i).map(to_text)
    }

    pub fn num(&self, i: usize) -> Result<Num, ExprError> {
        Num::of(self.get(i)?).ok_or_else(|| self.type_error(i, "an integer or a float"))
    }

    /// An integer (a float with no fractional part is accepted).
    pub fn int(&self, i: usize) -> Result<i64, ExprError> {
        match Num::of(self.get(i)?) {
            Some(Num::Int(v)) => Ok(v),
            Some(Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                // Exact: |f| < 2^53 and integral.
                #[allow(clippy::cast_possible_truncation)]
                Ok(f as i64)
            }
            _ => Err(self.type_error(i, "an integer")),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, ExprError> {
        match self.get(i)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(self.type_error(i, "a boolean")),
        }
    }

    pub fn array(&self, i: usize) -> Result<&Vec<Value>, ExprError> {
        match self.get(i)? {
            Value::Array(items) => Ok(items),
            _ => Err(self.type_error(i, "an array")),
        }
    }

    pub fn object(&self, i: usize) -> Result<&Map<String, Value>, ExprError> {
        match self.get(i)? {
            Value::Object(map) => Ok(map),
            _ => Err(self.type_error(i, "an object")),
        }
    }
}
