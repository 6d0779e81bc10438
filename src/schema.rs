//! The JSON Schema of the workflow format, generated from the model's types,
//! with each node type's config schema attached by `type`.

use crate::model::Workflow;
use crate::nodes::REGISTRY;
use serde_json::{json, Value};

pub fn workflow_schema() -> Value {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Workflow>()
        .to_value();
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|kind| {
            let mut config = kind.spec().config_schema.clone();
            if let Some(obj) = config.as_object_mut() {
                obj.remove("$schema");
                obj.remove("title");
            }
            json!({
                "if": { "properties": { "type": { "const": kind.type_name() } }, "required": ["type"] },
                "then": { "properties": { "config": config } }
            })
        })
        .collect();
    let types: Vec<&str> = REGISTRY.iter().map(|k| k.type_name()).collect();
    if let Some(node) = schema
        .pointer_mut("/$defs/Node")
        .and_then(Value::as_object_mut)
    {
        node.insert("allOf".into(), Value::Array(rules));
        node.insert("required".into(), json!(["id", "type"]));
        if let Some(t) = node.get_mut("properties").and_then(|p| p.get_mut("type")) {
            t["enum"] = json!(types);
        }
    }
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "required".into(),
            json!(["flowbench", "id", "nodes", "edges"]),
        );
    }
    if let Some(edge) = schema
        .pointer_mut("/$defs/Edge")
        .and_then(Value::as_object_mut)
    {
        edge.insert("required".into(), json!(["from", "to"]));
    }
    schema
}
