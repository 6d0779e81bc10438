//! n8n's Switch (versions 1–2, 3+ and expression mode) as a `condition.switch`.

use super::*;

pub(super) fn switch(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut tests: Vec<(String, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut fallback: Option<usize> = None;
    let mode = s.str_param("mode", "rules");
    let options = s.param("options").cloned().unwrap_or_else(|| json!({}));
    if mode == "expression" {
        let outputs =
            number(s.param("numberOutputs").or(s.param("outputsAmount")), 4).clamp(1, 64) as usize;
        let index = js(s.param("output").unwrap_or(&json!(0)), scope, lost);
        names = (0..outputs).map(|i| format!("output_{i}")).collect();
        let cases: Vec<Value> = (0..outputs)
            .map(|i| json!({"port": names[i], "equals": i}))
            .collect();
        let mut m = Mapped::new(
            "condition.switch",
            json!({ "value": format!("{{{{ Number({index}) }}}}"), "cases": cases }),
        );
        m.ports = names;
        return m;
    }
    if s.version < 3.0 {
        let kind = s.str_param("dataType", "number");
        let left = js(s.param("value1").unwrap_or(&Value::Null), scope, lost);
        let mut max = 0;
        for rule in s
            .param("rules")
            .and_then(|r| r.get("rules"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let operation = rule
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("equal");
            let mut params = Map::new();
            params.insert(
                "conditions".into(),
                json!({ kind: [{"value1": s.param("value1").cloned().unwrap_or(Value::Null), "operation": operation, "value2": rule.get("value2").cloned().unwrap_or(Value::Null)}] }),
            );
            let _ = &left;
            let output = number(rule.get("output"), 0).max(0) as usize;
            max = max.max(output);
            tests.push((conditions::v1(&params, scope, lost), output));
        }
        let fb = number(s.param("fallbackOutput"), -1);
        if fb >= 0 {
            fallback = Some(fb as usize);
            max = max.max(fb as usize);
        }
        names = (0..=max).map(|i| format!("output_{i}")).collect();
    } else {
        let rules = s
            .param("rules")
            .and_then(|r| r.get("values").or_else(|| r.get("rules")))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, rule) in rules.iter().enumerate() {
            let condition =
                conditions::filter(rule.get("conditions").unwrap_or(&Value::Null), scope, lost);
            tests.push((condition, i));
            let renamed = rule.get("renameOutput").and_then(Value::as_bool) == Some(true);
            let key = rule
                .get("outputKey")
                .and_then(Value::as_str)
                .filter(|_| renamed);
            let mut name = key.map_or_else(|| format!("output_{i}"), port_name);
            if names.contains(&name) {
                name = format!("{name}_{i}");
            }
            names.push(name);
        }
        match options.get("fallbackOutput") {
            Some(Value::String(e)) if e == "extra" => {
                fallback = Some(names.len());
                names.push(
                    options
                        .get("renameFallbackOutput")
                        .and_then(Value::as_str)
                        .map_or_else(|| "fallback".into(), port_name),
                );
            }
            Some(v) => {
                let k = number(Some(v), -1);
                if k >= 0 && (k as usize) < names.len() {
                    fallback = Some(k as usize);
                }
            }
            None => {}
        }
        if options.get("allMatchingOutputs").and_then(Value::as_bool) == Some(true) {
            lost.push((
                "allMatchingOutputs".into(),
                "a Flowbench switch takes the first matching case only".into(),
            ));
        }
    }
    let mut value = String::new();
    for (test, output) in &tests {
        value.push_str(&format!("({test}) ? {output} : "));
    }
    value.push_str(&fallback.map_or("-1".to_string(), |f| f.to_string()));
    let cases: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, port)| json!({"port": port, "equals": i}))
        .collect();
    let mut m = Mapped::new(
        "condition.switch",
        json!({ "value": format!("{{{{ {value} }}}}"), "cases": cases }),
    );
    m.ports = names;
    m
}

/// A name n8n shows as an output, as a port name.
pub(super) fn port_name(key: &str) -> String {
    slug_with(key, '_').unwrap_or_else(|| "output".into())
}
