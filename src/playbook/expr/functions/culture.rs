//! The cultures (locales) the locale arguments of `float`, `isFloat`, `formatNumber`,
//! `formatDateTime` and `parseDateTime` accept offline: embedded data for the invariant culture
//! and a few common ones (the reference's examples use en-US, de-DE, fr-FR, es-ES and is-IS),
//! taken from .NET's ICU culture data. Any other name is an error that says which cultures are
//! available, never a guess. Names compare ignoring case (`fr-fr`, `fr-FR`); `en` and the other
//! bare languages name their main culture.
//!
//! Numbers parse as .NET's `Double.Parse` with `NumberStyles.Float | AllowThousands` and a
//! trailing sign (the reference lists `float('12345,6,78,-')` = -12345678 among its "unexpectedly
//! valid inputs"): spaces around, a sign before or after, group separators anywhere in the
//! integer part, one decimal separator, an exponent.

/// One culture's data.
#[derive(Debug)]
pub struct Culture {
    pub name: &'static str,
    pub decimal: char,
    pub group: char,
    pub currency: &'static str,
    /// True when the currency symbol follows the number (`17,35 kr`).
    pub currency_after: bool,
    pub days: [&'static str; 7],
    pub days_abbr: [&'static str; 7],
    pub months: [&'static str; 12],
    pub months_abbr: [&'static str; 12],
    pub am: &'static str,
    pub pm: &'static str,
    /// Standard date and time patterns: d, D, t, T, m (month day), y (year month).
    pub short_date: &'static str,
    pub long_date: &'static str,
    pub short_time: &'static str,
    pub long_time: &'static str,
    pub month_day: &'static str,
    pub year_month: &'static str,
}

const EN_DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const EN_DAYS_ABBR: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_MONTHS_ABBR: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// en-US, the default of `formatDateTime`, `formatNumber` and `parseDateTime`.
pub const EN_US: Culture = Culture {
    name: "en-US",
    decimal: '.',
    group: ',',
    currency: "$",
    currency_after: false,
    days: EN_DAYS,
    days_abbr: EN_DAYS_ABBR,
    months: EN_MONTHS,
    months_abbr: EN_MONTHS_ABBR,
    am: "AM",
    pm: "PM",
    short_date: "M/d/yyyy",
    long_date: "dddd, MMMM d, yyyy",
    short_time: "h:mm tt",
    long_time: "h:mm:ss tt",
    month_day: "MMMM d",
    year_month: "MMMM yyyy",
};

/// The invariant culture, the default of `isFloat`.
pub const INVARIANT: Culture = Culture {
    name: "",
    decimal: '.',
    group: ',',
    currency: "¤",
    currency_after: false,
    days: EN_DAYS,
    days_abbr: EN_DAYS_ABBR,
    months: EN_MONTHS,
    months_abbr: EN_MONTHS_ABBR,
    am: "AM",
    pm: "PM",
    short_date: "MM/dd/yyyy",
    long_date: "dddd, dd MMMM yyyy",
    short_time: "HH:mm",
    long_time: "HH:mm:ss",
    month_day: "MMMM dd",
    year_month: "yyyy MMMM",
};

const CULTURES: &[Culture] = &[
    INVARIANT,
    EN_US,
    Culture {
        name: "en-GB",
        currency: "£",
        short_date: "dd/MM/yyyy",
        long_date: "dddd, d MMMM yyyy",
        short_time: "HH:mm",
        long_time: "HH:mm:ss",
        month_day: "d MMMM",
        am: "am",
        pm: "pm",
        ..EN_US
    },
    Culture {
        name: "de-DE",
        decimal: ',',
        group: '.',
        currency: "€",
        currency_after: true,
        days: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        days_abbr: ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        months: [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        months_abbr: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
        am: "AM",
        pm: "PM",
        short_date: "dd.MM.yyyy",
        long_date: "dddd, d. MMMM yyyy",
        short_time: "HH:mm",
        long_time: "HH:mm:ss",
        month_day: "d. MMMM",
        year_month: "MMMM yyyy",
    },
    Culture {
        name: "fr-FR",
        decimal: ',',
        group: '\u{202f}',
        currency: "€",
        currency_after: true,
        days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        days_abbr: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        months: [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        months_abbr: [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
        ],
        am: "AM",
        pm: "PM",
        short_date: "dd/MM/yyyy",
        long_date: "dddd d MMMM yyyy",
        short_time: "HH:mm",
        long_time: "HH:mm:ss",
        month_day: "d MMMM",
        year_month: "MMMM yyyy",
    },
    Culture {
        name: "es-ES",
        decimal: ',',
        group: '.',
        currency: "€",
        currency_after: true,
        days: ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
        days_abbr: ["dom.", "lun.", "mar.", "mié.", "jue.", "vie.", "sáb."],
        months: [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        months_abbr: ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."],
        am: "a. m.",
        pm: "p. m.",
        short_date: "dd/MM/yyyy",
        long_date: "dddd, d 'de' MMMM 'de' yyyy",
        short_time: "H:mm",
        long_time: "H:mm:ss",
        month_day: "d 'de' MMMM",
        year_month: "MMMM 'de' yyyy",
    },
    Culture {
        name: "is-IS",
        decimal: ',',
        group: '.',
        currency: "kr",
        currency_after: true,
        days: ["sunnudagur", "mánudagur", "þriðjudagur", "miðvikudagur", "fimmtudagur", "föstudagur", "laugardagur"],
        days_abbr: ["sun.", "mán.", "þri.", "mið.", "fim.", "fös.", "lau."],
        months: [
            "janúar",
            "febrúar",
            "mars",
            "apríl",
            "maí",
            "júní",
            "júlí",
            "ágúst",
            "september",
            "október",
            "nóvember",
            "desember",
        ],
        months_abbr: ["jan.", "feb.", "mar.", "apr.", "maí", "jún.", "júl.", "ágú.", "sep.", "okt.", "nóv.", "des."],
        am: "f.h.",
        pm: "e.h.",
        short_date: "d.M.yyyy",
        long_date: "dddd, d. MMMM yyyy",
        short_time: "HH:mm",
        long_time: "HH:mm:ss",
        month_day: "d. MMMM",
        year_month: "MMMM yyyy",
    },
];

/// The culture named `name` (ignoring case; `""` and `iv` are the invariant culture, a bare
/// language its main culture), or an error naming the available ones.
pub fn find(name: &str) -> Result<&'static Culture, String> {
    let name = name.trim();
    let wanted = match name.to_ascii_lowercase().as_str() {
        "" | "iv" | "invariant" => "",
        "en" => "en-US",
        "de" => "de-DE",
        "fr" => "fr-FR",
        "es" => "es-ES",
        "is" => "is-IS",
        _ => name,
    };
    CULTURES.iter().find(|c| c.name.eq_ignore_ascii_case(wanted)).ok_or_else(|| {
        let names: Vec<&str> = CULTURES.iter().map(|c| c.name).filter(|n| !n.is_empty()).collect();
        format!(
            "the locale '{name}' is not available offline: the available locales are {} and the invariant culture ('')",
            names.join(", ")
        )
    })
}

/// The names of the available cultures (for the docs).
pub fn names() -> Vec<&'static str> {
    CULTURES.iter().map(|c| c.name).filter(|n| !n.is_empty()).collect()
}

/// Parses a number written in `culture` (see the module doc); `None` when it is not one.
pub fn parse_number(text: &str, culture: &Culture) -> Option<f64> {
    let text = text.trim();
    let (negative, body) = sign(text)?;
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once(culture.decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let group_like = |c: char| c == culture.group || (culture.group == '\u{202f}' && matches!(c, '\u{a0}' | ' '));
    if int_part.starts_with(group_like) {
        return None;
    }
    let digits: String = int_part.chars().filter(|c| !group_like(*c)).collect();
    let fraction = frac_part.unwrap_or_default();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if digits.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut plain = format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, fraction);
    if let Some(e) = exponent {
        let e = e.strip_prefix('+').unwrap_or(e);
        let digits_only = e.strip_prefix('-').unwrap_or(e);
        if digits_only.is_empty() || !digits_only.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        plain.push('e');
        plain.push_str(e);
    }
    let value: f64 = plain.parse().ok()?;
    value.is_finite().then_some(if negative { -value } else { value })
}

/// A leading or a trailing sign (not both).
fn sign(text: &str) -> Option<(bool, &str)> {
    let lead = text.strip_prefix('-').map(|r| (true, r)).or_else(|| text.strip_prefix('+').map(|r| (false, r)));
    let trail = text.strip_suffix('-').map(|r| (true, r)).or_else(|| text.strip_suffix('+').map(|r| (false, r)));
    match (lead, trail) {
        (Some(_), Some(_)) => None,
        (Some((n, rest)), None) | (None, Some((n, rest))) => Some((n, rest.trim())),
        (None, None) => Some((false, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_as_the_reference_shows() {
        let en = &EN_US;
        let cases = [
            ("10,000.333", Some(10000.333)),
            ("12,3,4,5678", Some(12_345_678.0)),
            ("1234567,8+", Some(12_345_678.0)),
            ("12345,6,78,-", Some(-12_345_678.0)),
            ("-12,345,678,", Some(-12_345_678.0)),
            ("12345678.-", Some(-12_345_678.0)),
            (".12345678", Some(0.123_456_78)),
            ("1e3", Some(1000.0)),
            (",5", None),
            ("abc", None),
            ("", None),
            ("-1-", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_number(text, en), want, "{text}");
        }
        let de = find("de-de").unwrap();
        assert_eq!(parse_number("10.000,333", de), Some(10000.333));
        assert!(find("xx-YY").unwrap_err().contains("de-DE"));
        assert_eq!(find("").unwrap().name, "");
    }
}
