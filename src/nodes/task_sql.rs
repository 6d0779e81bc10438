//! `task.sql`: a query on a SQLite file beside the workflow (created if
//! missing), with `?` parameters from an array or `:name` ones from an object.
//! Rows come back as objects; other statements as `{changes, lastInsertRowid}`.
//! A query of several statements without parameters runs as one batch.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::types::{Value as SqlValue, ValueRef};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SqlConfig {
    /// A SQLite file, relative to the workflow's folder; created if missing.
    pub database: String,
    pub query: String,
    /// An array for `?` placeholders, or an object for `:name` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub params: Option<Value>,
}

pub struct Sql;

impl NodeType for Sql {
    type Config = SqlConfig;
    const TYPE: &'static str = "task.sql";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "SQL";
    const DESCRIPTION: &'static str = "Queries a SQLite file.";

    fn run<'a>(ctx: &'a NodeCtx, config: &'a SqlConfig) -> Outcome<'a> {
        Outcome::Later(Box::pin(run(ctx, config)))
    }
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn from_sql(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => json!(b),
    }
}

fn rows(stmt: &mut rusqlite::Statement) -> Result<Value, String> {
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        let mut obj = Map::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            obj.insert(
                name.clone(),
                from_sql(row.get_ref(i).map_err(|e| e.to_string())?),
            );
        }
        out.push(Value::Object(obj));
    }
    Ok(Value::Array(out))
}

fn bind(stmt: &mut rusqlite::Statement, params: &Value) -> Result<(), String> {
    match params {
        Value::Null => {}
        Value::Array(items) => {
            let expected = stmt.parameter_count();
            if items.len() != expected {
                return Err(format!(
                    "the query has {expected} `?` placeholder(s) but params has {} value(s)",
                    items.len()
                ));
            }
            for (i, v) in items.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, to_sql(v))
                    .map_err(|e| e.to_string())?;
            }
        }
        Value::Object(named) => {
            for i in 1..=stmt.parameter_count() {
                let name = stmt.parameter_name(i).unwrap_or("").to_string();
                let key = name.trim_start_matches([':', '@', '$']);
                let v = named
                    .get(key)
                    .ok_or_else(|| format!("params has no value for {name}"))?;
                stmt.raw_bind_parameter(i, to_sql(v))
                    .map_err(|e| e.to_string())?;
            }
        }
        other => return Err(format!("params must be an array or an object, not {other}")),
    }
    Ok(())
}

/// Runs each statement in turn (so a table created by one exists for the
/// next); the result is the last statement's rows, or the changes of all.
fn query(path: &std::path::Path, sql: &str, params: &Value) -> Result<Value, String> {
    let conn = rusqlite::Connection::open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    let before = conn.total_changes();
    let mut batch = rusqlite::Batch::new(&conn, sql);
    let mut result = None;
    let mut count = 0;
    while let Some(mut stmt) = batch.next().map_err(|e| e.to_string())? {
        count += 1;
        if count > 1 && !params.is_null() {
            return Err("a query with params must be one statement".into());
        }
        bind(&mut stmt, params)?;
        if stmt.column_count() > 0 {
            result = Some(rows(&mut stmt)?);
        } else {
            stmt.raw_execute().map_err(|e| e.to_string())?;
            result = None;
        }
    }
    if count == 0 {
        return Err("the query is empty".into());
    }
    Ok(result.unwrap_or_else(|| json!({"changes": conn.total_changes() - before, "lastInsertRowid": conn.last_insert_rowid()})))
}

async fn run(ctx: &NodeCtx, config: &SqlConfig) -> Result<Step, ErrorInfo> {
    let path = ctx.shared.options.base_dir.join(&config.database);
    let shown = config.database.clone();
    let (sql, params) = (
        config.query.clone(),
        config.params.clone().unwrap_or(Value::Null),
    );
    let result = tokio::task::spawn_blocking(move || query(&path, &sql, &params))
        .await
        .map_err(|e| error(Code::SqlError, format!("the query's thread stopped: {e}")))?;
    result
        .map(Step::out)
        .map_err(|m| error(Code::SqlError, format!("{shown}: {m}")))
}
