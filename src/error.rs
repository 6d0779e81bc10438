//! Errors carry a stable [`Code`]. The enum is declared in `model` (reports
//! and diagnostics hold it, and `model` imports nothing else of the crate).

pub use crate::model::code::Code;
