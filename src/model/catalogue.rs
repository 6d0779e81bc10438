//! The node catalogue: every node type, its category, ports and config fields.
//!
//! The config fields (keys, required, defaults, descriptions) are read from the
//! JSON Schema of the type's config struct in `config.rs`, so the validator, the
//! schema and the UI's forms cannot drift apart.

use super::config::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::OnceLock;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Trigger,
    Condition,
    Task,
}

/// Every node type Flowbench knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    TriggerManual,
    TriggerWebhook,
    TriggerSchedule,
    ConditionIf,
    ConditionSwitch,
    TaskHttp,
    TaskCode,
    TaskSql,
    TaskSet,
    TaskDelay,
    TaskApproval,
    TaskLog,
    TaskSubflow,
    TaskRespond,
}

/// A node's typed config, parsed from its `config` object.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeConfig {
    Manual(ManualTriggerConfig),
    Webhook(WebhookTriggerConfig),
    Schedule(ScheduleTriggerConfig),
    If(IfConfig),
    Switch(SwitchConfig),
    Http(HttpConfig),
    Code(CodeConfig),
    Sql(SqlConfig),
    Set(SetConfig),
    Delay(DelayConfig),
    Approval(ApprovalConfig),
    Log(LogConfig),
    Subflow(SubflowConfig),
    Respond(RespondConfig),
}

/// One config key of a node type, as the UI's form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConfigField {
    pub key: String,
    pub required: bool,
    /// The JSON Schema of the key's value.
    pub schema: Value,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    pub description: String,
}

/// A node type in the catalogue, as the UI's palette and inspector use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeTypeSpec {
    #[serde(rename = "type")]
    pub node_type: String,
    pub category: Category,
    pub label: String,
    pub description: String,
    /// The fixed output ports; a switch adds one per case, and `onError: "route"` adds `error`.
    pub ports: Vec<String>,
    pub fields: Vec<ConfigField>,
    /// The JSON Schema of the whole config object.
    pub config_schema: Value,
}

impl NodeKind {
    pub const ALL: [NodeKind; 14] = [
        NodeKind::TriggerManual,
        NodeKind::TriggerWebhook,
        NodeKind::TriggerSchedule,
        NodeKind::ConditionIf,
        NodeKind::ConditionSwitch,
        NodeKind::TaskHttp,
        NodeKind::TaskCode,
        NodeKind::TaskSql,
        NodeKind::TaskSet,
        NodeKind::TaskDelay,
        NodeKind::TaskApproval,
        NodeKind::TaskLog,
        NodeKind::TaskSubflow,
        NodeKind::TaskRespond,
    ];

    pub fn from_type(node_type: &str) -> Option<NodeKind> {
        NodeKind::ALL
            .into_iter()
            .find(|k| k.type_name() == node_type)
    }

    pub fn type_name(self) -> &'static str {
        match self {
            NodeKind::TriggerManual => "trigger.manual",
            NodeKind::TriggerWebhook => "trigger.webhook",
            NodeKind::TriggerSchedule => "trigger.schedule",
            NodeKind::ConditionIf => "condition.if",
            NodeKind::ConditionSwitch => "condition.switch",
            NodeKind::TaskHttp => "task.http",
            NodeKind::TaskCode => "task.code",
            NodeKind::TaskSql => "task.sql",
            NodeKind::TaskSet => "task.set",
            NodeKind::TaskDelay => "task.delay",
            NodeKind::TaskApproval => "task.approval",
            NodeKind::TaskLog => "task.log",
            NodeKind::TaskSubflow => "task.subflow",
            NodeKind::TaskRespond => "task.respond",
        }
    }

    pub fn category(self) -> Category {
        match self {
            NodeKind::TriggerManual | NodeKind::TriggerWebhook | NodeKind::TriggerSchedule => {
                Category::Trigger
            }
            NodeKind::ConditionIf | NodeKind::ConditionSwitch => Category::Condition,
            _ => Category::Task,
        }
    }

    pub fn is_trigger(self) -> bool {
        self.category() == Category::Trigger
    }

    fn label_and_description(self) -> (&'static str, &'static str) {
        match self {
            NodeKind::TriggerManual => (
                "Manual trigger",
                "Starts a run by hand, with a given input.",
            ),
            NodeKind::TriggerWebhook => (
                "Webhook trigger",
                "Starts a run when an HTTP request arrives.",
            ),
            NodeKind::TriggerSchedule => ("Schedule trigger", "Starts a run on a cron schedule."),
            NodeKind::ConditionIf => ("If", "Goes on through `true` or `false`."),
            NodeKind::ConditionSwitch => (
                "Switch",
                "Goes on through the first matching case, else `default`.",
            ),
            NodeKind::TaskHttp => ("HTTP request", "Calls an HTTP service."),
            NodeKind::TaskCode => ("Code", "Runs sandboxed JavaScript."),
            NodeKind::TaskSql => ("SQL", "Queries a SQLite file."),
            NodeKind::TaskSet => (
                "Set values",
                "Sets values, optionally into the workflow variables.",
            ),
            NodeKind::TaskDelay => ("Delay", "Waits, then passes its input on."),
            NodeKind::TaskApproval => ("Approval", "Waits for a person's decision."),
            NodeKind::TaskLog => ("Log", "Writes a line to the run's logs."),
            NodeKind::TaskSubflow => ("Subflow", "Runs another workflow."),
            NodeKind::TaskRespond => ("Respond", "Sets the run's response."),
        }
    }

    /// The fixed output ports (a switch's case ports come from its config).
    pub fn fixed_ports(self) -> &'static [&'static str] {
        match self {
            NodeKind::ConditionIf => &["true", "false"],
            NodeKind::ConditionSwitch => &["default"],
            NodeKind::TaskApproval => &["approved", "rejected"],
            _ => &["out"],
        }
    }

    /// The JSON Schema of this type's config.
    pub fn config_schema(self) -> Value {
        fn schema<T: JsonSchema>() -> Value {
            // Inlined, so that each field's schema stands on its own in the UI.
            let mut settings = schemars::generate::SchemaSettings::draft2020_12();
            settings.inline_subschemas = true;
            settings
                .into_generator()
                .into_root_schema_for::<T>()
                .to_value()
        }
        match self {
            NodeKind::TriggerManual => schema::<ManualTriggerConfig>(),
            NodeKind::TriggerWebhook => schema::<WebhookTriggerConfig>(),
            NodeKind::TriggerSchedule => schema::<ScheduleTriggerConfig>(),
            NodeKind::ConditionIf => schema::<IfConfig>(),
            NodeKind::ConditionSwitch => schema::<SwitchConfig>(),
            NodeKind::TaskHttp => schema::<HttpConfig>(),
            NodeKind::TaskCode => schema::<CodeConfig>(),
            NodeKind::TaskSql => schema::<SqlConfig>(),
            NodeKind::TaskSet => schema::<SetConfig>(),
            NodeKind::TaskDelay => schema::<DelayConfig>(),
            NodeKind::TaskApproval => schema::<ApprovalConfig>(),
            NodeKind::TaskLog => schema::<LogConfig>(),
            NodeKind::TaskSubflow => schema::<SubflowConfig>(),
            NodeKind::TaskRespond => schema::<RespondConfig>(),
        }
    }

    /// The config's required keys, in the order the schema lists them.
    pub fn required_keys(self) -> &'static [String] {
        &self.cached_spec().1
    }

    /// The spec and required keys, generated once per process: schema
    /// generation is far too slow to repeat for every node validated.
    fn cached_spec(self) -> &'static (NodeTypeSpec, Vec<String>) {
        static SPECS: OnceLock<Vec<(NodeTypeSpec, Vec<String>)>> = OnceLock::new();
        let specs = SPECS.get_or_init(|| {
            NodeKind::ALL
                .iter()
                .map(|k| {
                    let spec = k.build_spec();
                    let required = spec
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.key.clone())
                        .collect();
                    (spec, required)
                })
                .collect()
        });
        &specs[NodeKind::ALL
            .iter()
            .position(|k| *k == self)
            .expect("every kind is in ALL")]
    }

    /// Parses a node's config; the error names the key and what is wrong.
    pub fn parse_config(self, config: &Map<String, Value>) -> Result<NodeConfig, String> {
        fn parse<T: serde::de::DeserializeOwned>(config: &Map<String, Value>) -> Result<T, String> {
            let value = Value::Object(config.clone());
            serde_path_to_error::deserialize(&value).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                if path == "." {
                    inner
                } else {
                    format!("\"{path}\": {inner}")
                }
            })
        }
        Ok(match self {
            NodeKind::TriggerManual => NodeConfig::Manual(parse(config)?),
            NodeKind::TriggerWebhook => NodeConfig::Webhook(parse(config)?),
            NodeKind::TriggerSchedule => NodeConfig::Schedule(parse(config)?),
            NodeKind::ConditionIf => NodeConfig::If(parse(config)?),
            NodeKind::ConditionSwitch => NodeConfig::Switch(parse(config)?),
            NodeKind::TaskHttp => NodeConfig::Http(parse(config)?),
            NodeKind::TaskCode => NodeConfig::Code(parse(config)?),
            NodeKind::TaskSql => NodeConfig::Sql(parse(config)?),
            NodeKind::TaskSet => NodeConfig::Set(parse(config)?),
            NodeKind::TaskDelay => NodeConfig::Delay(parse(config)?),
            NodeKind::TaskApproval => NodeConfig::Approval(parse(config)?),
            NodeKind::TaskLog => NodeConfig::Log(parse(config)?),
            NodeKind::TaskSubflow => NodeConfig::Subflow(parse(config)?),
            NodeKind::TaskRespond => NodeConfig::Respond(parse(config)?),
        })
    }

    /// The catalogue entry the UI shows.
    pub fn spec(self) -> &'static NodeTypeSpec {
        &self.cached_spec().0
    }

    fn build_spec(self) -> NodeTypeSpec {
        let (label, description) = self.label_and_description();
        let config_schema = self.config_schema();
        let required: Vec<String> = config_schema
            .get("required")
            .and_then(Value::as_array)
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let fields = config_schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(key, schema)| ConfigField {
                        key: key.clone(),
                        required: required.contains(key),
                        default: schema.get("default").cloned(),
                        description: schema
                            .get("description")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        schema: schema.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        NodeTypeSpec {
            node_type: self.type_name().to_string(),
            category: self.category(),
            label: label.to_string(),
            description: description.to_string(),
            ports: self.fixed_ports().iter().map(|p| p.to_string()).collect(),
            fields,
            config_schema,
        }
    }
}

/// The whole catalogue, in palette order.
pub fn catalogue() -> Vec<NodeTypeSpec> {
    NodeKind::ALL
        .into_iter()
        .map(|k| k.spec().clone())
        .collect()
}
