//! Resolving templates: every `{{ }}` in a JSON value evaluated in a scope.

use super::js::{Limits, Sandbox, Scope};
use super::template::{Segment, Template};
use super::EvalError;
use serde_json::{Map, Value};

/// An expression that failed, with where it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {error}")]
pub struct ResolveError {
    pub path: String,
    pub error: EvalError,
}

/// Evaluates one string. A string that is one `{{ }}` keeps the value's JSON
/// type; otherwise each value is written into the text (strings as they are,
/// null and undefined as nothing, anything else as JSON). A string without
/// braces is returned as it is.
pub fn resolve_string(
    s: &str,
    scope: &Scope,
    sandbox: &mut Sandbox,
    limits: Limits,
) -> Result<Value, EvalError> {
    if !Template::is_template(s) {
        return Ok(Value::String(s.to_string()));
    }
    let template = Template::parse(s).map_err(|e| EvalError::Syntax(e.to_string()))?;
    if let Some(expr) = template.whole_expression() {
        return sandbox.eval_expression(expr, scope, limits);
    }
    let mut text = String::new();
    for segment in &template.segments {
        match segment {
            Segment::Text(t) => text.push_str(t),
            Segment::Expr(e) => match sandbox.eval_expression(e, scope, limits)? {
                Value::Null => {}
                Value::String(s) => text.push_str(&s),
                other => text.push_str(&other.to_string()),
            },
        }
    }
    Ok(Value::String(text))
}

/// Resolves every string inside a value; `path` names the value in errors.
pub fn resolve_value(
    value: &Value,
    path: &str,
    scope: &Scope,
    sandbox: &mut Sandbox,
    limits: Limits,
) -> Result<Value, ResolveError> {
    match value {
        Value::String(s) => {
            resolve_string(s, scope, sandbox, limits).map_err(|error| ResolveError {
                path: path.to_string(),
                error,
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| resolve_value(v, &format!("{path}[{i}]"), scope, sandbox, limits))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(map) => {
            resolve_map(map, path, &[], scope, sandbox, limits).map(Value::Object)
        }
        other => Ok(other.clone()),
    }
}

/// Resolves an object's values, leaving the keys in `raw` as they are.
pub fn resolve_map(
    map: &Map<String, Value>,
    path: &str,
    raw: &[&str],
    scope: &Scope,
    sandbox: &mut Sandbox,
    limits: Limits,
) -> Result<Map<String, Value>, ResolveError> {
    let mut out = Map::with_capacity(map.len());
    for (k, v) in map {
        let resolved = if raw.contains(&k.as_str()) {
            v.clone()
        } else {
            resolve_value(v, &format!("{path}.{k}"), scope, sandbox, limits)?
        };
        out.insert(k.clone(), resolved);
    }
    Ok(out)
}

/// JavaScript truthiness of a JSON value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// Equality with numbers compared by value (1 equals 1.0).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::js::with_sandbox;
    use serde_json::json;

    fn resolve(s: &str) -> Value {
        let (input, trigger, nodes, run) = (
            json!({"name": "Ada", "n": 2, "list": [1, 2]}),
            json!({}),
            json!({}),
            json!({}),
        );
        let vars = Map::new();
        let scope = Scope::of(&input, &trigger, &vars, &nodes, &run);
        with_sandbox(|sb| resolve_string(s, &scope, sb, Limits::default())).unwrap()
    }

    #[test]
    fn whole_expression_keeps_its_type() {
        assert_eq!(resolve("{{ 1 + 2 }}"), json!(3));
        assert!(
            resolve("{{ 1 + 2 }}").is_i64(),
            "whole numbers are integers"
        );
        assert_eq!(resolve("{{ $input.list }}"), json!([1, 2]));
        assert_eq!(resolve("{{ $input.missing }}"), Value::Null);
        assert_eq!(resolve("{{ 0.5 }}"), json!(0.5));
    }

    #[test]
    fn text_interpolation() {
        assert_eq!(resolve("n = {{ 1 + 2 }}"), json!("n = 3"));
        assert_eq!(
            resolve("Hi {{ $input.name }}, {{ $input.missing }}!"),
            json!("Hi Ada, !")
        );
        assert_eq!(resolve("list {{ $input.list }}"), json!("list [1,2]"));
        assert_eq!(resolve("plain"), json!("plain"));
    }

    #[test]
    fn truthiness_and_equality() {
        assert!(
            !truthy(&json!(0))
                && !truthy(&json!(""))
                && !truthy(&Value::Null)
                && truthy(&json!([]))
        );
        assert!(json_equal(&json!(1), &json!(1.0)) && !json_equal(&json!("1"), &json!(1)));
    }
}
