//! n8n expressions and code, rewritten for Flowbench's scope.
//!
//! n8n reads data through items: `$json` is the current item of the node's
//! input, `$('Name').item.json` the matching item of another node. Flowbench
//! reads outputs: `$input`, `$nodes.ID.output`. The rewrite follows the shape
//! of the output each name reads: after an HTTP Request, n8n's item is the
//! response body, so `$json.x` reads `$input.body.x`.

use regex::{Captures, NoExpand, Regex};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a rewrite needs to know about the workflow around one node.
pub(super) struct Scope<'a> {
    /// Every n8n node name: its Flowbench id, and where n8n's item is in its
    /// output (`""`, `".body"` or `".records"`: `nodes::item_path`).
    pub names: &'a BTreeMap<String, (String, &'static str)>,
    /// What `$json` reads here: `$input`, `$input.body`, or `$item` in a loop body.
    pub json: String,
    /// Whether the node runs once per item (`forEach`): `$itemIndex` is `$index`.
    pub in_loop: bool,
}

/// One thing the rewrite could not carry over, with why.
pub(super) type Lost = Vec<(String, String)>;

static NODE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\$\(\s*(?:'([^']*)'|"([^"]*)")\s*\)\s*\.\s*(?:item|first\(\s*\)|last\(\s*\)|itemMatching\([^()]*\))\s*\.\s*json\b"#,
    )
    .expect("regex")
});
static NODE_ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\$\(\s*(?:'([^']*)'|"([^"]*)")\s*\)\s*\.\s*all\(\s*\)"#).expect("regex")
});
static NODE_OTHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\$\(\s*(?:'([^']*)'|"([^"]*)")\s*\)"#).expect("regex"));
static OLD_NODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\$node\s*\[\s*(?:'([^']*)'|"([^"]*)")\s*\]\s*\.\s*json\b"#).expect("regex")
});
static INPUT_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$input\s*\.\s*(?:item|first\(\s*\)|last\(\s*\))\s*\.\s*json\b").expect("regex")
});
static INPUT_ALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$input\s*\.\s*all\(\s*\)").expect("regex"));
static JSON: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$json\b").expect("regex"));
static NOW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$(now|today)\b(\s*\.\s*(\w+)\s*\(\s*\))?").expect("regex"));
static VARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$vars\s*\.\s*([A-Za-z_]\w*)").expect("regex"));
static UNKNOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$(env|runIndex|prevNode|parameter|binary|position|jmespath|evaluateExpression|mode|resumeWebhookUrl|execution\.mode|execution\.resumeUrl|request|node\b)")
        .expect("regex")
});

/// The JavaScript inside one `{{ … }}` (or a code node's body), rewritten.
/// `code`: in a code node, where `$input` and `$json` are given by the
/// wrapper, so only references to other nodes change.
pub(super) fn rewrite_js(text: &str, scope: &Scope, code: bool, lost: &mut Lost) -> String {
    let node_value = |caps: &Captures, lost: &mut Lost| -> String {
        let name = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
        match scope.names.get(name) {
            Some((id, path)) => format!("$nodes.{id}.output{path}"),
            None => {
                lost.push((
                    format!("$('{name}')"),
                    "names no node of the workflow; it reads null".into(),
                ));
                "null".into()
            }
        }
    };
    let mut out = NODE_ITEM
        .replace_all(text, |c: &Captures| node_value(c, lost))
        .into_owned();
    out = OLD_NODE
        .replace_all(&out, |c: &Captures| node_value(c, lost))
        .into_owned();
    out = NODE_ALL
        .replace_all(&out, |c: &Captures| {
            format!(
                "[].concat({}).map(json => ({{ json }}))",
                node_value(c, lost)
            )
        })
        .into_owned();
    out = NODE_OTHER
        .replace_all(&out, |c: &Captures| {
            let name = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
            lost.push((
                format!("$('{name}')"),
                "only .item.json, .first().json, .last().json and .all() of another node are mapped"
                    .into(),
            ));
            node_value(c, lost)
        })
        .into_owned();
    if !code {
        // NoExpand: `$input` is text here, not a reference to a group.
        out = INPUT_ITEM
            .replace_all(&out, NoExpand(&scope.json))
            .into_owned();
        let all = format!("[].concat({}).map(json => ({{ json }}))", scope.json);
        out = INPUT_ALL.replace_all(&out, NoExpand(&all)).into_owned();
        out = JSON.replace_all(&out, NoExpand(&scope.json)).into_owned();
    }
    out = NOW
        .replace_all(&out, |c: &Captures| {
            let base = if &c[1] == "now" {
                "new Date()".to_string()
            } else {
                "new Date(new Date().toISOString().slice(0, 10))".to_string()
            };
            match c.get(3).map(|m| m.as_str()) {
                None => base,
                Some("toISO") => format!("{base}.toISOString()"),
                Some("toMillis") => format!("{base}.getTime()"),
                Some(method) => {
                    lost.push((
                        format!("${}.{method}()", &c[1]),
                        "a Luxon method; $now and $today are JavaScript Dates here".into(),
                    ));
                    format!("{base}.{method}()")
                }
            }
        })
        .into_owned();
    out = out
        .replace("$execution.id", "$run.id")
        .replace("$workflow.id", "$run.workflowId")
        .replace("$workflow.name", "$run.workflowId")
        .replace("$pageCount", "$page")
        .replace(
            "$itemIndex",
            if scope.in_loop || code { "$index" } else { "0" },
        );
    for c in UNKNOWN.captures_iter(&out) {
        let what = format!("${}", &c[1]);
        if !lost.iter().any(|(w, _)| *w == what) {
            lost.push((what, "has no Flowbench equivalent".into()));
        }
    }
    out
}

/// The `$vars` names an n8n expression reads: n8n's variables are the
/// instance's; here they become the workflow's `variables`.
pub(super) fn vars_read(text: &str) -> Vec<String> {
    VARS.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// An n8n parameter value as a Flowbench config value: `=` strings are
/// expressions, their `{{ … }}` rewritten; other strings are literals.
pub(super) fn value(v: &Value, scope: &Scope, lost: &mut Lost) -> Value {
    match v {
        Value::String(s) => match s.strip_prefix('=') {
            Some(template) => Value::String(rewrite_template(template, scope, lost)),
            None => Value::String(s.clone()),
        },
        Value::Array(items) => Value::Array(items.iter().map(|i| value(i, scope, lost)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), value(v, scope, lost)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A template's `{{ … }}` parts rewritten, the text around them kept.
pub(super) fn rewrite_template(template: &str, scope: &Scope, lost: &mut Lost) -> String {
    let mut out = String::new();
    for part in template_parts(template) {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Expr(e) => {
                out.push_str("{{ ");
                out.push_str(rewrite_js(e.trim(), scope, false, lost).as_str());
                out.push_str(" }}");
            }
        }
    }
    out
}

/// An n8n parameter value as one JavaScript expression (for conditions and
/// the code that stands in for Set and Merge).
pub(super) fn js(v: &Value, scope: &Scope, lost: &mut Lost) -> String {
    match v {
        Value::String(s) => match s.strip_prefix('=') {
            Some(template) => {
                let parts = template_parts(template);
                match parts.as_slice() {
                    [Part::Expr(e)] => format!("({})", rewrite_js(e.trim(), scope, false, lost)),
                    _ => {
                        let mut out = String::from("`");
                        for part in parts {
                            match part {
                                Part::Text(t) => out.push_str(
                                    &t.replace('\\', "\\\\")
                                        .replace('`', "\\`")
                                        .replace("${", "\\${"),
                                ),
                                Part::Expr(e) => {
                                    out.push_str("${");
                                    out.push_str(&rewrite_js(e.trim(), scope, false, lost));
                                    out.push('}');
                                }
                            }
                        }
                        out.push('`');
                        out
                    }
                }
            }
            None => Value::String(s.clone()).to_string(),
        },
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| js(i, scope, lost))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), js(v, scope, lost)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

enum Part<'a> {
    Text(&'a str),
    Expr(&'a str),
}

/// Splits `a {{ b }} c` into its text and its expressions. An unclosed `{{`
/// is text.
fn template_parts(template: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        parts.push(Part::Expr(&rest[open + 2..open + 2 + close]));
        rest = &rest[open + 2 + close + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope<'a>(names: &'a BTreeMap<String, (String, &'static str)>) -> Scope<'a> {
        Scope {
            names,
            json: "$input".into(),
            in_loop: false,
        }
    }

    #[test]
    fn n8n_names_become_flowbench_ones() {
        let mut names = BTreeMap::new();
        names.insert(
            "Get Orders".to_string(),
            ("get_orders".to_string(), ".body"),
        );
        names.insert("Set".to_string(), ("set".to_string(), ""));
        let s = scope(&names);
        let mut lost = Lost::new();
        let cases = [
            ("$json.total > 10", "$input.total > 10"),
            ("$input.item.json.email", "$input.email"),
            ("$input.first().json['a b']", "$input['a b']"),
            (
                "$('Get Orders').item.json.id",
                "$nodes.get_orders.output.body.id",
            ),
            ("$(\"Set\").first().json.x", "$nodes.set.output.x"),
            ("$node[\"Set\"].json.x", "$nodes.set.output.x"),
            (
                "$('Set').all().length",
                "[].concat($nodes.set.output).map(json => ({ json })).length",
            ),
            ("$execution.id + $workflow.id", "$run.id + $run.workflowId"),
            ("$now.toISO()", "new Date().toISOString()"),
        ];
        for (n8n, flowbench) in cases {
            assert_eq!(rewrite_js(n8n, &s, false, &mut lost), flowbench, "{n8n}");
        }
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(
            rewrite_js("$('Nope').item.json.a", &s, false, &mut lost),
            "null.a"
        );
        assert_eq!(lost.len(), 1);
    }

    #[test]
    fn templates_keep_their_text() {
        let names = BTreeMap::new();
        let s = scope(&names);
        let mut lost = Lost::new();
        assert_eq!(
            value(
                &Value::String("=Hello {{ $json.name }}!".into()),
                &s,
                &mut lost
            ),
            Value::String("Hello {{ $input.name }}!".into())
        );
        assert_eq!(
            js(
                &Value::String("=id {{ $json.id }} `x`".into()),
                &s,
                &mut lost
            ),
            "`id ${$input.id} \\`x\\``"
        );
        assert_eq!(
            js(&Value::String("={{ $json.n }}".into()), &s, &mut lost),
            "($input.n)"
        );
        assert_eq!(
            js(&Value::String("plain".into()), &s, &mut lost),
            "\"plain\""
        );
    }
}
