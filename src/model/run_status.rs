//! [`RunStatus`]: how a playbook run ended, as Logic Apps names a run's status. The run log,
//! the engine's run records, the dry-run report and the run history all carry it; it is written
//! as the bare name (`"Succeeded"`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// How a playbook run ended. A run refused before it started (playbook not loaded, wrong
/// trigger kind, ...) is `Failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunStatus {
    Succeeded,
    Failed,
    Cancelled,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Succeeded => "Succeeded",
            RunStatus::Failed => "Failed",
            RunStatus::Cancelled => "Cancelled",
        }
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RunStatus;

    #[test]
    fn serialized_as_the_bare_name_and_read_back() {
        for status in [RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled] {
            let text = serde_json::to_string(&status).unwrap();
            assert_eq!(text, format!("\"{status}\""));
            assert_eq!(serde_json::from_str::<RunStatus>(&text).unwrap(), status);
        }
        assert!(serde_json::from_str::<RunStatus>("\"Running\"").is_err());
    }
}
