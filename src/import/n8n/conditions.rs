//! n8n's condition builders (If, Switch, Filter) as one JavaScript expression.
//!
//! Two shapes are in use: version 1 (`conditions: {string: [...], number:
//! [...]}` with `combineOperation`), and from If 2 and Switch 3 on, the
//! filter shape (`conditions: {conditions: [{leftValue, rightValue,
//! operator: {type, operation}}], combinator}`).

use super::expressions::{js, Lost, Scope};
use serde_json::{Map, Value};

/// Version 1's conditions: each list is one value type, combined by
/// `combineOperation` (`all`, the default, or `any`).
pub(super) fn v1(params: &Map<String, Value>, scope: &Scope, lost: &mut Lost) -> String {
    let empty = Map::new();
    let conditions = params
        .get("conditions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut tests = Vec::new();
    for (kind, list) in conditions {
        for c in list.as_array().into_iter().flatten() {
            let left = js(c.get("value1").unwrap_or(&Value::Null), scope, lost);
            let right = js(c.get("value2").unwrap_or(&Value::Null), scope, lost);
            let operation = c.get("operation").and_then(Value::as_str).unwrap_or(
                if kind == "string" || kind == "boolean" || kind == "number" {
                    "equal"
                } else {
                    "after"
                },
            );
            let op = match (kind.as_str(), operation) {
                ("number", "larger") => "gt",
                ("number", "largerEqual") => "gte",
                ("number", "smaller") => "lt",
                ("number", "smallerEqual") => "lte",
                ("dateTime", "after") => "after",
                ("dateTime", "before") => "before",
                (_, "equal") => "equals",
                (_, "notEqual") => "notEquals",
                (_, "isEmpty") => "empty",
                (_, "isNotEmpty") => "notEmpty",
                (_, "notRegex") => "notRegex",
                (_, other) => other,
            };
            let kind = if kind == "dateTime" { "dateTime" } else { kind };
            tests.push(test(kind, op, &left, &right, true, lost));
        }
    }
    let any = params.get("combineOperation").and_then(Value::as_str) == Some("any");
    combine(tests, any)
}

/// The filter shape of If 2+, Switch 3+ and Filter 2+.
pub(super) fn filter(conditions: &Value, scope: &Scope, lost: &mut Lost) -> String {
    let case_sensitive = conditions
        .pointer("/options/caseSensitive")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut tests = Vec::new();
    for c in conditions
        .get("conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let left = js(c.get("leftValue").unwrap_or(&Value::Null), scope, lost);
        let right = js(c.get("rightValue").unwrap_or(&Value::Null), scope, lost);
        let kind = c
            .pointer("/operator/type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        let operation = c
            .pointer("/operator/operation")
            .and_then(Value::as_str)
            .unwrap_or("equals");
        tests.push(test(kind, operation, &left, &right, case_sensitive, lost));
    }
    let any = conditions.get("combinator").and_then(Value::as_str) == Some("or");
    combine(tests, any)
}

fn combine(tests: Vec<String>, any: bool) -> String {
    match tests.len() {
        // n8n passes every item when no condition is set.
        0 => "true".into(),
        1 => tests.into_iter().next().unwrap_or_default(),
        _ => tests.join(if any { " || " } else { " && " }),
    }
}

/// One comparison. Values are compared as n8n's loose type validation does:
/// numbers as numbers, strings as text.
fn test(
    kind: &str,
    operation: &str,
    left: &str,
    right: &str,
    case_sensitive: bool,
    lost: &mut Lost,
) -> String {
    let text = |v: &str| {
        if case_sensitive {
            format!("String({v} ?? '')")
        } else {
            format!("String({v} ?? '').toLowerCase()")
        }
    };
    let (l, r) = match kind {
        "number" => (format!("Number({left})"), format!("Number({right})")),
        "dateTime" => (
            format!("new Date({left}).getTime()"),
            format!("new Date({right}).getTime()"),
        ),
        "boolean" => (format!("Boolean({left})"), format!("Boolean({right})")),
        "string" => (text(left), text(right)),
        _ => (left.to_string(), right.to_string()),
    };
    let empty = format!(
        "(({left}) == null || ({left}) === '' || (Array.isArray({left}) && ({left}).length === 0) || (typeof ({left}) === 'object' && Object.keys({left}).length === 0))"
    );
    match operation {
        "equals" | "equal" if kind == "array" || kind == "object" => {
            format!("(JSON.stringify({left}) === JSON.stringify({right}))")
        }
        "equals" | "equal" => format!("({l} === {r})"),
        "notEquals" | "notEqual" => format!("({l} !== {r})"),
        "contains" if kind == "array" => format!("[].concat({left} ?? []).includes({right})"),
        "notContains" if kind == "array" => format!("!([].concat({left} ?? []).includes({right}))"),
        "contains" => format!("{l}.includes({r})"),
        "notContains" => format!("!{l}.includes({r})"),
        "startsWith" => format!("{l}.startsWith({r})"),
        "notStartsWith" => format!("!{l}.startsWith({r})"),
        "endsWith" => format!("{l}.endsWith({r})"),
        "notEndsWith" => format!("!{l}.endsWith({r})"),
        "regex" => format!("new RegExp({right}).test(String({left} ?? ''))"),
        "notRegex" => format!("!new RegExp({right}).test(String({left} ?? ''))"),
        "gt" | "after" => format!("({l} > {r})"),
        "gte" | "afterOrEquals" => format!("({l} >= {r})"),
        "lt" | "before" => format!("({l} < {r})"),
        "lte" | "beforeOrEquals" => format!("({l} <= {r})"),
        "exists" => format!("(({left}) !== undefined && ({left}) !== null)"),
        "notExists" => format!("(({left}) === undefined || ({left}) === null)"),
        "empty" | "isEmpty" => empty,
        "notEmpty" | "isNotEmpty" => format!("!{empty}"),
        "true" => format!("(({left}) === true)"),
        "false" => format!("(({left}) === false)"),
        "lengthEquals" => format!("([].concat({left} ?? []).length === Number({right}))"),
        "lengthNotEquals" => format!("([].concat({left} ?? []).length !== Number({right}))"),
        "lengthGt" => format!("([].concat({left} ?? []).length > Number({right}))"),
        "lengthLt" => format!("([].concat({left} ?? []).length < Number({right}))"),
        "lengthGte" => format!("([].concat({left} ?? []).length >= Number({right}))"),
        "lengthLte" => format!("([].concat({left} ?? []).length <= Number({right}))"),
        other => {
            lost.push((
                format!("condition {kind} {other}"),
                "this comparison is not mapped; it reads false".into(),
            ));
            "false".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn eval(expr: &str, input: Value) -> Value {
        let (null, vars) = (Value::Null, Map::new());
        let scope = crate::expr::Scope::of(&input, &null, &vars, &null, &null);
        crate::expr::with_sandbox(|sb| {
            sb.eval_expression(expr, &scope, crate::expr::Limits::default())
                .unwrap()
        })
    }

    #[test]
    fn filter_conditions_decide_as_n8n_does() {
        let names = BTreeMap::new();
        let scope = Scope {
            names: &names,
            json: "$input".into(),
            in_loop: false,
        };
        let mut lost = Lost::new();
        let conditions = json!({
            "options": {"caseSensitive": false},
            "conditions": [
                {"leftValue": "={{ $json.status }}", "rightValue": "PAID", "operator": {"type": "string", "operation": "equals"}},
                {"leftValue": "={{ $json.total }}", "rightValue": 100, "operator": {"type": "number", "operation": "gt"}},
                {"leftValue": "={{ $json.note }}", "operator": {"type": "string", "operation": "empty", "singleValue": true}}
            ],
            "combinator": "and"
        });
        let expr = filter(&conditions, &scope, &mut lost);
        assert!(lost.is_empty());
        assert_eq!(
            eval(&expr, json!({"status": "paid", "total": 120})),
            json!(true)
        );
        assert_eq!(
            eval(&expr, json!({"status": "paid", "total": 80})),
            json!(false)
        );
        assert_eq!(
            eval(&expr, json!({"status": "paid", "total": 120, "note": "x"})),
            json!(false)
        );
        let v1_params = json!({"conditions": {"number": [{"value1": "={{ $json.n }}", "operation": "larger", "value2": 3}],
                                              "string": [{"value1": "={{ $json.s }}", "operation": "contains", "value2": "ab"}]},
                               "combineOperation": "any"});
        let expr = v1(v1_params.as_object().unwrap(), &scope, &mut lost);
        assert_eq!(eval(&expr, json!({"n": 1, "s": "xaby"})), json!(true));
        assert_eq!(eval(&expr, json!({"n": 1, "s": "xy"})), json!(false));
        assert_eq!(eval(&expr, json!({"n": 4})), json!(true));
    }
}
