//! Condition operators: Sentinel's eight (`AutomationRulePropertyConditionSupportedOperator`)
//! and this tool's extensions (Matches / NotMatches over a linear-time regex engine, InCidr /
//! NotInCidr over IPv4 and IPv6). Values are compiled once into a [`Matcher`].
//!
//! Semantics (SPEC 2, API enum descriptions): comparisons ignore case ("All conditions are case
//! insensitive", Sentinel docs), Unicode-aware; several values mean any-of for a positive
//! operator; a negative operator is the negation of its positive form (none-of).

use std::borrow::Cow;
use std::net::IpAddr;

use ipnet::IpNet;
use regex::{RegexSet, RegexSetBuilder};

/// The positive form of an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseOp {
    Equals,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    InCidr,
}

impl BaseOp {
    /// True for Sentinel's own operators (deployable).
    pub fn is_sentinel(self) -> bool {
        !matches!(self, BaseOp::Matches | BaseOp::InCidr)
    }
}

/// An operator: its positive form and whether it is negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub base: BaseOp,
    pub negated: bool,
}

/// Every operator name, positive then negative, in Sentinel's order then the extensions.
pub const NAMES: &[(&str, BaseOp, bool)] = &[
    ("Equals", BaseOp::Equals, false),
    ("NotEquals", BaseOp::Equals, true),
    ("Contains", BaseOp::Contains, false),
    ("NotContains", BaseOp::Contains, true),
    ("StartsWith", BaseOp::StartsWith, false),
    ("NotStartsWith", BaseOp::StartsWith, true),
    ("EndsWith", BaseOp::EndsWith, false),
    ("NotEndsWith", BaseOp::EndsWith, true),
    ("Matches", BaseOp::Matches, false),
    ("NotMatches", BaseOp::Matches, true),
    ("InCidr", BaseOp::InCidr, false),
    ("NotInCidr", BaseOp::InCidr, true),
];

impl Operator {
    /// Parses an operator name case-insensitively.
    pub fn parse(name: &str) -> Option<Operator> {
        NAMES
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|&(_, base, negated)| Operator { base, negated })
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        NAMES.iter().find(|(_, b, n)| *b == self.base && *n == self.negated).map_or("Equals", |(name, _, _)| name)
    }
}

/// Largest compiled regex program, in bytes (regex's `size_limit`): a rule pack must not be
/// able to make the engine allocate without bound.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The compiled values of a leaf.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// Case-folded needles for Equals / Contains / StartsWith / EndsWith.
    Text {
        base: BaseOp,
        needles: Vec<String>,
    },
    /// One case-insensitive set for all patterns.
    Regex(RegexSet),
    Cidr(Vec<IpNet>),
}

/// Lower-cases for comparison, borrowing when the text is already lower-case ASCII.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Why a value could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// Index of the bad value (for the span).
    pub index: usize,
    pub message: String,
}

/// Parses a CIDR range; a bare address is a one-address range.
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    text.parse::<IpAddr>().map(IpNet::from).map_err(|_| format!("`{text}` is not an IPv4 or IPv6 CIDR range"))
}

impl Matcher {
    /// Compiles the values of a leaf for `base`.
    pub fn compile(base: BaseOp, values: &[String]) -> Result<Matcher, ValueError> {
        match base {
            BaseOp::Matches => {
                for (index, v) in values.iter().enumerate() {
                    regex::RegexBuilder::new(v)
                        .case_insensitive(true)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .build()
                        .map_err(|e| ValueError { index, message: regex_message(&e) })?;
                }
                RegexSetBuilder::new(values)
                    .case_insensitive(true)
                    .size_limit(REGEX_SIZE_LIMIT * values.len().max(1))
                    .build()
                    .map(Matcher::Regex)
                    .map_err(|e| ValueError { index: 0, message: regex_message(&e) })
            }
            BaseOp::InCidr => values
                .iter()
                .enumerate()
                .map(|(index, v)| parse_cidr(v).map_err(|message| ValueError { index, message }))
                .collect::<Result<Vec<_>, _>>()
                .map(Matcher::Cidr),
            _ => Ok(Matcher::Text { base, needles: values.iter().map(|v| fold(v).into_owned()).collect() }),
        }
    }

    /// True when `candidate` satisfies the positive operator for some value.
    pub fn matches(&self, candidate: &str) -> bool {
        match self {
            Matcher::Text { base, needles } if candidate.is_ascii() => {
                // Fast path without allocation: needles are lower-cased already, and a needle
                // with non-ASCII letters cannot match ASCII text.
                let c = candidate.as_bytes();
                match base {
                    BaseOp::Equals => needles.iter().any(|n| c.eq_ignore_ascii_case(n.as_bytes())),
                    BaseOp::Contains => needles.iter().any(|n| contains_ascii_ci(c, n.as_bytes())),
                    BaseOp::StartsWith => {
                        needles.iter().any(|n| c.get(..n.len()).is_some_and(|p| p.eq_ignore_ascii_case(n.as_bytes())))
                    }
                    BaseOp::EndsWith => needles.iter().any(|n| {
                        c.len() >= n.len()
                            && c.get(c.len() - n.len()..).is_some_and(|p| p.eq_ignore_ascii_case(n.as_bytes()))
                    }),
                    BaseOp::Matches | BaseOp::InCidr => false,
                }
            }
            Matcher::Text { base, needles } => {
                let folded = fold(candidate);
                let c = folded.as_ref();
                match base {
                    BaseOp::Equals => needles.iter().any(|n| c == n),
                    BaseOp::Contains => needles.iter().any(|n| c.contains(n.as_str())),
                    BaseOp::StartsWith => needles.iter().any(|n| c.starts_with(n.as_str())),
                    BaseOp::EndsWith => needles.iter().any(|n| c.ends_with(n.as_str())),
                    BaseOp::Matches | BaseOp::InCidr => false,
                }
            }
            Matcher::Regex(set) => set.is_match(candidate),
            Matcher::Cidr(nets) => match candidate.trim().parse::<IpAddr>() {
                Ok(addr) => nets.iter().any(|n| n.contains(&addr)),
                Err(_) => false,
            },
        }
    }
}

/// Case-insensitive substring test over ASCII bytes; `needle` is lower-case. The places its
/// first byte (in either case) occurs are found with `memchr2`, many bytes at a time; a place
/// whose byte under the needle's last one differs is passed over before the whole is compared
/// (long needles such as rule ids share long prefixes and differ at the end).
fn contains_ascii_ci(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let Some(starts) = haystack.len().checked_sub(needle.len()).and_then(|last| haystack.get(..=last)) else {
        return false;
    };
    let last = needle.len() - 1;
    let end = needle.last().copied().unwrap_or(first);
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), starts).any(|i| {
        haystack.get(i + last).is_some_and(|b| b.to_ascii_lowercase() == end)
            && haystack.get(i + 1..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

fn regex_message(err: &regex::Error) -> String {
    match err {
        regex::Error::CompiledTooBig(limit) => format!("the regex compiles to more than {limit} bytes"),
        other => other.to_string().lines().last().unwrap_or("invalid regex").trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(base: BaseOp, values: &[&str]) -> Matcher {
        Matcher::compile(base, &values.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn text_operators_ignore_case_including_unicode() {
        assert!(m(BaseOp::Equals, &["ADMIN"]).matches("admin"));
        assert!(m(BaseOp::Contains, &["ÉQUIPE"]).matches("Alerte équipe rouge"));
        assert!(m(BaseOp::StartsWith, &["pt-"]).matches("PT-07"));
        assert!(m(BaseOp::EndsWith, &[".EXE"]).matches("mimikatz.exe"));
        assert!(!m(BaseOp::Equals, &["adm"]).matches("admin"));
    }

    #[test]
    fn contains_finds_the_needle_anywhere_ignoring_ascii_case() {
        let hay = b"Suspicious PowerShell -EncodedCommand from DC01";
        for needle in ["suspicious", "powershell -enc", "dc01", "s", "from dc01", ""] {
            assert!(contains_ascii_ci(hay, needle.as_bytes()), "{needle}");
        }
        for needle in ["dc011", "xsuspicious", "powershell  -enc", "z"] {
            assert!(!contains_ascii_ci(hay, needle.as_bytes()), "{needle}");
        }
        assert!(!contains_ascii_ci(b"ab", b"abc"));
        assert!(contains_ascii_ci(b"-1", b"-1"));
    }

    #[test]
    fn regex_and_cidr() {
        assert!(m(BaseOp::Matches, &[r"^dc\d+$"]).matches("DC01"));
        let cidr = m(BaseOp::InCidr, &["10.99.0.0/16", "2001:db8::/32", "192.0.2.7"]);
        assert!(cidr.matches("10.99.4.20"));
        assert!(cidr.matches("2001:DB8:1::5"));
        assert!(cidr.matches("192.0.2.7"));
        assert!(!cidr.matches("10.98.0.1"));
        assert!(!cidr.matches("not an ip"));
        let err = Matcher::compile(BaseOp::InCidr, &["10.0.0.0/8".into(), "10.0.0/33".into()]).unwrap_err();
        assert_eq!(err, ValueError { index: 1, message: "`10.0.0/33` is not an IPv4 or IPv6 CIDR range".into() });
        let err = Matcher::compile(BaseOp::Matches, &["(".into()]).unwrap_err();
        assert_eq!(err.message, "error: unclosed group");
        let err = Matcher::compile(BaseOp::Matches, &["\\w{1000}{1000}".into()]).unwrap_err();
        assert_eq!(err.message, format!("the regex compiles to more than {REGEX_SIZE_LIMIT} bytes"));
    }

    #[test]
    fn operator_names_round_trip() {
        for (name, _, _) in NAMES {
            assert_eq!(Operator::parse(&name.to_uppercase()).map(Operator::name), Some(*name));
        }
        assert_eq!(Operator::parse("Like"), None);
    }
}
