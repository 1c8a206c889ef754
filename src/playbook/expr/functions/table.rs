//! The closed set of functions: [`Function`] is an enum of families, each family an enum of
//! its functions (matched exhaustively in its own file). [`SPECS`] gives every function its
//! canonical name (as the function reference spells it) and argument count; lookup ignores
//! case. Every function of the reference guide is implemented; [`UNSUPPORTED`] would list a real
//! Logic Apps function left out on purpose, so that it gets a clear error instead of "unknown
//! function" (it is empty).

use super::collection::CollectionFn;
use super::content::ContentFn;
use super::conversion::ConversionFn;
use super::date::DateFn;
use super::logical::LogicalFn;
use super::math::MathFn;
use super::object::ObjectFn;
use super::string::StringFn;
use super::uri::UriFn;
use super::workflow::WorkflowFn;
use crate::expr::FunctionTable;

/// A WDL function, by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Workflow(WorkflowFn),
    Logical(LogicalFn),
    String(StringFn),
    Collection(CollectionFn),
    Object(ObjectFn),
    Conversion(ConversionFn),
    Math(MathFn),
    Date(DateFn),
    Uri(UriFn),
    Content(ContentFn),
}

/// A function's canonical name and argument count (`max: None` = any number).
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub function: Function,
    pub min: usize,
    pub max: Option<usize>,
}

const fn spec(name: &'static str, function: Function, min: usize, max: Option<usize>) -> Spec {
    Spec { name, function, min, max }
}

// Short aliases for the table below.
use CollectionFn as C;
use ContentFn as B;
use ConversionFn as V;
use DateFn as D;
use Function::{
    Collection as Col, Content as Ct, Conversion as Conv, Date as Dt, Logical as Lg, Math as Mt, Object as Ob,
    String as St, Uri as Ur, Workflow as Wf,
};
use LogicalFn as L;
use MathFn as M;
use ObjectFn as O;
use StringFn as S;
use UriFn as U;
use WorkflowFn as W;

const ANY: Option<usize> = None;
const fn n(max: usize) -> Option<usize> {
    Some(max)
}

/// Every function, grouped by family in the function reference's order.
pub const SPECS: &[Spec] = &[
    spec("trigger", Wf(W::Trigger), 0, n(0)),
    spec("triggerBody", Wf(W::TriggerBody), 0, n(0)),
    spec("triggerOutputs", Wf(W::TriggerOutputs), 0, n(0)),
    spec("actions", Wf(W::Actions), 1, n(1)),
    spec("body", Wf(W::Body), 1, n(1)),
    spec("actionBody", Wf(W::ActionBody), 1, n(1)),
    spec("outputs", Wf(W::Outputs), 1, n(1)),
    spec("actionOutputs", Wf(W::ActionOutputs), 1, n(1)),
    spec("item", Wf(W::Item), 0, n(0)),
    spec("items", Wf(W::Items), 1, n(1)),
    spec("iterationIndexes", Wf(W::IterationIndexes), 1, n(1)),
    spec("variables", Wf(W::Variables), 1, n(1)),
    spec("parameters", Wf(W::Parameters), 1, n(1)),
    spec("result", Wf(W::Result), 1, n(1)),
    spec("workflow", Wf(W::Workflow), 0, n(0)),
    spec("listCallbackUrl", Wf(W::ListCallbackUrl), 0, n(0)),
    spec("action", Wf(W::Action), 0, n(0)),
    spec("formDataValue", Ct(B::FormDataValue), 2, n(2)),
    spec("formDataMultiValues", Ct(B::FormDataMultiValues), 2, n(2)),
    spec("triggerFormDataValue", Ct(B::TriggerFormDataValue), 1, n(1)),
    spec("triggerFormDataMultiValues", Ct(B::TriggerFormDataMultiValues), 1, n(1)),
    spec("multipartBody", Ct(B::MultipartBody), 2, n(2)),
    spec("triggerMultipartBody", Ct(B::TriggerMultipartBody), 1, n(1)),
    spec("and", Lg(L::And), 1, ANY),
    spec("or", Lg(L::Or), 1, ANY),
    spec("not", Lg(L::Not), 1, n(1)),
    spec("if", Lg(L::If), 3, n(3)),
    spec("equals", Lg(L::Equals), 2, n(2)),
    spec("greater", Lg(L::Greater), 2, n(2)),
    spec("greaterOrEquals", Lg(L::GreaterOrEquals), 2, n(2)),
    spec("less", Lg(L::Less), 2, n(2)),
    spec("lessOrEquals", Lg(L::LessOrEquals), 2, n(2)),
    spec("coalesce", Lg(L::Coalesce), 1, ANY),
    spec("concat", St(S::Concat), 1, ANY),
    spec("endsWith", St(S::EndsWith), 2, n(2)),
    spec("formatNumber", St(S::FormatNumber), 2, n(3)),
    spec("guid", St(S::Guid), 0, n(1)),
    spec("indexOf", St(S::IndexOf), 2, n(2)),
    spec("lastIndexOf", St(S::LastIndexOf), 2, n(2)),
    spec("nthIndexOf", St(S::NthIndexOf), 3, n(3)),
    spec("replace", St(S::Replace), 3, n(3)),
    spec("slice", St(S::Slice), 2, n(3)),
    spec("split", St(S::Split), 2, n(2)),
    spec("startsWith", St(S::StartsWith), 2, n(2)),
    spec("substring", St(S::Substring), 2, n(3)),
    spec("toLower", St(S::ToLower), 1, n(1)),
    spec("toUpper", St(S::ToUpper), 1, n(1)),
    spec("trim", St(S::Trim), 1, n(1)),
    spec("chunk", Col(C::Chunk), 2, n(2)),
    spec("contains", Col(C::Contains), 2, n(2)),
    spec("empty", Col(C::Empty), 1, n(1)),
    spec("first", Col(C::First), 1, n(1)),
    spec("intersection", Col(C::Intersection), 1, ANY),
    spec("join", Col(C::Join), 2, n(2)),
    spec("last", Col(C::Last), 1, n(1)),
    spec("length", Col(C::Length), 1, n(1)),
    spec("reverse", Col(C::Reverse), 1, n(1)),
    spec("skip", Col(C::Skip), 2, n(2)),
    spec("sort", Col(C::Sort), 1, n(2)),
    spec("take", Col(C::Take), 2, n(2)),
    spec("union", Col(C::Union), 1, ANY),
    spec("addProperty", Ob(O::AddProperty), 3, n(3)),
    spec("removeProperty", Ob(O::RemoveProperty), 2, n(2)),
    spec("setProperty", Ob(O::SetProperty), 3, n(3)),
    spec("array", Conv(V::Array), 1, n(1)),
    spec("base64", Conv(V::Base64), 1, n(1)),
    spec("base64ToBinary", Ct(B::Base64ToBinary), 1, n(1)),
    spec("base64ToString", Conv(V::Base64ToString), 1, n(1)),
    spec("binary", Ct(B::Binary), 1, n(1)),
    spec("bool", Conv(V::Bool), 1, n(1)),
    spec("createArray", Conv(V::CreateArray), 1, ANY),
    spec("dataUri", Conv(V::DataUri), 1, n(1)),
    spec("dataUriToBinary", Ct(B::DataUriToBinary), 1, n(1)),
    spec("dataUriToString", Conv(V::DataUriToString), 1, n(1)),
    spec("decimal", Conv(V::Decimal), 1, n(1)),
    spec("decodeBase64", Conv(V::DecodeBase64), 1, n(1)),
    spec("decodeDataUri", Ct(B::DecodeDataUri), 1, n(1)),
    spec("decodeUriComponent", Conv(V::DecodeUriComponent), 1, n(1)),
    spec("encodeUriComponent", Conv(V::EncodeUriComponent), 1, ANY),
    spec("float", Conv(V::Float), 1, n(2)),
    spec("int", Conv(V::Int), 1, n(1)),
    spec("isFloat", Conv(V::IsFloat), 1, n(2)),
    spec("isInt", Conv(V::IsInt), 1, n(1)),
    spec("json", Conv(V::Json), 1, n(1)),
    spec("string", Conv(V::String), 1, n(1)),
    spec("uriComponent", Conv(V::UriComponent), 1, n(1)),
    spec("uriComponentToBinary", Ct(B::UriComponentToBinary), 1, n(1)),
    spec("uriComponentToString", Conv(V::UriComponentToString), 1, n(1)),
    spec("xml", Ct(B::Xml), 1, n(1)),
    spec("xpath", Ct(B::Xpath), 2, n(2)),
    spec("add", Mt(M::Add), 2, n(2)),
    spec("div", Mt(M::Div), 2, n(2)),
    spec("max", Mt(M::Max), 1, ANY),
    spec("min", Mt(M::Min), 1, ANY),
    spec("mod", Mt(M::Mod), 2, n(2)),
    spec("mul", Mt(M::Mul), 2, n(2)),
    spec("rand", Mt(M::Rand), 2, n(2)),
    spec("range", Mt(M::Range), 2, n(2)),
    spec("sub", Mt(M::Sub), 2, n(2)),
    spec("addDays", Dt(D::AddDays), 2, n(3)),
    spec("addHours", Dt(D::AddHours), 2, n(3)),
    spec("addMinutes", Dt(D::AddMinutes), 2, n(3)),
    spec("addSeconds", Dt(D::AddSeconds), 2, n(3)),
    spec("addToTime", Dt(D::AddToTime), 3, n(4)),
    spec("convertFromUtc", Dt(D::ConvertFromUtc), 2, n(3)),
    spec("convertTimeZone", Dt(D::ConvertTimeZone), 3, n(4)),
    spec("convertToUtc", Dt(D::ConvertToUtc), 2, n(3)),
    spec("dateDifference", Dt(D::DateDifference), 2, n(2)),
    spec("dayOfMonth", Dt(D::DayOfMonth), 1, n(1)),
    spec("dayOfWeek", Dt(D::DayOfWeek), 1, n(1)),
    spec("dayOfYear", Dt(D::DayOfYear), 1, n(1)),
    spec("formatDateTime", Dt(D::FormatDateTime), 1, n(3)),
    spec("getFutureTime", Dt(D::GetFutureTime), 2, n(3)),
    spec("getPastTime", Dt(D::GetPastTime), 2, n(3)),
    spec("parseDateTime", Dt(D::ParseDateTime), 1, n(3)),
    spec("startOfDay", Dt(D::StartOfDay), 1, n(2)),
    spec("startOfHour", Dt(D::StartOfHour), 1, n(2)),
    spec("startOfMonth", Dt(D::StartOfMonth), 1, n(2)),
    spec("subtractFromTime", Dt(D::SubtractFromTime), 3, n(4)),
    spec("ticks", Dt(D::Ticks), 1, n(1)),
    spec("utcNow", Dt(D::UtcNow), 0, n(1)),
    spec("uriHost", Ur(U::Host), 1, n(1)),
    spec("uriPath", Ur(U::Path), 1, n(1)),
    spec("uriPathAndQuery", Ur(U::PathAndQuery), 1, n(1)),
    spec("uriPort", Ur(U::Port), 1, n(1)),
    spec("uriQuery", Ur(U::Query), 1, n(1)),
    spec("uriScheme", Ur(U::Scheme), 1, n(1)),
];

/// Real Logic Apps functions this engine does not implement, and why: none.
pub const UNSUPPORTED: &[(&str, &str)] = &[];

impl Function {
    /// Looks a name up ignoring case (`triggerbody`, `Outputs`, `encodeURIComponent`).
    pub fn lookup(name: &str) -> Option<Function> {
        SPECS.iter().find(|s| s.name.eq_ignore_ascii_case(name)).map(|s| s.function)
    }

    /// Every supported function, in [`SPECS`] order.
    pub fn all() -> impl Iterator<Item = Function> {
        SPECS.iter().map(|s| s.function)
    }

    /// The canonical names, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        SPECS.iter().map(|s| s.name)
    }

    fn spec(self) -> Option<&'static Spec> {
        SPECS.iter().find(|s| s.function == self)
    }

    /// The name as the function reference spells it.
    pub fn name(self) -> &'static str {
        self.spec().map_or("?", |s| s.name)
    }

    /// `(min, max)` argument count; `max: None` means any number.
    pub fn arity(self) -> (usize, Option<usize>) {
        self.spec().map_or((0, None), |s| (s.min, s.max))
    }

    /// True for functions whose arguments are evaluated only as needed (`if`, `and`, `or`,
    /// `coalesce`).
    pub fn is_lazy(self) -> bool {
        matches!(self, Function::Logical(f) if f.is_lazy())
    }
}

/// WDL's table for the shared front end's name resolution.
impl FunctionTable for Function {
    fn lookup(name: &str) -> Option<Function> {
        Function::lookup(name)
    }

    fn names() -> impl Iterator<Item = &'static str> {
        Function::names()
    }

    fn name(self) -> &'static str {
        Function::name(self)
    }

    fn arity(self) -> (usize, Option<usize>) {
        Function::arity(self)
    }

    fn unsupported(name: &str) -> Option<(&'static str, &'static str)> {
        UNSUPPORTED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_functions_are_unique_and_disjoint_from_unsupported() {
        let names: HashSet<String> = SPECS.iter().map(|s| s.name.to_ascii_lowercase()).collect();
        assert_eq!(names.len(), SPECS.len());
        let functions: HashSet<Function> = Function::all().collect();
        assert_eq!(functions.len(), SPECS.len());
        for (name, _) in UNSUPPORTED {
            assert!(!names.contains(&name.to_ascii_lowercase()), "{name}");
        }
        for spec in SPECS {
            assert_eq!(Function::lookup(&spec.name.to_uppercase()), Some(spec.function));
            assert_eq!(spec.function.name(), spec.name);
            assert!(spec.max.is_none_or(|max| max >= spec.min));
        }
    }
}
