//! Python for `task.python`, on Monty (pydantic's sandboxed interpreter,
//! written in Rust): no file system, network or process; imports limited to a
//! curated set; a time limit and a memory limit (docs/python.md).
//!
//! The node's code is a function body: it is wrapped in a function whose
//! parameters are the scope's names, so `return` gives the output, and the
//! function's `vars` comes back with the result so that writes persist.
//! Line and column numbers in errors are those of the node's own code.

use super::js::{EvalError, Evaluated, Limits, Scope};
use crate::model::LogLevel;
use monty::MontyRun;
use monty_types::{
    CompileOptions, DictPairs, MontyException, MontyObject, PrintWriter, ResourceLimits,
    ResourceTracker,
};
use serde_json::{Map, Number, Value};

/// The names the code sees, in the wrapper's parameter order.
const NAMES: [&str; 8] = [
    "input", "trigger", "vars", "nodes", "item", "index", "run", "secrets",
];

/// Modules the code may import: data and text handling, nothing that reaches
/// outside the sandbox (os, pathlib, sys, asyncio are refused).
pub const ALLOWED_IMPORTS: [&str; 12] = [
    "json",
    "math",
    "datetime",
    "re",
    "collections",
    "itertools",
    "functools",
    "typing",
    "dataclasses",
    "base64",
    "binascii",
    "unicodedata",
];

const SCRIPT: &str = "node.py";

/// The wrapper: the node's code, indented into a function.
fn wrap(code: &str) -> String {
    let mut out = format!("def __node({}):\n", NAMES.join(", "));
    for line in code.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    // An empty body (or only comments) is still a function.
    out.push_str("    pass\n");
    out.push_str(&format!("(__node({}), vars)\n", NAMES.join(", ")));
    out
}

/// A message whose locations are the node's own: line 1 is the code's first.
fn located(e: &MontyException) -> String {
    let frame = e
        .traceback()
        .iter()
        .rev()
        .find(|f| f.filename == SCRIPT && f.start.line > 1);
    match frame {
        Some(f) => format!(
            "{} (line {}, column {})",
            e.summary(),
            f.start.line - 1,
            f.start.column.saturating_sub(4).max(1)
        ),
        None => e.summary(),
    }
}

/// The imports a body names that are not allowed, each with its line.
fn refused_imports(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let t = line.trim_start();
        let names: Vec<&str> = if let Some(rest) = t.strip_prefix("import ") {
            rest.split(',')
                .map(|n| n.split_whitespace().next().unwrap_or(""))
                .collect()
        } else if let Some(rest) = t.strip_prefix("from ") {
            vec![rest.split_whitespace().next().unwrap_or("")]
        } else {
            continue;
        };
        for name in names {
            let top = name.split('.').next().unwrap_or("");
            if !top.is_empty() && !ALLOWED_IMPORTS.contains(&top) {
                out.push((i + 1, top.to_string()));
            }
        }
    }
    out
}

/// Checks a body while drawing: its syntax and its imports. The message
/// gives line and column in the body.
pub fn check_syntax(code: &str) -> Result<(), String> {
    if let Some((line, module)) = refused_imports(code).into_iter().next() {
        return Err(format!(
            "import of \"{module}\" is not allowed (line {line}); allowed: {}",
            ALLOWED_IMPORTS.join(", ")
        ));
    }
    MontyRun::new(
        wrap(code),
        SCRIPT,
        NAMES.iter().map(|n| n.to_string()).collect(),
        CompileOptions::default(),
    )
    .map(|_| ())
    .map_err(|e| located(&e))
}

/// Runs a body in the scope; `print` lines become logs.
pub fn run(code: &str, scope: &Scope, limits: Limits) -> Result<Evaluated, EvalError> {
    thread_local! {
        // Compiled bodies, per thread: a node's code compiles once, not per run.
        static COMPILED: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<MontyRun>>> =
            Default::default();
    }
    let cached = COMPILED.with(|c| c.borrow().get(code).cloned());
    let runner = match cached {
        Some(r) => r,
        None => {
            check_syntax(code).map_err(EvalError::Syntax)?;
            let compiled = MontyRun::new(
                wrap(code),
                SCRIPT,
                NAMES.iter().map(|n| n.to_string()).collect(),
                CompileOptions::default(),
            )
            .map_err(|e| EvalError::Syntax(located(&e)))?;
            let compiled = std::rc::Rc::new(compiled);
            COMPILED.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() >= 256 {
                    c.clear();
                }
                c.insert(code.to_string(), compiled.clone());
            });
            compiled
        }
    };
    let vars = Value::Object(scope.vars.clone());
    let inputs = vec![
        to_python(scope.input),
        to_python(scope.trigger),
        to_python(&vars),
        to_python(scope.nodes),
        scope.item.map_or(MontyObject::None, to_python),
        scope
            .index
            .map_or(MontyObject::None, |i| MontyObject::Int(i as i64)),
        to_python(scope.run),
        to_python(scope.secrets),
    ];
    let tracker = ResourceTracker::new(ResourceLimits {
        max_duration: Some(limits.time),
        max_memory: Some(limits.memory_bytes),
        ..ResourceLimits::default()
    });
    let mut printed = String::new();
    // Only the memory this thread allocates while the code runs counts.
    let result = crate::sandbox_alloc::measured(|| {
        runner.run(
            inputs,
            tracker,
            PrintWriter::CollectString(&mut printed, Some(1024 * 1024)),
        )
    });
    let logs = printed
        .lines()
        .map(|l| (LogLevel::Info, l.to_string()))
        .collect();
    match result {
        Ok(MontyObject::Tuple(mut pair)) if pair.len() == 2 => {
            let vars_after = pair.pop().map(|v| to_json(&v)).unwrap_or(Value::Null);
            let value = pair.pop().map(|v| to_json(&v)).unwrap_or(Value::Null);
            let vars = match vars_after {
                Value::Object(m) if m != *scope.vars => Some(m),
                _ => None,
            };
            Ok(Evaluated { value, logs, vars })
        }
        Ok(other) => Ok(Evaluated {
            value: to_json(&other),
            logs,
            vars: None,
        }),
        Err(e) => {
            let message = located(&e);
            let kind = e.exc_type().to_string();
            Err(
                if kind == "TimeoutError" || message.contains("time limit exceeded") {
                    EvalError::Timeout(limits.time.as_millis())
                } else if kind == "MemoryError" {
                    EvalError::Memory(limits.memory_bytes / (1024 * 1024))
                } else if kind == "SyntaxError" {
                    EvalError::Syntax(message)
                } else {
                    EvalError::Thrown(message)
                },
            )
        }
    }
}

/// JSON as Python: objects are dicts, arrays lists.
pub fn to_python(v: &Value) -> MontyObject {
    match v {
        Value::Null => MontyObject::None,
        Value::Bool(b) => MontyObject::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => MontyObject::Int(i),
            None => MontyObject::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => MontyObject::String(s.clone()),
        Value::Array(items) => MontyObject::List(items.iter().map(to_python).collect()),
        Value::Object(m) => MontyObject::Dict(DictPairs::from(
            m.iter()
                .map(|(k, v)| (MontyObject::String(k.clone()), to_python(v)))
                .collect::<Vec<_>>(),
        )),
    }
}

/// Python as JSON: tuples and sets are lists, keys text, dates ISO text;
/// what JSON cannot hold is its `repr`.
pub fn to_json(v: &MontyObject) -> Value {
    match v {
        MontyObject::None => Value::Null,
        MontyObject::Bool(b) => Value::Bool(*b),
        MontyObject::Int(i) => Value::Number((*i).into()),
        MontyObject::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::Number((*f as i64).into())
            } else {
                Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
        }
        MontyObject::String(s) => Value::String(s.clone()),
        MontyObject::List(items)
        | MontyObject::Tuple(items)
        | MontyObject::Set(items)
        | MontyObject::FrozenSet(items) => Value::Array(items.iter().map(to_json).collect()),
        MontyObject::Dict(pairs) => {
            let mut m = Map::new();
            for (k, v) in pairs {
                let key = match k {
                    MontyObject::String(s) => s.clone(),
                    other => match to_json(other) {
                        Value::String(s) => s,
                        j => j.to_string(),
                    },
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
        other => Value::String(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_the_line_and_column_of_the_body() {
        let e = check_syntax("x = 1\ny = (2 +\n").unwrap_err();
        assert!(e.contains("line 2") || e.contains("line 3"), "{e}");
        let e = check_syntax("import os\nreturn 1").unwrap_err();
        assert!(
            e.starts_with("import of \"os\" is not allowed (line 1)"),
            "{e}"
        );
        assert!(check_syntax("import json, math\nfrom datetime import date\nreturn 1").is_ok());
        assert!(check_syntax("").is_ok());
    }
}
