//! Node types, one file each. A type's file holds its config type, its
//! catalogue entry (type name, label, category, ports; the JSON Schema comes
//! from the config type), its own validation rules and its execution, as an
//! implementation of [`NodeType`]. [`REGISTRY`] lists them; everything else
//! (the validator, the executor, the catalogue, the schema, the UI's bindings)
//! reads the registry. docs/node-types.md says how to add one.

mod condition_if;
mod condition_switch;
mod task_approval;
mod task_code;
mod task_delay;
mod task_http;
mod task_log;
mod task_python;
mod task_respond;
mod task_set;
mod task_sql;
mod task_subflow;
mod trigger_manual;
mod trigger_schedule;
mod trigger_webhook;

pub use condition_if::IfConfig;
pub use condition_switch::{SwitchCase, SwitchConfig};
pub use task_approval::ApprovalConfig;
pub use task_code::CodeConfig;
pub use task_delay::DelayConfig;
pub use task_http::HttpConfig;
pub use task_log::LogConfig;
pub use task_python::PythonConfig;
pub use task_respond::RespondConfig;
pub use task_set::{SetConfig, SetTarget};
pub use task_sql::SqlConfig;
pub use task_subflow::SubflowConfig;
pub use trigger_manual::ManualTriggerConfig;
pub use trigger_schedule::ScheduleTriggerConfig;
pub use trigger_webhook::WebhookTriggerConfig;

use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::{Category, ConfigField, NodeTypeSpec};
use crate::model::{Diagnostic, ErrorInfo, Node};
use futures::future::BoxFuture;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::any::Any;
use std::sync::{Arc, OnceLock};

/// Every node type, in the palette's order. Adding a type adds one line here.
pub static REGISTRY: &[&dyn Registered] = &[
    &Entry::<trigger_manual::ManualTrigger>::NEW,
    &Entry::<trigger_webhook::WebhookTrigger>::NEW,
    &Entry::<trigger_schedule::ScheduleTrigger>::NEW,
    &Entry::<condition_if::If>::NEW,
    &Entry::<condition_switch::Switch>::NEW,
    &Entry::<task_http::Http>::NEW,
    &Entry::<task_code::Code>::NEW,
    &Entry::<task_python::Python>::NEW,
    &Entry::<task_sql::Sql>::NEW,
    &Entry::<task_set::Set>::NEW,
    &Entry::<task_delay::Delay>::NEW,
    &Entry::<task_approval::Approval>::NEW,
    &Entry::<task_log::Log>::NEW,
    &Entry::<task_subflow::Subflow>::NEW,
    &Entry::<task_respond::Respond>::NEW,
];

/// How the executor runs a node type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// It finishes without waiting on anything: it runs in place, on the
    /// executor's own thread (no task, no allocation of a future).
    Immediately,
    /// It waits on I/O or time: a tokio task.
    Async,
    /// It computes (code): in place when nothing else runs, else on tokio's
    /// blocking pool; it enforces its own time limit.
    Blocking,
}

/// What one attempt gives: at once, or a future to wait on. `Done` stays
/// unboxed: quick nodes would otherwise pay an allocation each.
#[allow(clippy::large_enum_variant)]
pub enum Outcome<'a> {
    Done(Result<Step, ErrorInfo>),
    Later(BoxFuture<'a, Result<Step, ErrorInfo>>),
}

/// What a node type's own validation rules report.
pub struct NodeChecks<'a> {
    pub node: &'a Node,
    pub diagnostics: Vec<Diagnostic>,
    /// Code the config holds outside `{{ }}` templates, for the `$nodes` checks: (path, text).
    pub sources: Vec<(String, String)>,
    /// The `$vars` names the node writes, for the concurrent-writes check.
    pub var_writes: Vec<String>,
}

/// A node type. Implemented once per type, in its own file.
pub trait NodeType: Send + Sync + 'static {
    /// The typed config; its JSON Schema is the catalogue's and the file format's.
    type Config: DeserializeOwned + JsonSchema + ts_rs::TS + Send + Sync + 'static;
    /// The `type` in workflow files, such as `task.http`.
    const TYPE: &'static str;
    const CATEGORY: Category;
    const LABEL: &'static str;
    const DESCRIPTION: &'static str;
    /// The fixed output ports.
    const PORTS: &'static [&'static str] = &["out"];
    /// Config keys the node evaluates itself; the others are `{{ }}` templates
    /// resolved before it runs.
    const RAW_KEYS: &'static [&'static str] = &[];
    const RUNS: Runs = Runs::Async;
    /// The port a disabled node passes its input through.
    const DISABLED_PORT: &'static str = "out";
    /// It applies the node's `timeoutMs` itself (to each request), so the
    /// engine does not bound the whole attempt with it.
    const TIMES_ITSELF: bool = false;

    /// Upstream nodes its config names other than through `$nodes` (Python's
    /// `nodes['id']`), written as `$nodes.id` text.
    fn references(_config: &Map<String, Value>) -> String {
        String::new()
    }

    /// Ports the config adds to the fixed ones (a switch's cases). Read from
    /// the raw config, so that a drawing with errors still shows its ports.
    fn config_ports(_config: &Map<String, Value>) -> Vec<String> {
        Vec::new()
    }

    /// The type's own validation rules, on its parsed config.
    fn check(_config: &Self::Config, _checks: &mut NodeChecks) {}

    /// One attempt, with the config's expressions evaluated.
    fn run<'a>(ctx: &'a NodeCtx, config: &'a Self::Config) -> Outcome<'a>;
}

/// A config parsed into its node type's `Config`.
pub type ParsedConfig = Arc<dyn Any + Send + Sync>;

/// A node type as the rest of the engine sees it (object-safe).
pub trait Registered: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn category(&self) -> Category;
    fn runs(&self) -> Runs;
    fn times_itself(&self) -> bool;
    fn references(&self, config: &Map<String, Value>) -> String;
    fn raw_keys(&self) -> &'static [&'static str];
    fn disabled_port(&self) -> &'static str;
    fn fixed_ports(&self) -> &'static [&'static str];
    /// Every output port: fixed ones first, then the config's.
    fn ports(&self, config: &Map<String, Value>) -> Vec<String>;
    /// The catalogue entry, built once.
    fn spec(&self) -> &'static NodeTypeSpec;
    /// Builds the catalogue entry from the config's JSON Schema (slow: `spec` keeps it).
    fn build_spec(&self) -> NodeTypeSpec;
    fn required_keys(&self) -> &'static [String];
    /// Parses a config; the error names the key and what is wrong.
    fn parse(&self, config: &Map<String, Value>) -> Result<ParsedConfig, String>;
    fn check(&self, config: &ParsedConfig, checks: &mut NodeChecks);
    fn execute<'a>(&self, ctx: &'a NodeCtx, config: &'a ParsedConfig) -> Outcome<'a>;
    /// Writes the config's TypeScript binding; gives its type's name.
    fn export_config(&self, cfg: &ts_rs::Config) -> Result<String, ts_rs::ExportError>;
}

/// The node type of a `type` name.
pub fn find(type_name: &str) -> Option<&'static dyn Registered> {
    REGISTRY
        .iter()
        .copied()
        .find(|t| t.type_name() == type_name)
}

/// The whole catalogue, in palette order.
pub fn catalogue() -> Vec<NodeTypeSpec> {
    REGISTRY.iter().map(|t| t.spec().clone()).collect()
}

/// The registry's entry for one type.
pub struct Entry<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Entry<T> {
    pub const NEW: Entry<T> = Entry(std::marker::PhantomData);
}

/// Specs are built from JSON Schemas once per process, all at once: schema
/// generation is far too slow to repeat for every node validated, and a
/// look-up after that takes no lock.
fn cached_spec(type_name: &str) -> &'static (NodeTypeSpec, Vec<String>) {
    type Specs = std::collections::HashMap<&'static str, (NodeTypeSpec, Vec<String>)>;
    static SPECS: OnceLock<Specs> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|t| {
                let spec = t.build_spec();
                let required = spec
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.key.clone())
                    .collect();
                (t.type_name(), (spec, required))
            })
            .collect()
    });
    &specs[type_name]
}

fn config_schema<C: JsonSchema>() -> Value {
    // Inlined, so that each field's schema stands on its own in the UI.
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    settings
        .into_generator()
        .into_root_schema_for::<C>()
        .to_value()
}

fn build_spec<T: NodeType>() -> NodeTypeSpec {
    let config_schema = config_schema::<T::Config>();
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
        node_type: T::TYPE.to_string(),
        category: T::CATEGORY,
        label: T::LABEL.to_string(),
        description: T::DESCRIPTION.to_string(),
        ports: T::PORTS.iter().map(|p| p.to_string()).collect(),
        fields,
        config_schema,
    }
}

impl<T: NodeType> Registered for Entry<T> {
    fn type_name(&self) -> &'static str {
        T::TYPE
    }
    fn category(&self) -> Category {
        T::CATEGORY
    }
    fn runs(&self) -> Runs {
        T::RUNS
    }
    fn times_itself(&self) -> bool {
        T::TIMES_ITSELF
    }
    fn references(&self, config: &Map<String, Value>) -> String {
        T::references(config)
    }
    fn raw_keys(&self) -> &'static [&'static str] {
        T::RAW_KEYS
    }
    fn disabled_port(&self) -> &'static str {
        T::DISABLED_PORT
    }
    fn fixed_ports(&self) -> &'static [&'static str] {
        T::PORTS
    }
    fn ports(&self, config: &Map<String, Value>) -> Vec<String> {
        let mut ports: Vec<String> = T::PORTS.iter().map(|p| p.to_string()).collect();
        ports.extend(T::config_ports(config));
        ports
    }
    fn spec(&self) -> &'static NodeTypeSpec {
        &cached_spec(T::TYPE).0
    }
    fn required_keys(&self) -> &'static [String] {
        &cached_spec(T::TYPE).1
    }
    fn build_spec(&self) -> NodeTypeSpec {
        build_spec::<T>()
    }
    fn parse(&self, config: &Map<String, Value>) -> Result<ParsedConfig, String> {
        // Straight from the map: no copy of the config first.
        let parsed: T::Config = serde_path_to_error::deserialize(config).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            if path == "." {
                inner
            } else {
                format!("\"{path}\": {inner}")
            }
        })?;
        Ok(Arc::new(parsed))
    }
    fn check(&self, config: &ParsedConfig, checks: &mut NodeChecks) {
        if let Some(config) = config.downcast_ref::<T::Config>() {
            T::check(config, checks);
        }
    }
    fn execute<'a>(&self, ctx: &'a NodeCtx, config: &'a ParsedConfig) -> Outcome<'a> {
        match config.downcast_ref::<T::Config>() {
            Some(config) => T::run(ctx, config),
            None => Outcome::Done(Err(crate::engine::context::error(
                crate::error::Code::Internal,
                format!("{}: the config was parsed for another node type", T::TYPE),
            ))),
        }
    }
    fn export_config(&self, cfg: &ts_rs::Config) -> Result<String, ts_rs::ExportError> {
        <T::Config as ts_rs::TS>::export_all(cfg)?;
        Ok(<T::Config as ts_rs::TS>::name(cfg))
    }
}

/// Serde defaults the config types share.
pub(crate) mod defaults {
    use serde_json::{Map, Value};

    pub fn empty_object() -> Value {
        Value::Object(Map::new())
    }
    pub fn post() -> String {
        "POST".into()
    }
    pub fn get() -> String {
        "GET".into()
    }
    pub fn utc() -> String {
        "UTC".into()
    }
    pub fn yes() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_registered_once_with_its_schema() {
        let mut names = std::collections::HashSet::new();
        for t in REGISTRY {
            assert!(names.insert(t.type_name()), "{} twice", t.type_name());
            assert!(find(t.type_name()).is_some());
            let spec = t.spec();
            assert_eq!(spec.node_type, t.type_name());
            assert_eq!(spec.config_schema["type"], "object", "{}", t.type_name());
        }
        assert_eq!(REGISTRY.len(), 15);
        assert!(find("task.teleport").is_none());
    }
}
