//! Flowbench: the engine library behind the desktop app and the `flowbench` CLI.
//!
//! - [`model`]: the workflow format, the node catalogue, run reports and events;
//! - [`file`]: loading and saving workflow files, exactly and atomically;
//! - [`validate`]: graph checks that return diagnostics and never panic;
//! - [`expr`]: `{{ }}` templates and the sandboxed JavaScript engine.

pub mod api;
pub mod bindings;
pub mod engine;
pub mod error;
pub mod expr;
pub mod file;
pub mod import;
pub mod model;
pub mod nodes;
pub mod sandbox_alloc;
pub mod schema;
pub mod service;
pub mod store;
pub mod testing;
pub mod validate;
pub mod workspace;
