//! The code registry: every diagnostic code of every family in one closed enum, [`Code`], with
//! its default severity, a one-line summary and a longer explanation (what triggers it, a small
//! wrong example and its fix, and Sentinel's or Logic Apps' reason where there is one). Each
//! family's table is its own file: [`sr`] automation rule files, [`pb`] playbooks (with their
//! mocks and settings files), [`sj`] Sentinel's JSON and ARM formats, [`st`] rule test files.
//!
//! Codes are stable: an id keeps its meaning forever, and a retired code stays listed (with
//! [`Status::Retired`]) so that it is never given to anything else. SARIF's rule table, JSON
//! output, `validate --explain CODE` and `docs/codes.md` ([`reference`]) all read this registry.
//!
//! Stage: leaf (plain data, no I/O), in the diagnostic layer every other module may import.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

mod ar;
mod pb;
mod reference;
mod rp;
mod sj;
mod sr;
mod st;

pub use reference::{explain, reference};

/// Whether a code is still reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Reported today.
    Active,
    /// Never reported any more (or never was); the id stays taken.
    Retired,
}

/// What the registry says about one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The severity the code is reported with.
    pub severity: Severity,
    pub status: Status,
    /// One line, no final period.
    pub summary: &'static str,
    /// Markdown: paragraphs, and fenced examples of what triggers the code and its fix. The
    /// first paragraph stands alone (SARIF's `fullDescription`).
    pub explanation: &'static str,
}

impl Entry {
    /// A code reported as an error.
    const fn error(summary: &'static str, explanation: &'static str) -> Entry {
        Entry { severity: Severity::Error, status: Status::Active, summary, explanation }
    }

    /// A code reported as a warning.
    const fn warning(summary: &'static str, explanation: &'static str) -> Entry {
        Entry { severity: Severity::Warning, status: Status::Active, summary, explanation }
    }

    /// A code reported as a note (never a problem).
    const fn info(summary: &'static str, explanation: &'static str) -> Entry {
        Entry { severity: Severity::Info, status: Status::Active, summary, explanation }
    }

    /// A code no longer reported; the explanation says why, and what is reported instead.
    const fn retired(summary: &'static str, explanation: &'static str) -> Entry {
        Entry { severity: Severity::Error, status: Status::Retired, summary, explanation }
    }
}

/// A family of codes: the two letters every id of the family starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Automation rule files (YAML, and Sentinel JSON once decoded).
    Sr,
    /// Playbooks (YAML and Logic Apps JSON), mocks and settings files, and playbook runs.
    Pb,
    /// Sentinel's own JSON: REST resources, API examples, ARM templates.
    Sj,
    /// Rule test files.
    St,
    /// Analytic rules.
    Ar,
    /// The files of a content repository as a whole.
    Rp,
}

impl Family {
    /// Every family, in the order the reference lists them.
    pub const ALL: [Family; 6] = [Family::Sr, Family::Pb, Family::Sj, Family::St, Family::Ar, Family::Rp];

    /// The two letters: `SR`, `PB`, `SJ`, `ST`.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Sr => "SR",
            Family::Pb => "PB",
            Family::Sj => "SJ",
            Family::St => "ST",
            Family::Ar => "AR",
            Family::Rp => "RP",
        }
    }

    /// What the family covers, as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Family::Sr => "Automation rule files",
            Family::Pb => "Playbooks, mocks and settings files",
            Family::Sj => "Sentinel JSON and ARM templates",
            Family::St => "Rule test files",
            Family::Ar => "Analytic rules",
            Family::Rp => "Content repository files",
        }
    }

    /// The family's codes, in id order.
    pub fn codes(self) -> impl Iterator<Item = Code> {
        Code::ALL.iter().copied().filter(move |c| c.family() == self)
    }
}

/// Declares [`Code`] from each family's list of ids: the enum, [`Code::ALL`], [`Code::id`],
/// [`Code::family`] and the entry lookup, which reads the constant of the same name in the
/// family's table module (a code without an entry does not compile; an entry without a code is
/// dead code, which the lints refuse).
macro_rules! registry {
    ($($family:ident $table:ident [$($id:ident)*])*) => {
        /// A diagnostic code. Serializes (and displays) as its id, `SR003`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($($id,)*)*
        }

        impl Code {
            /// Every code, families in [`Family::ALL`] order, ids ascending within each.
            pub const ALL: &'static [Code] = &[$($(Code::$id,)*)*];

            /// The id: `SR003`.
            pub fn id(self) -> &'static str {
                match self {
                    $($(Code::$id => stringify!($id),)*)*
                }
            }

            /// The family the code belongs to.
            pub fn family(self) -> Family {
                match self {
                    $($(Code::$id => Family::$family,)*)*
                }
            }

            /// The registry's entry.
            pub fn entry(self) -> &'static Entry {
                match self {
                    $($(Code::$id => &$table::$id,)*)*
                }
            }
        }
    };
}

registry! {
    Sr sr [
        SR001 SR002 SR003 SR004 SR005 SR006 SR007 SR008 SR009 SR010
        SR011 SR012 SR013 SR014 SR015 SR016 SR017 SR018 SR019 SR020
        SR021 SR022 SR023 SR024 SR025 SR026 SR027 SR028 SR029 SR030
        SR031 SR032 SR033 SR034 SR035 SR036 SR037 SR038 SR039 SR040
        SR041 SR042 SR043 SR044 SR045 SR046
    ]
    Pb pb [
        PB001 PB002 PB003 PB004 PB005 PB006 PB007 PB008 PB009 PB010
        PB011 PB012 PB013 PB014 PB015 PB016 PB017 PB018 PB019 PB020
        PB021 PB022 PB023 PB024 PB025 PB026
        PB040 PB041 PB042 PB043 PB044
    ]
    Sj sj [
        SJ001 SJ002 SJ003 SJ004 SJ005 SJ006 SJ007 SJ008 SJ009 SJ010
        SJ011 SJ012 SJ013 SJ014 SJ015 SJ016 SJ017 SJ018
    ]
    St st [
        ST001 ST002 ST003 ST004 ST005 ST006 ST007 ST008 ST009
    ]
    Ar ar [
        AR001 AR002 AR003 AR004 AR005 AR006 AR007
    ]
    Rp rp [
        RP001 RP002 RP003 RP004 RP005 RP006
    ]
}

impl Code {
    /// The severity the code is reported with.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// The one-line summary.
    pub fn summary(self) -> &'static str {
        self.entry().summary
    }

    /// The explanation (Markdown).
    pub fn explanation(self) -> &'static str {
        self.entry().explanation
    }

    /// The explanation's first paragraph.
    pub fn description(self) -> &'static str {
        let text = self.explanation();
        text.split_once("\n\n").map_or(text, |(first, _)| first)
    }

    /// True when the code is no longer reported.
    pub fn is_retired(self) -> bool {
        self.entry().status == Status::Retired
    }

    /// The code with this id, ignoring case (`pb011` is PB011).
    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.id().eq_ignore_ascii_case(id.trim()))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_sorted_within_their_family() {
        let ids: BTreeSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Code::ALL.len(), "an id is listed twice");
        for family in Family::ALL {
            let codes: Vec<Code> = family.codes().collect();
            assert!(!codes.is_empty(), "{family:?}");
            for pair in codes.windows(2) {
                if let [a, b] = pair {
                    assert!(a.id() < b.id(), "{a} before {b}");
                }
            }
            for code in codes {
                let (prefix, digits) = code.id().split_at(2);
                assert_eq!(prefix, family.prefix(), "{code}");
                assert!(digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()), "{code}");
            }
        }
    }

    #[test]
    fn every_entry_has_a_summary_and_an_explanation() {
        for &code in Code::ALL {
            let Entry { summary, explanation, .. } = *code.entry();
            assert!(!summary.is_empty() && !summary.ends_with('.') && !summary.contains('\n'), "{code}: {summary:?}");
            assert!(summary.chars().next().is_some_and(char::is_uppercase), "{code}: {summary:?}");
            assert!(explanation.len() >= 80, "{code}: the explanation is a stub");
            assert!(!explanation.starts_with(char::is_whitespace) && explanation.ends_with('\n'), "{code}");
            assert!(!explanation.contains("\n\n\n") && !explanation.ends_with("\n\n"), "{code}");
            // SARIF's fullDescription is the first paragraph; GitHub takes up to 1,000 characters.
            assert!(code.description().len() <= 1000 && !code.description().starts_with("```"), "{code}");
            // Fenced examples are closed.
            assert_eq!(explanation.matches("```").count() % 2, 0, "{code}");
        }
    }

    #[test]
    fn ids_parse_ignoring_case_and_serialize_as_themselves() {
        assert_eq!(Code::from_id("pb011"), Some(Code::PB011));
        assert_eq!(Code::from_id(" SR003 "), Some(Code::SR003));
        assert_eq!(Code::from_id("SR3"), None);
        assert_eq!(Code::from_id("PB030"), None);
        assert_eq!(serde_json::to_string(&Code::SJ001).ok().as_deref(), Some("\"SJ001\""));
        assert_eq!(Code::ST004.to_string(), "ST004");
    }

    #[test]
    fn retired_codes_stay_listed() {
        let retired: Vec<&str> = Code::ALL.iter().filter(|c| c.is_retired()).map(|c| c.id()).collect();
        assert_eq!(retired, ["SR034", "PB019"]);
    }
}
