//! The QuickJS side of expressions: compiling (for validation) without running.
//!
//! Checking uses the `Function` constructor, which compiles a body into a
//! function object and does not run it, with the same parameter list the
//! executor passes, so validation and execution agree on what is valid.

use crate::error::Code;
use rquickjs::{CatchResultExt, Context, Function, Runtime};
use std::cell::RefCell;

/// The parameter list of every compiled expression and code body.
pub const PARAMS: &str =
    "$input, $trigger, $vars, $nodes, $item, $index, $run, $secrets, $response, $page, $record, console";

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

/// Compiles a function body; the error is QuickJS's message. Results are
/// kept per thread: large workflows repeat the same code and expressions,
/// and the canvas validates after every edit.
fn compile_body(body: &str) -> Result<(), String> {
    thread_local! {
        static CHECKED: RefCell<std::collections::HashMap<String, Result<(), String>>> =
            RefCell::new(std::collections::HashMap::new());
    }
    if let Some(known) = CHECKED.with(|c| c.borrow().get(body).cloned()) {
        return known;
    }
    let result = compile_uncached(body);
    CHECKED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(body.to_string(), result.clone());
    });
    result
}

fn compile_uncached(body: &str) -> Result<(), String> {
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

/// What an expression or code body sees. JSON values are converted to
/// JavaScript only for the names the source mentions.
pub struct Scope<'a> {
    pub input: &'a serde_json::Value,
    pub trigger: &'a serde_json::Value,
    pub vars: &'a serde_json::Map<String, serde_json::Value>,
    /// `{id: {output, status}}` of the upstream nodes the source names.
    pub nodes: &'a serde_json::Value,
    pub item: Option<&'a serde_json::Value>,
    pub index: Option<usize>,
    pub run: &'a serde_json::Value,
    /// `$secrets`: `{NAME: value}` of the secrets the workflow reads.
    pub secrets: &'a serde_json::Value,
    /// A `task.http` data step's names: the last page's response, its
    /// 0-based number, and the record a field mapping reads.
    pub response: Option<&'a serde_json::Value>,
    pub page: Option<usize>,
    pub record: Option<&'a serde_json::Value>,
}

/// `$secrets` when a run has none.
pub fn no_secrets() -> &'static serde_json::Value {
    static EMPTY: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| serde_json::Value::Object(Default::default()))
}

impl<'a> Scope<'a> {
    /// A scope with no `forEach` item: for checks, previews, tests and benchmarks.
    pub fn of(
        input: &'a serde_json::Value,
        trigger: &'a serde_json::Value,
        vars: &'a serde_json::Map<String, serde_json::Value>,
        nodes: &'a serde_json::Value,
        run: &'a serde_json::Value,
    ) -> Self {
        Scope {
            input,
            trigger,
            vars,
            nodes,
            item: None,
            index: None,
            run,
            secrets: no_secrets(),
            response: None,
            page: None,
            record: None,
        }
    }
}

/// Limits on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: std::time::Duration,
    pub memory_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: std::time::Duration::from_millis(5_000),
            memory_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What running JavaScript gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: serde_json::Value,
    /// `console` lines: (level, text).
    pub logs: Vec<(crate::model::LogLevel, String)>,
    /// `$vars` after the call, when the code changed it.
    pub vars: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    Thrown(String),
    #[error("timed out after {0} ms")]
    Timeout(u128),
    #[error("memory limit of {0} MiB exceeded")]
    Memory(usize),
    #[error("the result cannot be turned into JSON: {0}")]
    NotJson(String),
    #[error("the run was cancelled")]
    Cancelled,
}

impl EvalError {
    pub fn code(&self) -> Code {
        match self {
            EvalError::Syntax(_) => Code::SyntaxError,
            EvalError::Thrown(_) => Code::ScriptError,
            EvalError::Timeout(_) => Code::ScriptTimeout,
            EvalError::Memory(_) => Code::ScriptMemory,
            EvalError::NotJson(_) => Code::ScriptResult,
            EvalError::Cancelled => Code::Cancelled,
        }
    }
}

/// A QuickJS runtime with limits and a cache of compiled functions. It holds no
/// file, network or process access: QuickJS's core has none, and no module
/// loader or host function that could reach them is installed. One lives on
/// each thread that evaluates (see [`with_sandbox`]), so a simple expression
/// costs a call, not a new engine.
pub struct Sandbox {
    // Fields drop in order: compiled functions before their context and runtime.
    compiled: std::collections::HashMap<String, rquickjs::Persistent<Function<'static>>>,
    context: Context,
    runtime: Runtime,
    watch: std::sync::Arc<std::sync::Mutex<Watch>>,
    memory_limit: usize,
}

/// What the interrupt handler checks while code runs: the time limit, the
/// run's cancel, and whether it stopped the code (so the error says why).
#[derive(Default)]
struct Watch {
    deadline: Option<std::time::Instant>,
    cancel: Option<tokio_util::sync::CancellationToken>,
    stopped: Option<Stop>,
}

#[derive(Clone, Copy, PartialEq)]
enum Stop {
    Deadline,
    Cancel,
}

/// Runs once per sandbox. The console's lines live in a closure, not on the
/// global object. Then every intrinsic reachable from the global object (and
/// the hidden ones: iterator, generator and async prototypes) is frozen, and so
/// is the global object itself: code can still assign a global or a prototype's
/// property without an error (sloppy mode ignores the write), but nothing it
/// writes there is seen by another node, another run or another test case.
const SETUP: &str = include_str!("setup.js");
/// Compiled functions kept per sandbox before the cache starts over.
const CACHE_LIMIT: usize = 4096;

impl Sandbox {
    pub fn new() -> Sandbox {
        let runtime = Runtime::new().expect("QuickJS runtime");
        let context = Context::full(&runtime).expect("QuickJS context");
        context
            .with(|ctx| ctx.eval::<(), _>(SETUP))
            .expect("the sandbox's setup script runs");
        let watch = std::sync::Arc::new(std::sync::Mutex::new(Watch::default()));
        let handler = watch.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            let mut w = handler.lock().expect("watch lock");
            let stop = if w.cancel.as_ref().is_some_and(|c| c.is_cancelled()) {
                Some(Stop::Cancel)
            } else if w.deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                Some(Stop::Deadline)
            } else {
                None
            };
            if stop.is_some() {
                w.stopped = stop;
            }
            stop.is_some()
        })));
        Sandbox {
            runtime,
            context,
            watch,
            compiled: std::collections::HashMap::new(),
            memory_limit: 0,
        }
    }

    /// Lets a run's cancel stop the code this sandbox runs, until cleared.
    pub fn watch_cancel(&mut self, cancel: Option<tokio_util::sync::CancellationToken>) {
        self.watch.lock().expect("watch lock").cancel = cancel;
    }

    /// Evaluates a `{{ }}` expression's JavaScript.
    pub fn eval_expression(
        &mut self,
        expr: &str,
        scope: &Scope,
        limits: Limits,
    ) -> Result<serde_json::Value, EvalError> {
        self.call(&expression_body(expr), scope, limits)
            .map(|e| e.value)
    }

    /// Runs a `task.code` body: its return value, console lines and `$vars` changes.
    pub fn run_code(
        &mut self,
        code: &str,
        scope: &Scope,
        limits: Limits,
    ) -> Result<Evaluated, EvalError> {
        self.call(code, scope, limits)
    }

    fn call(&mut self, body: &str, scope: &Scope, limits: Limits) -> Result<Evaluated, EvalError> {
        if self.memory_limit != limits.memory_bytes {
            self.runtime.set_memory_limit(limits.memory_bytes);
            self.memory_limit = limits.memory_bytes;
        }
        if self.compiled.len() >= CACHE_LIMIT {
            self.compiled.clear();
        }
        {
            let mut w = self.watch.lock().expect("watch lock");
            w.deadline = Some(std::time::Instant::now() + limits.time);
            w.stopped = None;
        }
        let watch = self.watch.clone();
        let compiled = &mut self.compiled;
        let result = self.context.with(|ctx| -> Result<Evaluated, EvalError> {
            let function = match compiled.get(body) {
                Some(f) => f
                    .clone()
                    .restore(&ctx)
                    .map_err(|e| EvalError::Thrown(e.to_string()))?,
                None => {
                    let constructor: Function = ctx
                        .globals()
                        .get("Function")
                        .map_err(|e| EvalError::Thrown(e.to_string()))?;
                    let f: Function = constructor
                        .call((PARAMS, body))
                        .catch(&ctx)
                        .map_err(|e| EvalError::Syntax(clean_message(&e.to_string())))?;
                    // Sealed: a function cached across runs keeps no state
                    // (`arguments.callee.x = 1` is ignored).
                    let seal: Function = ctx
                        .globals()
                        .get("__seal")
                        .map_err(|e| EvalError::Thrown(e.to_string()))?;
                    let f: Function = seal
                        .call((f,))
                        .map_err(|e| EvalError::Thrown(e.to_string()))?;
                    compiled.insert(
                        body.to_string(),
                        rquickjs::Persistent::save(&ctx, f.clone()),
                    );
                    f
                }
            };
            let uses = |name: &str| body.contains(name);
            let json = |v: &serde_json::Value| -> Result<rquickjs::Value, EvalError> {
                ctx.json_parse(v.to_string())
                    .map_err(|e| EvalError::Thrown(e.to_string()))
            };
            let undefined = rquickjs::Value::new_undefined(ctx.clone());
            let mut args = Vec::with_capacity(12);
            args.push(if uses("$input") {
                json(scope.input)?
            } else {
                undefined.clone()
            });
            args.push(if uses("$trigger") {
                json(scope.trigger)?
            } else {
                undefined.clone()
            });
            // Built from the map's own JSON text: no clone of the variables.
            let vars_js = if uses("$vars") {
                let text = serde_json::to_string(scope.vars)
                    .map_err(|e| EvalError::Thrown(e.to_string()))?;
                ctx.json_parse(text)
                    .map_err(|e| EvalError::Thrown(e.to_string()))?
            } else {
                undefined.clone()
            };
            args.push(vars_js.clone());
            args.push(if uses("$nodes") {
                json(scope.nodes)?
            } else {
                undefined.clone()
            });
            args.push(match scope.item {
                Some(item) if uses("$item") => json(item)?,
                _ => undefined.clone(),
            });
            args.push(match scope.index {
                Some(i) => rquickjs::Value::new_number(ctx.clone(), i as f64),
                None => undefined.clone(),
            });
            args.push(if uses("$run") {
                json(scope.run)?
            } else {
                undefined.clone()
            });
            args.push(if uses("$secrets") {
                json(scope.secrets)?
            } else {
                undefined.clone()
            });
            args.push(match scope.response {
                Some(r) if uses("$response") => json(r)?,
                _ => undefined.clone(),
            });
            args.push(match scope.page {
                Some(p) => rquickjs::Value::new_number(ctx.clone(), p as f64),
                None => undefined.clone(),
            });
            args.push(match scope.record {
                Some(r) if uses("$record") => json(r)?,
                _ => undefined.clone(),
            });
            let console: rquickjs::Value = ctx
                .globals()
                .get("__console")
                .map_err(|e| EvalError::Thrown(e.to_string()))?;
            args.push(console);
            let outcome = function
                .call::<_, rquickjs::Value>((rquickjs::function::Rest(args),))
                .catch(&ctx);
            let logs = take_logs(&ctx);
            let value = match outcome {
                Ok(v) => v,
                Err(e) => {
                    let stopped = watch.lock().expect("watch lock").stopped;
                    return Err(match stopped {
                        Some(Stop::Cancel) => EvalError::Cancelled,
                        Some(Stop::Deadline) => EvalError::Timeout(limits.time.as_millis()),
                        // QuickJS throws null, or an InternalError (its only
                        // other use is the interrupt, handled above), when an
                        // allocation passes the memory limit.
                        None if is_out_of_memory(&ctx, &e) => {
                            EvalError::Memory(limits.memory_bytes / (1024 * 1024))
                        }
                        None => EvalError::Thrown(clean_message(&e.to_string())),
                    });
                }
            };
            let value = to_json(&ctx, value)?;
            let vars = if uses("$vars") {
                match to_json(&ctx, vars_js)? {
                    serde_json::Value::Object(after) if after != *scope.vars => Some(after),
                    _ => None,
                }
            } else {
                None
            };
            Ok(Evaluated {
                value,
                logs: logs.into_iter().collect(),
                vars,
            })
        });
        self.watch.lock().expect("watch lock").deadline = None;
        if matches!(result, Err(EvalError::Memory(_))) {
            // Free what the runaway code left, so the next call has room.
            self.runtime.run_gc();
        }
        result
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

fn take_logs(ctx: &rquickjs::Ctx) -> Vec<(crate::model::LogLevel, String)> {
    let text: Option<String> = ctx
        .globals()
        .get::<_, Function>("__takeLogs")
        .and_then(|take| take.call(()))
        .ok();
    let lines: Vec<(String, String)> = text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    lines
        .into_iter()
        .map(|(level, message)| {
            let level = match level.as_str() {
                "debug" => crate::model::LogLevel::Debug,
                "warn" => crate::model::LogLevel::Warn,
                "error" => crate::model::LogLevel::Error,
                _ => crate::model::LogLevel::Info,
            };
            (level, message)
        })
        .collect()
}

/// Whether a thrown value is QuickJS's out-of-memory error: `null`, or an
/// instance of `InternalError`.
fn is_out_of_memory<'js>(ctx: &rquickjs::Ctx<'js>, e: &rquickjs::CaughtError<'js>) -> bool {
    match e {
        rquickjs::CaughtError::Value(v) => v.is_null(),
        rquickjs::CaughtError::Exception(x) => ctx
            .globals()
            .get::<_, rquickjs::Constructor>("InternalError")
            .is_ok_and(|internal| x.as_object().is_instance_of(&internal)),
        rquickjs::CaughtError::Error(rquickjs::Error::Allocation) => true,
        rquickjs::CaughtError::Error(_) => false,
    }
}

/// A JavaScript value as JSON: `undefined` and functions become null, whole
/// numbers integers.
fn to_json<'js>(
    ctx: &rquickjs::Ctx<'js>,
    value: rquickjs::Value<'js>,
) -> Result<serde_json::Value, EvalError> {
    if value.is_undefined() || value.is_null() {
        return Ok(serde_json::Value::Null);
    }
    let text = ctx
        .json_stringify(value)
        .catch(ctx)
        .map_err(|e| EvalError::NotJson(clean_message(&e.to_string())))?;
    match text {
        None => Ok(serde_json::Value::Null),
        Some(s) => {
            let s = s
                .to_string()
                .map_err(|e| EvalError::NotJson(e.to_string()))?;
            serde_json::from_str(&s).map_err(|e| EvalError::NotJson(e.to_string()))
        }
    }
}

thread_local! {
    static SANDBOX: RefCell<Option<Sandbox>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's sandbox, creating it on first use.
pub fn with_sandbox<R>(f: impl FnOnce(&mut Sandbox) -> R) -> R {
    SANDBOX.with(|cell| {
        let mut slot = cell.borrow_mut();
        f(slot.get_or_insert_with(Sandbox::new))
    })
}

#[cfg(test)]
mod sandbox_tests {
    use super::*;
    use serde_json::{json, Map, Value};

    fn run(body: &str, limits: Limits) -> Result<Evaluated, EvalError> {
        let (input, trigger, nodes, run) = (
            json!({"n": 2}),
            json!({}),
            json!({"a": {"output": 5, "status": "succeeded"}}),
            json!({"id": "r"}),
        );
        let vars: Map<String, Value> = [("x".to_string(), json!(1))].into_iter().collect();
        let scope = Scope::of(&input, &trigger, &vars, &nodes, &run);
        with_sandbox(|s| s.run_code(body, &scope, limits))
    }

    #[test]
    fn returns_json_and_captures_console() {
        let e = run("console.log('n is', $input.n, {a: 1}); console.warn('careful'); return $input.n * 1.5 + $nodes.a.output;", Limits::default()).unwrap();
        assert_eq!(e.value, json!(8));
        assert_eq!(
            e.logs,
            vec![
                (crate::model::LogLevel::Info, "n is 2 {\"a\":1}".to_string()),
                (crate::model::LogLevel::Warn, "careful".to_string())
            ]
        );
        assert_eq!(
            run("return;", Limits::default()).unwrap().value,
            Value::Null
        );
    }

    #[test]
    fn vars_assignments_are_returned() {
        let e = run(
            "$vars.x = $vars.x + 1; $vars.y = 'new'; return null;",
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            e.vars.unwrap(),
            json!({"x": 2, "y": "new"}).as_object().unwrap().clone()
        );
        assert_eq!(
            run("return $vars.x;", Limits::default()).unwrap().vars,
            None
        );
    }

    #[test]
    fn runaway_loop_times_out_and_the_sandbox_lives_on() {
        let limits = Limits {
            time: std::time::Duration::from_millis(100),
            ..Limits::default()
        };
        let started = std::time::Instant::now();
        assert_eq!(run("while (true) {}", limits), Err(EvalError::Timeout(100)));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(
            run("return 1 + 1;", Limits::default()).unwrap().value,
            json!(2)
        );
    }

    #[test]
    fn memory_bomb_hits_the_limit_and_the_sandbox_lives_on() {
        let limits = Limits {
            memory_bytes: 16 * 1024 * 1024,
            ..Limits::default()
        };
        let err = run(
            "const a = []; while (true) a.push('x'.repeat(1024) + a.length);",
            limits,
        )
        .unwrap_err();
        assert_eq!(err, EvalError::Memory(16));
        assert_eq!(err.to_string(), "memory limit of 16 MiB exceeded");
        assert_eq!(
            run("return [1, 2].length;", Limits::default())
                .unwrap()
                .value,
            json!(2)
        );
    }

    #[test]
    fn thrown_errors_and_syntax_errors() {
        assert_eq!(
            run("throw new Error('no stock')", Limits::default()),
            Err(EvalError::Thrown("no stock".into()))
        );
        assert!(matches!(
            run("return {;", Limits::default()),
            Err(EvalError::Syntax(_))
        ));
    }

    #[test]
    fn no_file_network_or_process_access() {
        for probe in [
            "return typeof require",
            "return typeof fetch",
            "return typeof process",
            "return typeof std",
            "return typeof os",
            "return typeof XMLHttpRequest",
        ] {
            assert_eq!(
                run(probe, Limits::default()).unwrap().value,
                json!("undefined"),
                "{probe}"
            );
        }
    }
}

#[cfg(test)]
mod isolation_tests {
    use super::*;
    use serde_json::{json, Map, Value};

    fn run(body: &str) -> Result<Value, EvalError> {
        let (input, trigger, nodes, run) = (json!({}), json!({}), json!({}), json!({}));
        let vars = Map::new();
        let scope = Scope::of(&input, &trigger, &vars, &nodes, &run);
        with_sandbox(|s| s.run_code(body, &scope, Limits::default())).map(|e| e.value)
    }

    #[test]
    fn globals_and_prototypes_written_by_code_are_not_seen_by_later_code() {
        // Writes are ignored without an error, as in any sloppy-mode script.
        run(
            "globalThis.x = 1; Array.prototype.evil = () => 1; Object.prototype.polluted = true; \
             Math.max = () => 0; JSON.stringify = () => 'x'; console.log = null; return 1;",
        )
        .unwrap();
        assert_eq!(
            run("return [typeof globalThis.x, typeof [].evil, typeof ({}).polluted, Math.max(1, 2), JSON.stringify(1)];")
                .unwrap(),
            json!(["undefined", "undefined", "undefined", 2, "1"])
        );
        // Hidden intrinsics too: the iterator prototype, generators.
        run("Object.getPrototypeOf([][Symbol.iterator]()).leak = 1; \
             Object.getPrototypeOf(function* () {}).leak = 1; return 1;")
        .unwrap();
        assert_eq!(
            run("return [typeof Object.getPrototypeOf([][Symbol.iterator]()).leak, typeof Object.getPrototypeOf(function* () {}).leak];")
                .unwrap(),
            json!(["undefined", "undefined"])
        );
        // Built-in methods are frozen too.
        run("Array.prototype.map.leak = 1; Object.getOwnPropertyDescriptor(Map.prototype, 'size').get.leak = 1; return 1;")
            .unwrap();
        assert_eq!(
            run("return [typeof [].map.leak, typeof Object.getOwnPropertyDescriptor(Map.prototype, 'size').get.leak];")
                .unwrap(),
            json!(["undefined", "undefined"])
        );
        // A cached function keeps nothing between calls.
        let body =
            "const f = arguments.callee; const n = f.count; f.count = 1; return n === undefined;";
        assert_eq!(run(body).unwrap(), json!(true));
        assert_eq!(run(body).unwrap(), json!(true));
        // Code still builds and changes its own objects freely.
        assert_eq!(
            run("const o = {a: 1}; o.b = 2; const a = [3, 1, 2]; a.sort(); class P { constructor() { this.v = 5; } } return [o, a, new P().v];")
                .unwrap(),
            json!([{"a": 1, "b": 2}, [1, 2, 3], 5])
        );
    }

    #[test]
    fn deep_recursion_is_a_script_error_not_a_memory_error() {
        let err = run("function f(n) { return f(n + 1) + 1; } return f(0);").unwrap_err();
        assert!(matches!(err, EvalError::Thrown(_)), "{err:?}");
    }

    #[test]
    fn a_cancel_stops_running_code() {
        let token = tokio_util::sync::CancellationToken::new();
        let cancel = token.clone();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            cancel.cancel();
        });
        let (input, trigger, nodes, r) = (json!({}), json!({}), json!({}), json!({}));
        let vars = Map::new();
        let scope = Scope::of(&input, &trigger, &vars, &nodes, &r);
        let result = with_sandbox(|s| {
            s.watch_cancel(Some(token));
            let result = s.run_code("while (true) {}", &scope, Limits::default());
            s.watch_cancel(None);
            result
        });
        canceller.join().unwrap();
        assert_eq!(result, Err(EvalError::Cancelled));
    }
}
