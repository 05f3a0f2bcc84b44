//! Helpers shared by the executor's integration tests.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::task::{Context, Poll, Waker};

use clockwork::runtime::Runtime;

pub mod recorder;

/// A fresh runtime.
pub fn rt() -> Runtime {
    Runtime::new().expect("runtime builds")
}

/// Counts how many times something was dropped.
#[derive(Clone, Default, Debug)]
pub struct DropCounter(Arc<AtomicUsize>);

impl DropCounter {
    pub fn new() -> DropCounter {
        DropCounter::default()
    }
    /// A token that adds one to the counter when dropped.
    pub fn token(&self) -> DropToken {
        DropToken(self.0.clone())
    }
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its `DropCounter` when dropped.
#[derive(Debug)]
pub struct DropToken(Arc<AtomicUsize>);

impl Drop for DropToken {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A place to keep a task's waker so the test can wake it later, from anywhere.
#[derive(Clone, Default, Debug)]
pub struct WakerSlot(Arc<Mutex<Option<Waker>>>);

impl WakerSlot {
    pub fn new() -> WakerSlot {
        WakerSlot::default()
    }
    pub fn store(&self, waker: &Waker) {
        *self.0.lock().unwrap() = Some(waker.clone());
    }
    pub fn take(&self) -> Option<Waker> {
        self.0.lock().unwrap().take()
    }
    pub fn wake(&self) -> bool {
        match self.take() {
            Some(waker) => {
                waker.wake();
                true
            }
            None => false,
        }
    }
}

/// A future that is `Pending` until `release` is called, storing its waker in a `WakerSlot`.
pub struct Gate {
    slot: WakerSlot,
    open: Arc<std::sync::atomic::AtomicBool>,
}

/// The other side of a `Gate`.
#[derive(Clone)]
pub struct GateKey {
    slot: WakerSlot,
    open: Arc<std::sync::atomic::AtomicBool>,
}

pub fn gate() -> (Gate, GateKey) {
    let slot = WakerSlot::new();
    let open = Arc::new(std::sync::atomic::AtomicBool::new(false));
    (Gate { slot: slot.clone(), open: open.clone() }, GateKey { slot, open })
}

impl GateKey {
    /// Spins (on a std thread) until a future waits on the gate, then releases it.
    pub fn release_once_waited(&self) {
        while self.slot.0.lock().unwrap().is_none() {
            std::thread::yield_now();
        }
        assert!(self.release(), "the waiting future's waker was still stored");
    }

    /// Opens the gate and wakes whoever waits on it. Returns whether a waker was stored.
    pub fn release(&self) -> bool {
        self.open.store(true, Ordering::SeqCst);
        self.slot.wake()
    }
}

impl Future for Gate {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.open.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        self.slot.store(cx.waker());
        // Check again: a release between the load and the store would otherwise be lost.
        if self.open.load(Ordering::SeqCst) { Poll::Ready(()) } else { Poll::Pending }
    }
}

/// Panics raised on purpose carry this marker; the hook below keeps them off stderr so that a
/// real failure stands out.
pub const INTENTIONAL: &str = "[intentional panic]";

/// Installs (once) a panic hook that is silent for intentional panics and normal otherwise.
pub fn quiet_intentional_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if !message.contains(INTENTIONAL) {
                default(info);
            }
        }));
    });
}

/// Runs `body` on its own thread; fails if it panics or has not returned within 10 s (a hang:
/// the thread is then left behind, and the test binary ends with it).
pub fn within_10s(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        body();
        done.send(()).unwrap();
    });
    let outcome = finished.recv_timeout(std::time::Duration::from_secs(10));
    outcome.expect("finished within 10 s without panicking");
}

/// Runs `f`, which must panic, and returns the first panic's message and the file its location
/// names (to check `#[track_caller]`). The hook is process-wide, so two callers take turns
/// (a lock), and only panics on this thread count: a test running beside this one may panic
/// meanwhile without using this helper.
pub fn caught_panic(f: impl FnOnce() + std::panic::UnwindSafe) -> (String, String) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seen = Arc::new(Mutex::new(None));
    let previous = std::panic::take_hook();
    let hook_seen = seen.clone();
    let this_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        let mut seen = hook_seen.lock().unwrap();
        if std::thread::current().id() != this_thread || seen.is_some() {
            return;
        }
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let file = info.location().map(|at| at.file().to_string()).unwrap_or_default();
        *seen = Some((message, file));
    }));
    let outcome = std::panic::catch_unwind(f);
    std::panic::set_hook(previous);
    assert!(outcome.is_err(), "expected a panic");
    let seen = seen.lock().unwrap().take();
    seen.expect("the hook saw the panic")
}
