//! n8n's Code, Function and Function Item, wrapped in n8n's item model.

use super::*;

pub(super) fn code(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let language = s.str_param("language", "javaScript");
    if language != "javaScript" {
        return unmapped(s, "Python code nodes are not imported yet", lost);
    }
    let per_item = s.str_param("mode", "runOnceForAllItems") == "runOnceForEachItem";
    let default = if per_item {
        "return $input.item;"
    } else {
        "return $input.all();"
    };
    let body = s.str_param("jsCode", default);
    wrapped_code(body, per_item, scope, lost)
}

/// n8n code inside a wrapper that gives it n8n's item model: `$input.all()`,
/// `$input.first()`, `$input.item`, `$json`, `items`, `item`; what it
/// returns (items, or plain objects) becomes the output: one item as the
/// object itself, several as an array.
pub(super) fn wrapped_code(body: &str, per_item: bool, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut body = rewrite_js(body, scope, true, lost);
    if body.contains("await ") {
        body = body.replace("await ", "");
        lost.push((
            "await".into(),
            "removed: Flowbench code runs synchronously".into(),
        ));
    }
    for (needle, what) in [
        ("this.helpers", "this.helpers"),
        ("require(", "require()"),
        ("$getWorkflowStaticData", "$getWorkflowStaticData"),
    ] {
        if body.contains(needle) {
            lost.push((
                what.into(),
                "the sandbox has no such thing; the code fails where it is used".into(),
            ));
        }
    }
    let input = &scope.json;
    let unwrap = "const __out = [].concat(__result ?? []).map((i) => (i && typeof i === 'object' && 'json' in i ? i.json : i));\nreturn __out.length === 1 ? __out[0] : __out;";
    let indented: String = body.lines().map(|l| format!("  {l}\n")).collect();
    let code = if per_item {
        format!(
            "// n8n code, once per item; its items are this node's input.\nconst __result = [].concat({input} ?? []).map((__json, __index) => (function ($input, $json, item, $itemIndex) {{\n{indented}}})({{ item: {{ json: __json }} }}, __json, __json, __index));\n{unwrap}"
        )
    } else {
        format!(
            "// n8n code, once for all items; its items are this node's input.\nconst __items = [].concat({input} ?? []).map((json) => ({{ json }}));\nconst __result = (function ($input, $json, items) {{\n{indented}}})({{ all: () => __items, first: () => __items[0], last: () => __items[__items.length - 1], item: __items[0] }}, __items[0] && __items[0].json, __items);\n{unwrap}"
        )
    };
    Mapped::new("task.code", json!({ "code": code }))
}
