//! What the shells call: the desktop app's commands (and, later, the service's
//! API) forward here and hold no rules of their own. Every request and answer
//! that crosses to the UI is a ts-rs type; errors are [`ErrorInfo`] with a
//! [`Code`](crate::error::Code).
//!
//! - [`Workspace`]: the open workspace folder; every file path is confined to it;
//! - [`history`]: the run history: recorded runs, resume, human tasks, revisions;
//! - [`runs`]: starting, watching and stopping runs;
//! - [`tests`]: the workflow tests beside a workflow;
//! - [`workflows`]: workflow files and the engine's rules about a workflow.

pub mod history;
pub mod import;
pub mod revisions;
pub mod runs;
pub mod tests;
pub mod workflows;
mod workspace;

/// The allocator each binary installs so that Python's memory limit holds.
pub use crate::sandbox_alloc;
pub use crate::workspace::WorkspaceEntry;
pub use workspace::{Opened, Workspace};

use crate::error::Code;
use crate::model::ErrorInfo;

/// An answer to a shell: a value, or an error the UI shows as it is.
pub type Answer<T> = Result<T, ErrorInfo>;

pub(crate) fn fail(code: Code, message: impl ToString) -> ErrorInfo {
    ErrorInfo {
        code,
        message: message.to_string(),
    }
}

impl From<crate::workspace::WorkspaceError> for ErrorInfo {
    fn from(e: crate::workspace::WorkspaceError) -> Self {
        fail(e.code(), e)
    }
}

/// The local service (SERVICE.md): webhooks and the HTTP API over a folder.
pub mod service {
    pub use crate::service::{serve, ServeOptions};

    /// A schedule's next `count` fire times (RFC 3339, UTC).
    pub fn next_fires(cron: &str, timezone: &str, count: usize) -> super::Answer<Vec<String>> {
        crate::service::schedules::next_fires(cron, timezone, count.min(20))
            .map(|times| {
                times
                    .into_iter()
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .collect()
            })
            .map_err(|m| super::fail(crate::error::Code::BadCron, m))
    }

    /// The full address of a webhook trigger, its token included, on a
    /// service listening at `base` (`http://127.0.0.1:PORT`).
    pub fn webhook_url(
        history: &super::history::History,
        base: &str,
        workflow_id: &str,
        path: &str,
    ) -> super::Answer<String> {
        let token = history.token(&crate::service::token_name(workflow_id))?;
        Ok(format!(
            "{base}/hooks/{workflow_id}/{}?token={token}",
            path.trim_start_matches('/')
        ))
    }
}
