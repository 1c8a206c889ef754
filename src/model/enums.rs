//! Closed enums of Sentinel's incident resource, parsed case-insensitively (the API models them
//! as extensible strings; "All conditions are case insensitive", Sentinel docs) and written back
//! in the API's own spelling.

use std::fmt;

/// Generates a closed enum with its canonical spellings and a case-insensitive parser.
macro_rules! sentinel_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the API's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The API's spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses a value case-insensitively; `None` when it is not one of [`Self::ALL`].
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(text.trim()))
            }

            /// The valid spellings, for "expected one of" messages.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

sentinel_enum!(
    /// Incident severity (`IncidentSeverity`).
    Severity { High => "High", Medium => "Medium", Low => "Low", Informational => "Informational" }
);

sentinel_enum!(
    /// Incident status (`IncidentStatus`).
    Status { New => "New", Active => "Active", Closed => "Closed" }
);

sentinel_enum!(
    /// Classification of a closed incident.
    Classification {
        Undetermined => "Undetermined",
        TruePositive => "TruePositive",
        BenignPositive => "BenignPositive",
        FalsePositive => "FalsePositive",
    }
);

sentinel_enum!(
    /// Reason that goes with a classification.
    ClassificationReason {
        SuspiciousActivity => "SuspiciousActivity",
        SuspiciousButExpected => "SuspiciousButExpected",
        IncorrectAlertLogic => "IncorrectAlertLogic",
        InaccurateData => "InaccurateData",
    }
);

sentinel_enum!(
    /// Who made the change that raised an update event (`IncidentUpdatedBySource`). The API's
    /// string values are undocumented; these are the portal's choices (SPEC 1.1), the last
    /// but one for the portal's "Microsoft 365 Defender" (Microsoft Defender XDR), which
    /// onboarding to the Defender portal replaces by Other ([`crate::model::Portal`]).
    UpdatedBySource {
        Application => "Application",
        User => "User",
        AlertGrouping => "AlertGrouping",
        Playbook => "Playbook",
        AutomationRule => "AutomationRule",
        MicrosoftDefenderXdr => "MicrosoftDefenderXDR",
        Other => "Other",
    }
);

impl Classification {
    /// The reasons Sentinel accepts with this classification: the API rejects a closing
    /// without them (`classification 'BenignPositive' must have classificationReason`,
    /// demisto/content#34306; pairs as in Terraform's azurerm_sentinel_automation_rule docs).
    pub fn allowed_reasons(self) -> &'static [ClassificationReason] {
        use ClassificationReason as R;
        match self {
            Classification::Undetermined => &[],
            Classification::TruePositive => &[R::SuspiciousActivity],
            Classification::BenignPositive => &[R::SuspiciousButExpected],
            Classification::FalsePositive => &[R::IncorrectAlertLogic, R::InaccurateData],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_prints_the_api_spelling() {
        assert_eq!(Severity::parse("hIGH"), Some(Severity::High));
        assert_eq!(Severity::parse(" low "), Some(Severity::Low));
        assert_eq!(Severity::parse("Critical"), None);
        assert_eq!(Status::Closed.to_string(), "Closed");
        assert_eq!(
            Classification::FalsePositive.allowed_reasons(),
            &[ClassificationReason::IncorrectAlertLogic, ClassificationReason::InaccurateData]
        );
    }
}
