//! Schedules: each `trigger.schedule` of a served workflow fires at its
//! `cron` in its `timezone` (croner, chrono-tz) while the service runs. A
//! fire missed while nothing was serving is not made up; a fire while the
//! previous run of the same trigger still goes is skipped and logged.

use super::Service;
use crate::engine::{self, RunControl, RunOptions};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Checks the schedules every second, for as long as the service runs.
pub(crate) async fn keep(service: Arc<Service>) {
    let mut checked = Utc::now();
    let mut running: HashMap<(String, String), JoinHandle<()>> = HashMap::new();
    loop {
        // Just past the next whole second: cron fires on seconds.
        let wait = 1000 - (Utc::now().timestamp_subsec_millis() % 1000) + 5;
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
        let now = Utc::now();
        for loaded in service.folder.workflows() {
            let Ok(prepared) = &loaded.prepared else {
                continue;
            };
            for node in loaded
                .workflow
                .nodes
                .iter()
                .filter(|n| n.node_type == "trigger.schedule")
            {
                let Some(at) = due(node, checked, now) else {
                    continue;
                };
                let key = (loaded.workflow.id.clone(), node.id.clone());
                if running.get(&key).is_some_and(|h| !h.is_finished()) {
                    eprintln!(
                        "schedule {} of {}: skipped at {at}, the previous run still goes",
                        node.id, loaded.workflow.id
                    );
                    continue;
                }
                let mut options = RunOptions {
                    input: Some(
                        json!({"firedAt": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)}),
                    ),
                    trigger: Some(node.id.clone()),
                    ..crate::api::runs::options_for(&loaded.file)
                };
                match service.recorded(&loaded, &mut options) {
                    Ok(journal) => options.journal = Some(journal),
                    Err(e) => {
                        eprintln!(
                            "schedule {} of {}: {}",
                            node.id, loaded.workflow.id, e.message
                        );
                        continue;
                    }
                }
                let run = engine::run_prepared(prepared.clone(), options, RunControl::new(), None);
                running.insert(
                    key,
                    tokio::spawn(async move {
                        let _ = run.await;
                    }),
                );
            }
        }
        running.retain(|_, h| !h.is_finished());
        checked = now;
    }
}

/// The next `count` fire times of a cron expression in a time zone, after now.
pub fn next_fires(cron: &str, timezone: &str, count: usize) -> Result<Vec<DateTime<Utc>>, String> {
    let tz: chrono_tz::Tz = timezone
        .parse()
        .map_err(|_| format!("\"{timezone}\" is not an IANA time zone"))?;
    let cron = croner::Cron::new(cron)
        .with_seconds_optional()
        .parse()
        .map_err(|e| format!("cron \"{cron}\" is not valid: {e}"))?;
    let mut at = Utc::now().with_timezone(&tz);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        at = cron
            .find_next_occurrence(&at, false)
            .map_err(|e| e.to_string())?;
        out.push(at.with_timezone(&Utc));
    }
    Ok(out)
}

/// The fire time of a schedule in (after, until], if there is one.
fn due(
    node: &crate::model::Node,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let cron = node.config_value("cron")?.as_str()?;
    let tz: chrono_tz::Tz = node
        .config_value("timezone")
        .and_then(|v| v.as_str())
        .unwrap_or("UTC")
        .parse()
        .ok()?;
    let cron = croner::Cron::new(cron)
        .with_seconds_optional()
        .parse()
        .ok()?;
    let next = cron
        .find_next_occurrence(&after.with_timezone(&tz), false)
        .ok()?
        .with_timezone(&Utc);
    (next <= until).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::next_fires;

    #[test]
    fn next_fires_follow_the_cron_in_its_time_zone() {
        // 09:30 in Paris is 08:30 or 07:30 UTC, depending on the season.
        let fires = next_fires("30 9 * * *", "Europe/Paris", 3).unwrap();
        assert_eq!(fires.len(), 3);
        for f in &fires {
            assert_eq!(chrono::Timelike::minute(f), 30);
            assert!([7, 8].contains(&chrono::Timelike::hour(f)), "{f}");
        }
        assert!(fires.windows(2).all(|w| (w[1] - w[0]).num_hours() >= 23));
        assert!(next_fires("30 9 * * *", "Mars/Olympus", 3)
            .unwrap_err()
            .contains("Mars/Olympus"));
        assert!(next_fires("not cron", "UTC", 3).is_err());
    }
}
