//! The colour choice, made once per run: `--color auto|always|never`. `auto` colours a stream
//! when it is a terminal and `NO_COLOR` is unset or empty (no-color.org); `always` and `never`
//! override both. The result is passed down to whatever renders diagnostics or test results.

use std::io::IsTerminal;

use clap::ValueEnum;

/// `--color`, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always, even in a pipe or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}

/// Whether each output stream gets ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Color {
    pub stdout: bool,
    pub stderr: bool,
}

impl Color {
    /// Decides for both streams from the choice, `NO_COLOR` and the terminals.
    pub fn resolve(choice: ColorChoice) -> Color {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Color::decide(choice, no_color, std::io::stdout().is_terminal(), std::io::stderr().is_terminal())
    }

    fn decide(choice: ColorChoice, no_color: bool, stdout_terminal: bool, stderr_terminal: bool) -> Color {
        match choice {
            ColorChoice::Always => Color { stdout: true, stderr: true },
            ColorChoice::Never => Color { stdout: false, stderr: false },
            ColorChoice::Auto => Color { stdout: stdout_terminal && !no_color, stderr: stderr_terminal && !no_color },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_needs_a_terminal_and_no_no_color_while_always_and_never_decide_alone() {
        assert_eq!(Color::decide(ColorChoice::Auto, false, true, false), Color { stdout: true, stderr: false });
        assert_eq!(Color::decide(ColorChoice::Auto, true, true, true), Color { stdout: false, stderr: false });
        assert_eq!(Color::decide(ColorChoice::Always, true, false, false), Color { stdout: true, stderr: true });
        assert_eq!(Color::decide(ColorChoice::Never, false, true, true), Color { stdout: false, stderr: false });
    }
}
