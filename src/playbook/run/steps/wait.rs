//! `Wait` (Delay / Delay until): advances the simulated clock by `interval: {count, unit}`
//! (unit Second, Minute, Hour, Day, Week or Month) or to `until: {timestamp}` when that is
//! later. Nothing sleeps.

use chrono::{DateTime, Duration, Months, Utc};
use serde_json::Value;

use crate::playbook::model::{codes, Action, Input};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a `Wait` action.
pub fn wait(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    let inputs = match run.render(action, input) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let now = run.now();
    match target(&inputs, now) {
        Ok(at) => {
            run.ctx.now = at.max(now);
            StepOutcome::ok(Some(inputs), None)
        }
        Err(message) => {
            let at = run.playbook.source.position(action.span);
            StepOutcome::failed(
                Some(inputs),
                ErrorInfo::new("BadRequest", message).with_diagnostic(codes::BAD_INPUT, Some(at)),
            )
        }
    }
}

fn target(inputs: &Value, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Some(until) = inputs.get("until") {
        let text = until.get("timestamp").and_then(Value::as_str).unwrap_or_default();
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("'{text}' is not a timestamp (RFC 3339)"));
    }
    let interval = inputs.get("interval").ok_or("a Wait needs `interval` or `until`")?;
    let count = interval
        .get("count")
        .and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.trim().parse().ok())))
        .filter(|c| *c >= 0)
        .ok_or("`interval.count` must be a whole number of at least 0")?;
    let unit = interval.get("unit").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    let seconds = match unit.as_str() {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        "week" => 604_800,
        "month" => {
            let months = u32::try_from(count).map_err(|_| "`interval.count` is too large")?;
            return now.checked_add_months(Months::new(months)).ok_or_else(|| "the wait goes past the calendar".into());
        }
        _ => return Err(format!("'{unit}' is not a unit: Second, Minute, Hour, Day, Week or Month")),
    };
    count
        .checked_mul(seconds)
        .and_then(|s| now.checked_add_signed(Duration::seconds(s)))
        .ok_or_else(|| "the wait goes past the calendar".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::model::step::WAIT_UNITS;

    #[test]
    fn every_documented_unit_is_accepted() {
        let now: DateTime<Utc> = "2026-06-01T00:00:00Z".parse().unwrap_or_default();
        for unit in WAIT_UNITS {
            let inputs = serde_json::json!({"interval": {"count": 1, "unit": unit}});
            assert!(target(&inputs, now).is_ok_and(|at| at > now), "{unit}");
        }
        assert!(target(&serde_json::json!({"interval": {"count": 1, "unit": "Fortnight"}}), now).is_err());
    }
}
