//! `formatNumber(number, format, locale?)`: .NET's `number.ToString(format, culture)`, en-US by
//! default. Standard formats `C D E F G N P R X` with an optional precision; custom patterns
//! with `0` (digit or zero), `#` (digit), `.`, `,` (grouping between digits, scaling by 1000
//! right before the point), `%` (×100), `‰` (×1000), `E0`/`E+0`/`e-0` exponents, `;`
//! sections (positive;negative;zero), `'quoted'` and `\` literals. Midpoints round away from
//! zero, as .NET does. `formatNumber(1234567890, '#,##0.00', 'en-US')` = "1,234,567,890.00",
//! `formatNumber(17.35, 'C2', 'is-IS')` = "17,35 kr".

use serde_json::Value;

use super::culture::{find, Culture, EN_US};
use super::Args;
use crate::playbook::expr::error::ExprError;
use crate::playbook::expr::value::Num;

pub fn call(args: &Args<'_>) -> Result<Value, ExprError> {
    let number = args.num(0)?;
    let pattern = args.str(1)?;
    let culture = match args.opt_str(2)? {
        Some(name) => find(name).map_err(|m| args.invalid(2, m))?,
        None => &EN_US,
    };
    format(number, pattern, culture).map(Value::String).map_err(|m| args.invalid(1, m))
}

/// Formats `number` with a standard or custom numeric format string.
pub fn format(number: Num, pattern: &str, k: &Culture) -> Result<String, String> {
    let mut chars = pattern.chars();
    if let Some(letter) = chars.next().filter(char::is_ascii_alphabetic) {
        let digits = chars.as_str();
        if digits.chars().all(|c| c.is_ascii_digit()) && digits.len() <= 3 {
            let precision = if digits.is_empty() { None } else { digits.parse::<usize>().ok() };
            if let Some(text) = standard(number, letter, precision, k)? {
                return Ok(text);
            }
        }
    }
    Ok(custom(number.as_f64(), pattern, k))
}

/// Rounds half away from zero to `decimals` and writes the digits (no sign, no grouping).
fn fixed(x: f64, decimals: usize) -> String {
    let scale = 10f64.powi(i32::try_from(decimals.min(15)).unwrap_or(15));
    let rounded = (x.abs() * scale).round() / scale;
    format!("{rounded:.decimals$}")
}

fn group(int_digits: &str, k: &Culture) -> String {
    let mut out = String::new();
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i) % 3 == 0 {
            out.push(k.group);
        }
        out.push(c);
    }
    out
}

/// `1234.5` as "1,234.50" in `k` (grouped or not).
fn number_text(x: f64, decimals: usize, grouped: bool, k: &Culture) -> String {
    let digits = fixed(x, decimals);
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int = if grouped { group(int, k) } else { int.to_owned() };
    if frac.is_empty() {
        int
    } else {
        format!("{int}{}{frac}", k.decimal)
    }
}

fn standard(number: Num, letter: char, precision: Option<usize>, k: &Culture) -> Result<Option<String>, String> {
    let x = number.as_f64();
    let minus =
        if x < 0.0 && fixed(x, precision.unwrap_or(2)).chars().any(|c| matches!(c, '1'..='9')) { "-" } else { "" };
    let integer = || match number {
        Num::Int(i) => Ok(i),
        Num::Float(_) => Err(format!("the format '{letter}' needs an integer")),
    };
    Ok(Some(match letter.to_ascii_uppercase() {
        'C' => {
            let n = number_text(x, precision.unwrap_or(2), true, k);
            if k.currency_after {
                format!("{minus}{n} {}", k.currency)
            } else {
                format!("{minus}{}{n}", k.currency)
            }
        }
        'D' => {
            let i = integer()?;
            let width = precision.unwrap_or(0);
            format!("{}{:0width$}", if i < 0 { "-" } else { "" }, i.unsigned_abs())
        }
        'E' => {
            let p = precision.unwrap_or(6);
            let text = format!("{:.p$e}", x.abs());
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let e: i32 = exponent.parse().unwrap_or(0);
            let mantissa = mantissa.replace('.', &k.decimal.to_string());
            let sign = if e < 0 { '-' } else { '+' };
            format!("{minus}{mantissa}{}{sign}{:03}", if letter == 'e' { 'e' } else { 'E' }, e.unsigned_abs())
        }
        'F' => format!("{minus}{}", number_text(x, precision.unwrap_or(2), false, k)),
        'N' => format!("{minus}{}", number_text(x, precision.unwrap_or(2), true, k)),
        'P' => {
            let n = number_text(x * 100.0, precision.unwrap_or(2), true, k);
            let minus = if x < 0.0 && n.chars().any(|c| matches!(c, '1'..='9')) { "-" } else { "" };
            format!("{minus}{n}{}%", if k.currency_after { "\u{a0}" } else { "" })
        }
        'G' | 'R' => {
            let text = match (number, precision) {
                (Num::Int(i), _) => i.to_string(),
                (_, Some(p)) if p > 0 && letter.eq_ignore_ascii_case(&'G') => {
                    let e = format!("{:.*e}", p - 1, x);
                    e.parse::<f64>().map_or(e, |v| v.to_string())
                }
                _ => x.to_string(),
            };
            text.replace('.', &k.decimal.to_string())
        }
        'X' => {
            let i = integer()?;
            let width = precision.unwrap_or(0);
            if letter == 'x' {
                format!("{i:0width$x}")
            } else {
                format!("{i:0width$X}")
            }
        }
        _ => return Ok(None),
    }))
}

/// A custom numeric format string.
fn custom(x: f64, pattern: &str, k: &Culture) -> String {
    let sections = split_sections(pattern);
    let (section, x, force_minus) = match sections.as_slice() {
        [pos, neg, ..] if x < 0.0 => (neg.as_str(), -x, false),
        [_, _, zero] if x == 0.0 => (zero.as_str(), x, false),
        [one, ..] => (one.as_str(), x, x < 0.0),
        [] => ("", x, x < 0.0),
    };
    let chars: Vec<char> = section.chars().collect();
    // Layout: literal pieces and placeholders, split at the decimal point.
    let point = chars.iter().position(|&c| c == '.');
    let placeholder = |c: &char| matches!(c, '0' | '#');
    let int_part: &[char] = chars.get(..point.unwrap_or(chars.len())).unwrap_or_default();
    let frac_part: &[char] = point.and_then(|p| chars.get(p + 1..)).unwrap_or_default();
    let exponent_at = frac_part.iter().position(|c| matches!(c, 'E' | 'e'));
    let (frac_part, exp_part): (&[char], &[char]) = match exponent_at {
        Some(e) => (frac_part.get(..e).unwrap_or_default(), frac_part.get(e..).unwrap_or_default()),
        None => (frac_part, &[]),
    };
    let mut value = x;
    if section.contains('%') {
        value *= 100.0;
    }
    if section.contains('‰') {
        value *= 1000.0;
    }
    // Commas right before the point (or the end of the integer part) scale by 1000 each.
    let last_placeholder = int_part.iter().rposition(placeholder);
    let trailing_commas = last_placeholder
        .map_or(0, |l| int_part.get(l + 1..).unwrap_or_default().iter().take_while(|c| **c == ',').count());
    let int_placeholders = int_part.iter().filter(|c| placeholder(c)).count();
    if int_placeholders > 0 {
        for _ in 0..trailing_commas {
            value /= 1000.0;
        }
    }
    let grouped = {
        let first = int_part.iter().position(placeholder);
        let last = int_part.iter().rposition(placeholder);
        matches!((first, last), (Some(f), Some(l)) if int_part.get(f..l).is_some_and(|s| s.contains(&',')))
    };
    let min_int = int_part.iter().skip_while(|c| **c != '0').filter(|c| placeholder(c)).count();
    let min_frac = frac_part.iter().rposition(|c| *c == '0').map_or(0, |p| p + 1);
    let max_frac = frac_part.iter().filter(|c| placeholder(c)).count();
    let mut exponent_text = String::new();
    if let Some(&e) = exp_part.first() {
        let sign_always = exp_part.get(1) == Some(&'+');
        let digits = exp_part.iter().filter(|c| **c == '0').count().max(1);
        let exp = if value == 0.0 { 0 } else { value.abs().log10().floor() as i32 - (min_int.max(1) as i32 - 1) };
        value /= 10f64.powi(exp);
        let sign = if exp < 0 {
            "-"
        } else if sign_always {
            "+"
        } else {
            ""
        };
        exponent_text = format!("{e}{sign}{:0digits$}", exp.unsigned_abs());
    }
    let digits = fixed(value, max_frac);
    let (int_digits, frac_digits) = digits.split_once('.').unwrap_or((&digits, ""));
    let frac_digits = frac_digits.trim_end_matches('0');
    let frac_digits: String =
        frac_digits.chars().chain(std::iter::repeat('0')).take(min_frac.max(frac_digits.len())).collect();
    let int_digits = int_digits.trim_start_matches('0');
    let int_digits: String = if int_digits.len() < min_int {
        format!("{}{int_digits}", "0".repeat(min_int - int_digits.len()))
    } else {
        int_digits.to_owned()
    };
    let int_text = if grouped { group(&int_digits, k) } else { int_digits };
    let mut out = String::new();
    if force_minus && (int_text.chars().chain(frac_digits.chars()).any(|c| c != '0' && c.is_ascii_digit())) {
        out.push('-');
    }
    // The integer digits go where the first integer placeholder is; literals keep their places.
    let mut placed = false;
    let mut i = 0;
    while let Some(&c) = int_part.get(i) {
        match c {
            '0' | '#' | ',' => {
                if !placed && (placeholder(&c) || int_part.get(i..).is_some_and(|r| r.iter().any(placeholder))) {
                    out.push_str(&int_text);
                    placed = true;
                }
            }
            _ => i += literal(int_part, i, &mut out) - 1,
        }
        i += 1;
    }
    if !frac_digits.is_empty() {
        out.push(k.decimal);
        out.push_str(&frac_digits);
    }
    let mut i = 0;
    while let Some(&c) = frac_part.get(i) {
        if !placeholder(&c) && c != ',' {
            i += literal(frac_part, i, &mut out) - 1;
        }
        i += 1;
    }
    out.push_str(&exponent_text);
    out
}

/// Copies the literal at `chars[i]` (a quoted run, an escape or one character) to `out`;
/// returns how many characters it took.
fn literal(chars: &[char], i: usize, out: &mut String) -> usize {
    match chars.get(i) {
        Some(&q @ ('\'' | '"')) => {
            let len = chars.get(i + 1..).and_then(|r| r.iter().position(|&c| c == q)).unwrap_or(chars.len() - i - 1);
            out.extend(chars.get(i + 1..i + 1 + len).unwrap_or_default());
            len + 2
        }
        Some('\\') => {
            out.extend(chars.get(i + 1));
            2
        }
        Some(&c) => {
            out.push(c);
            1
        }
        None => 1,
    }
}

fn split_sections(pattern: &str) -> Vec<String> {
    let mut sections = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
        } else if quote.is_some_and(|q| q == c) {
            quote = None;
        } else if quote.is_none() {
            match c {
                '\\' => escaped = true,
                '\'' | '"' => quote = Some(c),
                ';' => {
                    sections.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
        }
        current.push(c);
    }
    sections.push(current);
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64, pattern: &str, locale: &str) -> String {
        format(Num::Float(x), pattern, find(locale).unwrap()).unwrap()
    }

    #[test]
    fn the_references_examples_and_common_formats() {
        assert_eq!(format(Num::Int(1_234_567_890), "#,##0.00", &EN_US).unwrap(), "1,234,567,890.00");
        assert_eq!(f(1_234_567_890.0, "#,##0.00", "is-IS"), "1.234.567.890,00");
        assert_eq!(f(17.35, "C2", "en-US"), "$17.35");
        assert_eq!(f(17.35, "C2", "is-IS"), "17,35 kr");
        assert_eq!(f(2.5, "F0", "en-US"), "3");
        assert_eq!(f(1234.5678, "N1", "de-DE"), "1.234,6");
        assert_eq!(f(0.1234, "P1", "en-US"), "12.3%");
        assert_eq!(f(1234.5, "E2", "en-US"), "1.23E+003");
        assert_eq!(format(Num::Int(42), "D5", &EN_US).unwrap(), "00042");
        assert_eq!(format(Num::Int(255), "X4", &EN_US).unwrap(), "00FF");
        assert_eq!(f(-5.0, "#0.0;(#0.0)", "en-US"), "(5.0)");
        assert_eq!(f(0.5, "0.##", "en-US"), "0.5");
        assert_eq!(f(1_500_000.0, "#,##0,,'M'", "en-US"), "2M");
        assert_eq!(f(-12.0, "#", "en-US"), "-12");
        assert_eq!(f(12.0, "Value: 00", "en-US"), "Value: 12");
    }
}
