//! n8n's triggers: Webhook, Schedule Trigger, and the older Cron and Interval.

use super::*;

pub(super) fn webhook(s: &Source, lost: &mut Lost) -> Mapped {
    let path = s
        .param("path")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .or_else(|| {
            s.raw
                .get("webhookId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "hook".into());
    let path = format!("/{}", path.trim_start_matches('/'));
    let method = s.str_param("httpMethod", "GET").to_ascii_uppercase();
    let mut config = json!({ "path": path, "method": method });
    match s.str_param("responseMode", "onReceived") {
        "onReceived" => config["respond"] = json!("immediately"),
        "lastNode" | "responseNode" => {}
        other => lost.push((
            format!("responseMode {other}"),
            "answers when the run is done".into(),
        )),
    }
    if s.param("authentication")
        .and_then(Value::as_str)
        .is_some_and(|a| a != "none")
    {
        lost.push((
            "authentication".into(),
            "Flowbench webhooks take their own token (docs/service.md)".into(),
        ));
    }
    Mapped::new("trigger.webhook", config)
}

pub(super) fn schedule_config(cron: String, timezone: Option<&str>) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("cron".into(), Value::String(cron));
    if let Some(tz) = timezone {
        c.insert("timezone".into(), Value::String(tz.into()));
    }
    c
}

pub(super) fn schedule(s: &Source, timezone: Option<&str>, lost: &mut Lost) -> Mapped {
    let rules: Vec<Value> = s
        .param("rule")
        .and_then(|r| r.get("interval"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| vec![json!({})]);
    let mut crons = Vec::new();
    for rule in &rules {
        let n = |key: &str, default: i64| number(rule.get(key), default);
        let every = |k: i64| {
            if k <= 1 {
                "*".to_string()
            } else {
                format!("*/{k}")
            }
        };
        let cron = match rule.get("field").and_then(Value::as_str).unwrap_or("days") {
            "cronExpression" => rule
                .get("expression")
                .and_then(Value::as_str)
                .unwrap_or("0 0 * * *")
                .trim()
                .to_string(),
            "seconds" => format!("{} * * * * *", every(n("secondsInterval", 30))),
            "minutes" => format!("{} * * * *", every(n("minutesInterval", 5))),
            "hours" => format!(
                "{} {} * * *",
                n("triggerAtMinute", 0),
                every(n("hoursInterval", 1))
            ),
            "weeks" => {
                if n("weeksInterval", 1) > 1 {
                    lost.push((
                        "weeksInterval".into(),
                        "a cron fires every week; every N weeks cannot be written".into(),
                    ));
                }
                let days: Vec<String> = rule
                    .get("triggerAtDay")
                    .and_then(Value::as_array)
                    .map(|d| d.iter().map(|v| number(Some(v), 0).to_string()).collect())
                    .filter(|d: &Vec<String>| !d.is_empty())
                    .unwrap_or_else(|| vec!["0".into()]);
                format!(
                    "{} {} * * {}",
                    n("triggerAtMinute", 0),
                    n("triggerAtHour", 0),
                    days.join(",")
                )
            }
            "months" => format!(
                "{} {} {} {} *",
                n("triggerAtMinute", 0),
                n("triggerAtHour", 0),
                n("triggerAtDayOfMonth", 1),
                every(n("monthsInterval", 1))
            ),
            _ => format!(
                "{} {} {} * *",
                n("triggerAtMinute", 0),
                n("triggerAtHour", 0),
                every(n("daysInterval", 1))
            ),
        };
        crons.push(cron);
    }
    schedules(crons, timezone)
}

pub(super) fn schedules(crons: Vec<String>, timezone: Option<&str>) -> Mapped {
    let mut crons = crons.into_iter();
    let first = crons.next().unwrap_or_else(|| "0 0 * * *".into());
    let mut m = Mapped::new(
        "trigger.schedule",
        Value::Object(schedule_config(first, timezone)),
    );
    m.copies = crons.map(|c| schedule_config(c, timezone)).collect();
    m
}

/// The Cron and Interval nodes of n8n before the Schedule Trigger.
pub(super) fn old_schedule(s: &Source, timezone: Option<&str>, lost: &mut Lost) -> Mapped {
    if s.base_type() == Some("interval") {
        let k = number(s.param("interval"), 1).max(1);
        let cron = match s.str_param("unit", "seconds") {
            "minutes" => format!("*/{k} * * * *"),
            "hours" => format!("0 */{k} * * *"),
            _ => format!("*/{k} * * * * *"),
        };
        return schedules(vec![cron], timezone);
    }
    let mut crons = Vec::new();
    for item in s
        .param("triggerTimes")
        .and_then(|t| t.get("item"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let n = |key: &str, default: i64| number(item.get(key), default);
        crons.push(
            match item
                .get("mode")
                .and_then(Value::as_str)
                .unwrap_or("everyDay")
            {
                "everyMinute" => "* * * * *".to_string(),
                "everyHour" => format!("{} * * * *", n("minute", 0)),
                "everyWeek" => format!(
                    "{} {} * * {}",
                    n("minute", 0),
                    n("hour", 14),
                    n("weekday", 1)
                ),
                "everyMonth" => format!(
                    "{} {} {} * *",
                    n("minute", 0),
                    n("hour", 14),
                    n("dayOfMonth", 1)
                ),
                "everyX" => {
                    let k = n("value", 2).max(1);
                    match item.get("unit").and_then(Value::as_str).unwrap_or("hours") {
                        "minutes" => format!("*/{k} * * * *"),
                        _ => format!("0 */{k} * * *"),
                    }
                }
                "custom" => item
                    .get("cronExpression")
                    .and_then(Value::as_str)
                    .unwrap_or("* * * * *")
                    .to_string(),
                _ => format!("{} {} * * *", n("minute", 0), n("hour", 14)),
            },
        );
    }
    if crons.is_empty() {
        lost.push((
            "triggerTimes".into(),
            "none set; it fires daily at midnight".into(),
        ));
    }
    schedules(crons, timezone)
}
