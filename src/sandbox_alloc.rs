//! Measures the memory Python code allocates, so that `task.python`'s memory
//! limit holds in the process that runs it (docs/python.md).
//!
//! Monty checks its memory limit against a live-bytes count that a global
//! allocator keeps (`monty_types::LIVE_MEMORY`). [`Measuring`] wraps each
//! binary's allocator and counts only what the thread running Python
//! allocates and frees while [`measured`] runs, so other runs and threads of
//! the process never count against a node's limit. A binary that does not
//! install it runs Python without a memory limit.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::Ordering;

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
}

/// A global allocator that forwards to `A`, counting the measured thread's bytes.
pub struct Measuring<A>(pub A);

fn measuring() -> bool {
    // During thread teardown the flag may be gone: nothing is measured then.
    MEASURING.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every method forwards its arguments unchanged to the wrapped
// allocator and returns what it returned; the counting touches no memory.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Measuring<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if measuring() {
            monty_types::LIVE_MEMORY.fetch_add(layout.size(), Ordering::Relaxed);
        }
        unsafe { self.0.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if measuring() {
            monty_types::LIVE_MEMORY.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe { self.0.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if measuring() {
            monty_types::LIVE_MEMORY.fetch_add(layout.size(), Ordering::Relaxed);
        }
        unsafe { self.0.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if measuring() {
            if new_size >= layout.size() {
                monty_types::LIVE_MEMORY.fetch_add(new_size - layout.size(), Ordering::Relaxed);
            } else {
                monty_types::LIVE_MEMORY.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

/// One Python run at a time in the process: the live count is one number.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` with this thread's allocations counted from zero.
pub fn measured<R>(f: impl FnOnce() -> R) -> R {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    // Counting starts well above zero, so frees of memory allocated before
    // this run (which are counted too) never take the count below zero.
    const START: usize = 1 << 40;
    monty_types::LIVE_MEMORY.store(START, Ordering::Relaxed);
    monty_types::BASELINE_MEMORY.store(START, Ordering::Relaxed);
    MEASURING.with(|m| m.set(true));
    let result = f();
    MEASURING.with(|m| m.set(false));
    result
}

/// Whether this process counts Python's memory (its binary installed [`Measuring`]).
pub fn installed() -> bool {
    let before = monty_types::LIVE_MEMORY.load(Ordering::Relaxed);
    MEASURING.with(|m| m.set(true));
    let probe = std::hint::black_box(Box::new([0u8; 64]));
    let during = monty_types::LIVE_MEMORY.load(Ordering::Relaxed);
    drop(probe);
    MEASURING.with(|m| m.set(false));
    during != before
}
