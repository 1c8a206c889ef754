//! ARM's function table: [`ArmFunction`], the closed set of functions the evaluator
//! ([`super::functions`]) implements, with each name as the ARM function reference spells it.
//! The shared front end resolves the names of a parsed expression against it
//! ([`crate::expr::FunctionTable`]), ignoring case.

use crate::expr::FunctionTable;

/// The ARM functions this evaluator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArmFunction {
    Parameters,
    Variables,
    Concat,
    Format,
    ResourceId,
    UniqueString,
    Guid,
    Subscription,
    ResourceGroup,
    Tenant,
    ToLower,
    ToUpper,
    Trim,
    String,
    Int,
    Bool,
    True,
    False,
    Replace,
    Split,
    First,
    Last,
    CreateArray,
    If,
    Equals,
    Not,
    And,
    Or,
    Empty,
    Coalesce,
    Length,
}

/// Every function with its name as the ARM function reference spells it.
pub const FUNCTIONS: &[(&str, ArmFunction)] = {
    use ArmFunction as F;
    &[
        ("parameters", F::Parameters),
        ("variables", F::Variables),
        ("concat", F::Concat),
        ("format", F::Format),
        ("resourceId", F::ResourceId),
        ("uniqueString", F::UniqueString),
        ("guid", F::Guid),
        ("subscription", F::Subscription),
        ("resourceGroup", F::ResourceGroup),
        ("tenant", F::Tenant),
        ("toLower", F::ToLower),
        ("toUpper", F::ToUpper),
        ("trim", F::Trim),
        ("string", F::String),
        ("int", F::Int),
        ("bool", F::Bool),
        ("true", F::True),
        ("false", F::False),
        ("replace", F::Replace),
        ("split", F::Split),
        ("first", F::First),
        ("last", F::Last),
        ("createArray", F::CreateArray),
        ("if", F::If),
        ("equals", F::Equals),
        ("not", F::Not),
        ("and", F::And),
        ("or", F::Or),
        ("empty", F::Empty),
        ("coalesce", F::Coalesce),
        ("length", F::Length),
    ]
};

/// ARM's table for the shared front end's name resolution. Argument counts are not checked
/// here: a missing argument reads as null, as it did before the shared front end.
impl FunctionTable for ArmFunction {
    fn lookup(name: &str) -> Option<ArmFunction> {
        FUNCTIONS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, f)| *f)
    }

    fn names() -> impl Iterator<Item = &'static str> {
        FUNCTIONS.iter().map(|(n, _)| *n)
    }

    fn name(self) -> &'static str {
        FUNCTIONS.iter().find(|(_, f)| *f == self).map_or("?", |(n, _)| n)
    }

    fn arity(self) -> (usize, Option<usize>) {
        (0, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_resolve_in_any_case() {
        let mut names: Vec<String> = FUNCTIONS.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FUNCTIONS.len());
        for (name, function) in FUNCTIONS {
            assert_eq!(ArmFunction::lookup(&name.to_uppercase()), Some(*function));
            assert_eq!(function.name(), *name);
        }
        assert_eq!(ArmFunction::lookup("reference"), None);
    }
}
