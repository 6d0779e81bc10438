//! n8n's Set / Edit Fields and Merge.

use super::*;

/// A Set assignment's value, typed as n8n's field type says.
pub(super) fn typed(v: &Value, kind: &str, scope: &Scope, lost: &mut Lost) -> Value {
    if let Some(s) = v.as_str().filter(|s| !s.starts_with('=')) {
        let parsed = match kind {
            "number" | "numberValue" => s.trim().parse::<f64>().ok().map(|n| json!(n)),
            "boolean" | "booleanValue" => s.trim().parse::<bool>().ok().map(Value::Bool),
            "array" | "object" | "arrayValue" | "objectValue" => serde_json::from_str(s).ok(),
            _ => None,
        };
        if let Some(p) = parsed {
            return match p.as_f64() {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => json!(n as i64),
                _ => p,
            };
        }
    }
    value(v, scope, lost)
}

pub(super) fn set(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut values = Map::new();
    let keep_input;
    if s.version < 3.0 {
        for (kind, list) in s
            .param("values")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for field in list.as_array().into_iter().flatten() {
                if let Some(name) = field.get("name").and_then(Value::as_str) {
                    let v = field.get("value").cloned().unwrap_or(match kind.as_str() {
                        "number" => json!(0),
                        "boolean" => json!(false),
                        _ => json!(""),
                    });
                    values.insert(name.into(), typed(&v, kind, scope, lost));
                }
            }
        }
        keep_input = !s
            .param("keepOnlySet")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    } else {
        if s.str_param("mode", "manual") == "raw" {
            let output = json_text(s.param("jsonOutput").unwrap_or(&json!("{}")), scope, lost);
            let keep = s
                .param("includeOtherFields")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let code = if keep {
                format!(
                    "return Object.assign({{}}, {}, {});",
                    scope.json,
                    js_of(&output)
                )
            } else {
                format!("return {};", js_of(&output))
            };
            return Mapped::new("task.code", json!({ "code": code }));
        }
        if let Some(list) = s
            .param("assignments")
            .and_then(|a| a.get("assignments"))
            .and_then(Value::as_array)
        {
            for a in list {
                if let Some(name) = a.get("name").and_then(Value::as_str) {
                    let kind = a.get("type").and_then(Value::as_str).unwrap_or("string");
                    values.insert(
                        name.into(),
                        typed(a.get("value").unwrap_or(&Value::Null), kind, scope, lost),
                    );
                }
            }
        }
        for field in s
            .param("fields")
            .and_then(|f| f.get("values"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = field.get("name").and_then(Value::as_str) {
                let kind = field
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("stringValue");
                let v = field.get(kind).cloned().unwrap_or(Value::Null);
                values.insert(name.into(), typed(&v, kind, scope, lost));
            }
        }
        let include = s
            .param("includeOtherFields")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        keep_input = include && s.str_param("include", "all") != "none";
        if include && matches!(s.str_param("include", "all"), "selected" | "except") {
            lost.push((
                format!("include {}", s.str_param("include", "all")),
                "every input field is kept".into(),
            ));
        }
    }
    if !keep_input {
        return Mapped::new("task.set", json!({ "values": values }));
    }
    // The input's fields, then the ones set: task.set gives only its values.
    let assigned: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), js_of(v)))
        .collect();
    Mapped::new(
        "task.code",
        json!({ "code": format!("return Object.assign({{}}, {}, {{ {} }});", scope.json, assigned.join(", ")) }),
    )
}

/// A Flowbench config value (literals and `{{ }}` templates) as JavaScript.
pub(super) fn js_of(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with("{{") && t.ends_with("}}") && t.matches("{{").count() == 1 {
                format!("({})", &t[2..t.len() - 2].trim())
            } else if s.contains("{{") {
                let mut out = String::from("`");
                let mut rest = s.as_str();
                while let Some(open) = rest.find("{{") {
                    let Some(close) = rest[open..].find("}}") else {
                        break;
                    };
                    out.push_str(&rest[..open].replace('`', "\\`").replace("${", "\\${"));
                    out.push_str(&format!("${{{}}}", rest[open + 2..open + close].trim()));
                    rest = &rest[open + close + 2..];
                }
                out.push_str(&rest.replace('`', "\\`").replace("${", "\\${"));
                out.push('`');
                out
            } else {
                v.to_string()
            }
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(js_of).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), js_of(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

pub(super) fn merge(s: &Source, around: &Around, lost: &mut Lost) -> Mapped {
    // Each input's items, read from the node connected to it: a branch that
    // did not run gives none.
    let list = |index: usize| -> String {
        let sources: Vec<String> = around
            .inputs
            .iter()
            .filter(|(i, _)| *i == index)
            .map(|(_, id)| {
                let body = around.input_paths.get(id).copied().unwrap_or("");
                format!("...($nodes.{id}?.status === 'succeeded' ? [].concat($nodes.{id}.output{body} ?? []) : [])")
            })
            .collect();
        format!("[{}]", sources.join(", "))
    };
    let (a, b) = (list(0), list(1));
    let mode = s.str_param("mode", "append");
    let by_fields = |f1: &str, f2: &str| {
        format!(
            "a.flatMap((x) => b.filter((y) => y[{f2}] === x[{f1}]).map((y) => Object.assign({{}}, x, y)))",
            f1 = Value::String(f1.into()),
            f2 = Value::String(f2.into())
        )
    };
    let fields = || -> (String, String) {
        let pair = s
            .param("mergeByFields")
            .or(s.param("fields"))
            .and_then(|f| f.get("values"))
            .and_then(Value::as_array)
            .and_then(|v| v.first())
            .map(|p| {
                (
                    p.get("field1")
                        .and_then(Value::as_str)
                        .unwrap_or("id")
                        .to_string(),
                    p.get("field2")
                        .and_then(Value::as_str)
                        .unwrap_or("id")
                        .to_string(),
                )
            });
        pair.unwrap_or_else(|| {
            let f = s
                .param("fieldsToMatchString")
                .and_then(Value::as_str)
                .unwrap_or("id")
                .split(',')
                .next()
                .unwrap_or("id")
                .trim()
                .to_string();
            (f.clone(), f)
        })
    };
    let combined = match mode {
        "append" => "[...a, ...b]".to_string(),
        "mergeByIndex" | "combineByPosition" => {
            "Array.from({ length: Math.min(a.length, b.length) }, (_, i) => Object.assign({}, a[i], b[i]))".into()
        }
        "multiplex" | "combineAll" => "a.flatMap((x) => b.map((y) => Object.assign({}, x, y)))".into(),
        "mergeByKey" => by_fields(
            s.str_param("propertyName1", "id"),
            s.str_param("propertyName2", "id"),
        ),
        "combine" => match (
            s.str_param("combinationMode", ""),
            s.str_param("combineBy", "combineByFields"),
        ) {
            ("mergeByPosition", _) | ("", "combineByPosition") => {
                "Array.from({ length: Math.min(a.length, b.length) }, (_, i) => Object.assign({}, a[i], b[i]))".into()
            }
            ("multiplex", _) | ("", "combineAll") => "a.flatMap((x) => b.map((y) => Object.assign({}, x, y)))".into(),
            _ => {
                let join = s.str_param("joinMode", "keepMatches");
                if join != "keepMatches" {
                    lost.push((format!("joinMode {join}"), "only matches are kept".into()));
                }
                let (f1, f2) = fields();
                by_fields(&f1, &f2)
            }
        },
        "chooseBranch" | "passThrough" | "wait" => {
            let second = s.str_param("output", "input1") == "input2"
                || number(s.param("useDataOfInput"), 1) == 2;
            if s.str_param("output", "") == "empty" || s.str_param("chooseBranchMode", "") == "waitForBothInputs" && s.str_param("output", "") == "empty" {
                "[{}]".into()
            } else if second {
                "b".into()
            } else {
                "a".into()
            }
        }
        other => {
            lost.push((
                format!("mode {other}"),
                "not mapped; the inputs are appended".into(),
            ));
            "[...a, ...b]".into()
        }
    };
    let code = format!(
        "// n8n Merge ({mode}): input 1 and input 2 are the outputs of the nodes connected to each.\nconst a = {a};\nconst b = {b};\nconst out = {combined};\nreturn out.length === 1 ? out[0] : out;"
    );
    Mapped::new("task.code", json!({ "code": code }))
}
