//! Expressions: `{{ … }}` templates whose insides are JavaScript, run by QuickJS.

pub mod eval;
pub mod js;
pub mod python;
pub mod template;

pub use js::check_code_syntax;
pub use js::check_expression_syntax;
pub use js::{with_sandbox, EvalError, Evaluated, Limits, Sandbox, Scope};
pub use template::{Segment, Template, TemplateError};

/// The names every expression and every `task.code` body can see.
pub const SCOPE_NAMES: [&str; 8] = [
    "$input", "$trigger", "$vars", "$nodes", "$item", "$index", "$run", "$secrets",
];
