//! The QuickJS side of expressions: compiling (for validation) without running.
//!
//! Checking uses the `Function` constructor, which compiles a body into a
//! function object and does not run it, with the same parameter list the
//! executor passes, so validation and execution agree on what is valid.

use rquickjs::{CatchResultExt, Context, Function, Runtime};
use std::cell::RefCell;

/// The parameter list of every compiled expression and code body.
pub const PARAMS: &str = "$input, $trigger, $vars, $nodes, $item, $index, $run, $secrets, console";

/// The function body an expression compiles to.
pub fn expression_body(expr: &str) -> String {
    // The newline keeps a trailing `// comment` from swallowing the parenthesis.
    format!("return (\n{expr}\n);")
}

thread_local! {
    static CHECKER: RefCell<Option<Context>> = const { RefCell::new(None) };
}

fn with_checker<R>(f: impl FnOnce(&Context) -> R) -> R {
    CHECKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let rt = Runtime::new().expect("QuickJS runtime");
            rt.set_memory_limit(64 * 1024 * 1024);
            *slot = Some(Context::full(&rt).expect("QuickJS context"));
        }
        f(slot.as_ref().expect("set above"))
    })
}

/// Compiles a function body; the error is QuickJS's message.
fn compile_body(body: &str) -> Result<(), String> {
    with_checker(|context| {
        context.with(|ctx| {
            let constructor: Function = ctx.globals().get("Function").map_err(|e| e.to_string())?;
            constructor
                .call::<_, rquickjs::Value>((PARAMS, body))
                .catch(&ctx)
                .map(|_| ())
                .map_err(|e| clean_message(&e.to_string()))
        })
    })
}

/// QuickJS's message without the stack trace it appends.
pub fn clean_message(message: &str) -> String {
    let first = message
        .lines()
        .next()
        .unwrap_or(message)
        .trim()
        .trim_start_matches("Error: ");
    first.to_string()
}

/// Checks that a `{{ }}` expression's JavaScript compiles.
pub fn check_expression_syntax(expr: &str) -> Result<(), String> {
    compile_body(&expression_body(expr))
}

/// Checks that a `task.code` body compiles.
pub fn check_code_syntax(code: &str) -> Result<(), String> {
    compile_body(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_expressions() {
        assert!(check_expression_syntax("$input.items.length > 0").is_ok());
        assert!(check_expression_syntax("1 + // comment").is_err());
        let err = check_expression_syntax("$input.items.(").unwrap_err();
        assert_eq!(err, "expecting field name");
    }

    #[test]
    fn code_is_compiled_not_run() {
        // Running this would never end; compiling it is instant.
        assert!(check_code_syntax("while (true) {}").is_ok());
        assert!(check_code_syntax("return $input.filter(x => x > 1);").is_ok());
        assert!(check_code_syntax("return {;").is_err());
    }
}
