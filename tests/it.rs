//! The integration suite: every file in `tests/` is a module of this one test binary, so the
//! suite links the crate and its dependencies once instead of once per file (45 binaries of up
//! to 150 MB each filled a CI disk). `autotests = false` in Cargo.toml keeps Cargo from also
//! building each file on its own: a new test file is added to the list below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod ci_helpers;
mod common;
mod playbook_helpers;

mod apply_cli;
mod apply_playbooks;
mod bad_input;
mod batch_stream;
mod cases;
mod ci_files;
mod ci_formats;
mod cli_vocabulary;
mod codes;
mod completions_cli;
mod compressed;
mod config_cli;
mod corpus;
mod coverage_cli;
mod defender_portal;
mod determinism;
mod docs;
mod examples;
mod explain_cli;
mod expr_api;
mod expr_budget;
mod expr_cases;
mod expr_corpus;
mod expr_front_end;
mod expr_proptest;
mod history;
mod impact_cli;
mod impact_flags;
mod io_layer;
mod messages_cli;
mod mocks_cli;
mod nothing_lost;
mod order_ties;
mod playbook_alert_cli;
mod playbook_budgets;
mod playbook_cli;
mod playbook_connector;
mod playbook_corpus;
mod playbook_examples;
mod playbook_infer;
mod playbook_mocks;
mod playbook_model;
mod playbook_run;
mod playbook_run_after;
mod playbook_schema;
mod playbook_secrets;
mod playbook_sentinel;
mod playbook_show;
mod playbook_state;
mod playbook_tests;
mod playbook_tests_schema;
mod playbook_yardstick;
mod progress;
mod robustness_props;
mod rules_list_cli;
mod ruletest_cli;
mod ruletest_lib;
mod runs_as_test;
mod schema;
mod sentinel_cli;
mod sentinel_formats;
mod shapes_guarantees;
mod sharding;
mod splice_agreement;
mod suppress;
mod validate_cli;
mod wdl_functions;
mod workspace_cli;
