//! How the service follows a run it started: its journal watched on the way
//! to the history (the run's id once recorded, its response once set), and a
//! run that outlives the caller's wait.

use crate::engine::{Entries, JournalHandle, RunJournal};
use crate::model::JournalEntry;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{ready, Context, Poll};
use tokio::sync::oneshot;

/// The run's journal, watched on its way to the history: the run's id once
/// its start is recorded (so that the history can be asked about it), and its
/// response the moment a `task.respond` sets it.
pub(crate) struct Watch {
    inner: JournalHandle,
    run_id: Mutex<Option<String>>,
    started: Mutex<Option<oneshot::Sender<String>>>,
    responded: Mutex<Option<oneshot::Sender<(u16, Value)>>>,
}

/// The run's id once its start is recorded, and its response when set.
pub(crate) type Signals = (oneshot::Receiver<String>, oneshot::Receiver<(u16, Value)>);

impl Watch {
    pub(crate) fn new(inner: JournalHandle) -> (Watch, Signals) {
        let (s_tx, s_rx) = oneshot::channel();
        let (r_tx, r_rx) = oneshot::channel();
        let watch = Watch {
            inner,
            run_id: Mutex::new(None),
            started: Mutex::new(Some(s_tx)),
            responded: Mutex::new(Some(r_tx)),
        };
        (watch, (s_rx, r_rx))
    }
}

impl Watch {
    /// The run's start is with the history: its id goes to the caller.
    fn recorded(&self) {
        let id = self.run_id.lock().ok().and_then(|mut id| id.take());
        if let (Some(id), Some(tx)) = (id, self.started.lock().ok().and_then(|mut s| s.take())) {
            let _ = tx.send(id);
        }
    }
}

impl RunJournal for Watch {
    fn append(&self, entries: &mut Entries) {
        // A run's start and its response are kept whole.
        for entry in entries.whole() {
            match entry {
                JournalEntry::RunStarted { run_id, .. } => {
                    if let Ok(mut id) = self.run_id.lock() {
                        *id = Some(run_id.clone());
                    }
                }
                JournalEntry::ResponseSet { status, body, .. } => {
                    if let Some(tx) = self.responded.lock().ok().and_then(|mut s| s.take()) {
                        let _ = tx.send((*status, body.clone()));
                    }
                }
                _ => {}
            }
        }
        self.inner.0.append(entries);
    }

    fn chunk(&self) -> Entries {
        self.inner.0.chunk()
    }

    fn commit(&self) -> Result<(), String> {
        self.inner.0.commit()?;
        self.recorded();
        Ok(())
    }

    /// Waits for the end to be written, unlike a run from the CLI or the
    /// app: the caller is answered with the run's id (and often its end),
    /// which any process may then ask the history about.
    fn commit_end(&self) -> Result<(), String> {
        self.inner.0.commit()?;
        self.recorded();
        Ok(())
    }
}

/// A run driven by the caller's task that goes on in a task of its own when
/// that task lets go of it before its end: the caller has its answer, or has
/// hung up (the server then drops the handler).
pub(crate) struct GoesOn<F: Future + Send + 'static>
where
    F::Output: Send + 'static,
{
    run: Option<Pin<Box<F>>>,
    runtime: tokio::runtime::Handle,
}

impl<F: Future + Send + 'static> GoesOn<F>
where
    F::Output: Send + 'static,
{
    pub(crate) fn new(run: F) -> Self {
        GoesOn {
            run: Some(Box::pin(run)),
            runtime: tokio::runtime::Handle::current(),
        }
    }
}

impl<F: Future + Send + 'static> Future for GoesOn<F>
where
    F::Output: Send + 'static,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Some(run) = self.run.as_mut() else {
            return Poll::Pending; // ended already: never polled again
        };
        let ended = ready!(run.as_mut().poll(cx));
        self.run = None;
        Poll::Ready(ended)
    }
}

impl<F: Future + Send + 'static> Drop for GoesOn<F>
where
    F::Output: Send + 'static,
{
    fn drop(&mut self) {
        if let Some(run) = self.run.take() {
            self.runtime.spawn(run);
        }
    }
}
