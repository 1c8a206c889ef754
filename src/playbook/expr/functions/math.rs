//! Math functions. Two integers give an integer (64-bit, overflow is an error); a float on
//! either side gives a float. `div` of integers truncates toward zero and `mod` keeps the
//! dividend's sign, as .NET does (the reference: `div(11, 5)` is 2, `div(11, 5.0)` is 2.2).
//! Dividing by zero is an error for floats too. `range(start, count)` takes a count from 0
//! to 100,000 and `start + count` must stay within 2,147,483,647, as the reference says.
//! `min`/`max` take numbers or one array of numbers. `rand(min, max)` is an integer in
//! [min, max) drawn from the run's seeded sequence, the one `guid()` uses, so a run repeats
//! exactly; `min` > `max` is an error and `min` = `max` gives `min`, as .NET's `Random.Next`.

use serde_json::Value;

use super::{Args, Env};
use crate::playbook::expr::error::{ErrorKind, ExprError};
use crate::playbook::expr::value::Num;

/// The math functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MathFn {
    Add,
    Div,
    Max,
    Min,
    Mod,
    Mul,
    Rand,
    Range,
    Sub,
}

pub fn call(f: MathFn, args: &Args<'_>, env: &mut Env<'_, '_>) -> Result<Value, ExprError> {
    match f {
        MathFn::Rand => {
            let (min, max) = (args.int(0)?, args.int(1)?);
            if min > max {
                return Err(args.invalid(0, format!("The template language function 'rand' expects its first parameter ({min}) to be no larger than its second ({max}).")));
            }
            let span = u128::try_from(i128::from(max) - i128::from(min)).unwrap_or(0);
            if span == 0 {
                return Ok(Value::from(min));
            }
            let offset = i128::try_from(env.ctx.next_guid() % span).unwrap_or(0);
            Ok(Value::from(i64::try_from(i128::from(min) + offset).unwrap_or(min)))
        }
        MathFn::Range => range(args),
        MathFn::Min | MathFn::Max => extreme(f == MathFn::Max, args),
        MathFn::Add | MathFn::Sub | MathFn::Mul | MathFn::Div | MathFn::Mod => {
            let (a, b) = (args.num(0)?, args.num(1)?);
            let zero = match b {
                Num::Int(i) => i == 0,
                Num::Float(x) => x == 0.0,
            };
            if zero && matches!(f, MathFn::Div | MathFn::Mod) {
                return Err(ExprError::new(ErrorKind::DivisionByZero, args.span(1), "Attempted to divide by zero."));
            }
            let result = match (a, b) {
                (Num::Int(x), Num::Int(y)) => match f {
                    MathFn::Add => x.checked_add(y),
                    MathFn::Sub => x.checked_sub(y),
                    MathFn::Mul => x.checked_mul(y),
                    MathFn::Div => x.checked_div(y),
                    _ => x.checked_rem(y),
                }
                .map(Num::Int),
                (x, y) => {
                    let (x, y) = (x.as_f64(), y.as_f64());
                    Some(Num::Float(match f {
                        MathFn::Add => x + y,
                        MathFn::Sub => x - y,
                        MathFn::Mul => x * y,
                        MathFn::Div => x / y,
                        _ => x % y,
                    }))
                }
            };
            result.and_then(Num::to_value).ok_or_else(|| {
                let message = format!("the result of '{}' is outside the range of numbers", args.function.name());
                args.error(ErrorKind::Overflow, message)
            })
        }
    }
}

fn range(args: &Args<'_>) -> Result<Value, ExprError> {
    let (start, count) = (args.int(0)?, args.int(1)?);
    if !(0..=100_000).contains(&count) {
        return Err(args.invalid(1, format!("the count must be between 0 and 100000, not {count}")));
    }
    let end = start.checked_add(count).filter(|end| *end <= i64::from(i32::MAX) + 1);
    let Some(end) = end else {
        return Err(args.invalid(0, "the sum of the start index and the count must not exceed 2147483647"));
    };
    Ok(Value::Array((start..end).map(Value::from).collect()))
}

fn extreme(max: bool, args: &Args<'_>) -> Result<Value, ExprError> {
    let single_array = args.len() == 1 && args.get(0)?.is_array();
    let values: Vec<(Num, &Value)> = if single_array {
        let items = args.array(0)?;
        items
            .iter()
            .map(|v| Num::of(v).map(|n| (n, v)).ok_or_else(|| args.type_error(0, "an array of numbers")))
            .collect::<Result<_, _>>()?
    } else {
        (0..args.len()).map(|i| args.num(i).and_then(|n| Ok((n, args.get(i)?)))).collect::<Result<_, _>>()?
    };
    let mut best: Option<(Num, &Value)> = None;
    for (n, v) in values {
        let better = best.is_none_or(|(b, _)| if max { n.as_f64() > b.as_f64() } else { n.as_f64() < b.as_f64() });
        if better {
            best = Some((n, v));
        }
    }
    best.map(|(_, v)| v.clone()).ok_or_else(|| args.invalid(0, "the array is empty"))
}
