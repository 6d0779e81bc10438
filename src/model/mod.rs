//! The workflow format and everything that crosses to the UI.
//!
//! Every type here derives serde, ts-rs `TS` (exported to `ui/src/bindings/`)
//! and, for the file format, schemars `JsonSchema` (`flowbench schema`).

pub mod bindings;
pub mod catalogue;
pub mod config;
pub mod diagnostic;
pub mod mock;
pub mod report;
pub mod workflow;

pub use catalogue::{Category, ConfigField, NodeKind, NodeTypeSpec};
pub use diagnostic::{Diagnostic, Severity};
pub use mock::{Decision, Mock};
pub use report::*;
pub use workflow::{Edge, Node, OnError, Position, Retry, Workflow, FORMAT_VERSION};
