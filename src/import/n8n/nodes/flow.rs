//! n8n's Wait, Execute Workflow and Respond to Webhook.

use super::*;

pub(super) fn wait(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    match s.str_param("resume", "timeInterval") {
        "timeInterval" => {
            let factor: u64 = match s.str_param("unit", "hours") {
                "seconds" => 1_000,
                "minutes" => 60_000,
                "days" => 86_400_000,
                _ => 3_600_000,
            };
            let ms = match s.param("amount") {
                Some(Value::String(e)) if e.starts_with('=') => {
                    json!(format!(
                        "{{{{ Math.round({} * {factor}) }}}}",
                        js(&Value::String(e.clone()), scope, lost)
                    ))
                }
                Some(v) => json!((number_f(v).unwrap_or(1.0) * factor as f64).round() as u64),
                None => json!(factor),
            };
            Mapped::new("task.delay", json!({ "ms": ms }))
        }
        "specificTime" => {
            let at = js(s.param("dateTime").unwrap_or(&json!("")), scope, lost);
            Mapped::new(
                "task.delay",
                json!({ "ms": format!("{{{{ Math.max(0, new Date({at}).getTime() - Date.now()) }}}}") }),
            )
        }
        other => {
            lost.push((
                format!("resume on {other}"),
                "the run waits for a person's decision instead (a human task)".into(),
            ));
            Mapped::new(
                "task.approval",
                json!({ "title": format!("Resume \"{}\"", s.name), "outcomes": ["resumed"] }),
            )
            .ports(&["resumed"])
        }
    }
}

pub(super) fn subflow(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let target = match s.str_param("source", "database") {
        "localFile" => s.str_param("workflowPath", "").to_string(),
        "database" => {
            let id = s.param("workflowId");
            let cached = id
                .and_then(|w| w.get("cachedResultName"))
                .and_then(Value::as_str);
            let raw = id
                .and_then(|w| w.get("value").or(Some(w)))
                .and_then(Value::as_str)
                .unwrap_or("");
            match cached {
                Some(name) => slug(name),
                None => slug(raw.trim_start_matches('=')),
            }
        }
        other => {
            return unmapped(
                s,
                &format!("a subworkflow given by {other} cannot be found"),
                lost,
            );
        }
    };
    lost.push((
        "workflow".into(),
        format!("runs the Flowbench workflow \"{target}\" of the same folder; import that n8n workflow too, with this id"),
    ));
    let mut config = json!({ "workflow": target });
    if let Some(inputs) = s
        .param("workflowInputs")
        .and_then(|w| w.get("value"))
        .and_then(Value::as_object)
    {
        if !inputs.is_empty() {
            config["input"] = value(&Value::Object(inputs.clone()), scope, lost);
        }
    }
    Mapped::new("task.subflow", config)
}

pub(super) fn respond(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let status = s
        .param("options")
        .and_then(|o| o.get("responseCode"))
        .map(|c| number(Some(c), 200))
        .unwrap_or(200);
    let mut config = json!({ "status": status });
    match s.str_param("respondWith", "firstIncomingItem") {
        "json" => {
            config["body"] = json_text(s.param("responseBody").unwrap_or(&json!("{}")), scope, lost)
        }
        "text" => {
            config["body"] = value(s.param("responseBody").unwrap_or(&json!("")), scope, lost)
        }
        "noData" => config["body"] = json!(""),
        "firstIncomingItem" | "allIncomingItems" => {
            if scope.json != "$input" {
                config["body"] = json!(format!("{{{{ {} }}}}", scope.json));
            }
        }
        other => lost.push((
            format!("respond with {other}"),
            "answers with the node's input".into(),
        )),
    }
    if s.param("options")
        .and_then(|o| o.get("responseHeaders"))
        .is_some()
    {
        lost.push((
            "responseHeaders".into(),
            "a Flowbench answer is JSON with its own headers".into(),
        ));
    }
    Mapped::new("task.respond", config)
}
