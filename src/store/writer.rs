//! The store's journal writer: one thread per store that serialises runs'
//! journal entries, compresses them and writes them, so that a run spends
//! its own time on its nodes. A run hands its entries over in chunks; it
//! waits only where it must (`RunJournal::commit`: before a node acts
//! outside the run, before it waits). Jobs are done in the order they were
//! sent, so a run's batches are too; a reader in this process waits for
//! what was sent before it (`Store::conn`), and a process settles before it
//! exits (`Store::settle`).

use super::recorder::RunLog;
use super::Store;
use crate::engine::Entries;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// Jobs waiting past this many make the runs sending more wait: memory stays
/// bounded when runs append faster than the disk takes them.
const QUEUE: usize = 256;

pub(crate) enum Job {
    /// Entries of a run, in order; `write`: end the batch and write it.
    Entries {
        log: Arc<Mutex<RunLog>>,
        entries: Entries,
        write: bool,
        done: Option<SyncSender<Result<(), String>>>,
    },
    /// Answers once every job sent before it is done.
    Settle(SyncSender<Result<(), String>>),
}

pub(crate) struct JournalWriter {
    jobs: SyncSender<Job>,
    /// Emptied chunks, kept for the next runs: a run that collects its
    /// entries into memory already there neither grows a chunk nor faults
    /// fresh pages in. The oldest is reused, and only once there are a few:
    /// by then this thread has worked through other memory and let go of
    /// its lines, and the run writing into it does not wait for this
    /// thread's core to hand them over (1,000 `task.set` nodes +7–9%
    /// recorded where the chunk written last was +11–13%).
    spare: Arc<Mutex<VecDeque<Entries>>>,
    /// Jobs sent and not done yet: a reader waits only if there are some.
    in_flight: Arc<AtomicUsize>,
}

thread_local! {
    static ON_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is a store's journal writer (which never waits on itself).
pub(crate) fn on_writer() -> bool {
    ON_WRITER.with(|w| w.get())
}

impl JournalWriter {
    pub fn start() -> std::io::Result<JournalWriter> {
        let (jobs, queue) = sync_channel(QUEUE);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let counted = in_flight.clone();
        let spare = Arc::new(Mutex::new(VecDeque::new()));
        let kept = spare.clone();
        std::thread::Builder::new()
            .name("history-writer".into())
            .spawn(move || {
                ON_WRITER.with(|w| w.set(true));
                work(queue, &counted, &kept)
            })?;
        Ok(JournalWriter {
            jobs,
            spare,
            in_flight,
        })
    }

    pub fn send(&self, job: Job) {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        if let Err(e) = self.jobs.send(job) {
            // The thread is gone (it panicked): do the job here.
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            do_job(e.0, &self.spare);
        }
    }

    /// An empty chunk with room for `capacity` entries.
    pub fn spare_chunk(&self, capacity: usize) -> Entries {
        let mut spare = self.spare.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = (spare.len() >= REUSED_AFTER)
            .then(|| spare.pop_front())
            .flatten();
        drop(spare);
        oldest.unwrap_or_else(|| Entries::with_capacity(capacity))
    }

    pub fn busy(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }
}

/// Chunks kept past this many are let go of; a chunk is reused once this
/// many more have been kept after it.
const SPARE: usize = 12;
const REUSED_AFTER: usize = 8;

fn work(queue: Receiver<Job>, in_flight: &AtomicUsize, spare: &Mutex<VecDeque<Entries>>) {
    // Ends when the store, which holds the sender, is gone.
    while let Ok(job) = queue.recv() {
        do_job(job, spare);
        in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn do_job(job: Job, spare: &Mutex<VecDeque<Entries>>) {
    match job {
        Job::Entries {
            log,
            mut entries,
            write,
            done,
        } => {
            let written = {
                let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
                log.take_all(&entries);
                if write || log.is_large() {
                    log.write()
                } else {
                    log.failure()
                }
            };
            // The entries are let go of here, on this thread, not the run's.
            entries.clear();
            let mut spare = spare.lock().unwrap_or_else(|p| p.into_inner());
            if spare.len() < SPARE && entries.capacity() > 0 {
                spare.push_back(entries);
            }
            drop(spare);
            match done {
                Some(done) => {
                    let _ = done.send(written);
                }
                None => {
                    if let Err(e) = written {
                        let log = log.lock().unwrap_or_else(|p| p.into_inner());
                        log.store().note_failure(e);
                    }
                }
            }
        }
        Job::Settle(done) => {
            let _ = done.send(Ok(()));
        }
    }
}

/// The stores this process records runs in: what it settles before it exits.
static RECORDING: Mutex<Vec<std::sync::Weak<Store>>> = Mutex::new(Vec::new());

/// Waits until every run this process recorded is written, in every store;
/// the first write that failed, if any. A process calls it before it exits.
pub fn settle_all() -> Result<(), super::StoreError> {
    let stores: Vec<Arc<Store>> = RECORDING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter_map(std::sync::Weak::upgrade)
        .collect();
    let mut first = Ok(());
    for store in stores {
        if let Err(e) = store.settle() {
            first = first.and(Err(e));
        }
    }
    first
}

impl Store {
    /// Notes that runs are recorded in this store (`settle_all`).
    pub(crate) fn recording(self: &Arc<Self>) {
        if self.recording.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut stores = RECORDING.lock().unwrap_or_else(|p| p.into_inner());
        stores.retain(|s| s.strong_count() > 0);
        stores.push(Arc::downgrade(self));
    }

    /// The store's journal writer, started on first use.
    pub(crate) fn journal_writer(&self) -> &JournalWriter {
        self.journal_writer.get_or_init(|| {
            JournalWriter::start().unwrap_or_else(|e| panic!("no thread for the run history: {e}"))
        })
    }

    /// Waits until every journal entry handed over so far is written; the
    /// first write that failed since the last settle, if any.
    pub fn settle(&self) -> Result<(), super::StoreError> {
        self.wait_for_writer();
        match self
            .write_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            Some(e) => Err(self.unavailable(e)),
            None => Ok(()),
        }
    }

    /// Waits for the journal writer's jobs sent so far (not on the writer itself).
    pub(crate) fn wait_for_writer(&self) {
        let Some(writer) = self.journal_writer.get() else {
            return;
        };
        if !writer.busy() || on_writer() {
            return;
        }
        let (done, answer) = sync_channel(1);
        writer.send(Job::Settle(done));
        let _ = answer.recv();
    }

    fn note_failure(&self, e: String) {
        let mut failure = self.write_failure.lock().unwrap_or_else(|p| p.into_inner());
        failure.get_or_insert(e);
    }
}
