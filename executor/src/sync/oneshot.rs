//! `oneshot`: one value, sent once, from one sender to one receiver.
//!
//! The waiter list here is as short as it gets: at most one waker on each side. The receiver
//! leaves its waker in `rx_waker` when it waits for the value; the sender leaves its waker in
//! `tx_waker` only when it waits in [`Sender::closed`]. The other side wakes it by reference,
//! and the waker stays in its cell until the channel itself is dropped with its last handle,
//! as in tokio: while the other side may be reading it, nobody may take it out. (So a task
//! that keeps its end of a finished channel keeps the other task's waker, and with it that
//! task's memory, until it lets go.)
//!
//! Both sides may live on different threads, yet there is no lock: one atomic word, `state`,
//! says who may touch each of the three cells at any moment (see `Shared`). A send is one
//! compare-and-swap (tried again if the receiver changed its waker at that very moment), and
//! a receive that finds its value is one load. The protocol is checked by loom, under
//! `--cfg loom` (`sync/loom_tests.rs`).

use std::fmt;
use std::future::Future;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::contain;
use crate::loom::cell::UnsafeCell;
use crate::loom::sync::Arc;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::AcqRel, Ordering::Acquire};
use crate::task::coop;

/// The error types of `oneshot`.
pub mod error {
    use std::fmt;

    /// No value will come: the sender was dropped without sending, or the receiver closed
    /// before a value was sent. Returned by awaiting the receiver.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecvError(pub(super) ());

    /// Why `try_recv` returned no value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TryRecvError {
        /// Nothing sent yet.
        Empty,
        /// No value will come: the sender was dropped without sending, the receiver closed
        /// before a value was sent, or the value was already taken.
        Closed,
    }

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed")
        }
    }

    impl std::error::Error for RecvError {}

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => f.write_str("channel empty"),
                TryRecvError::Closed => f.write_str("channel closed"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use error::{RecvError, TryRecvError};

/// Creates a one-value channel.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, rx) = clockwork::sync::oneshot::channel();
/// clockwork::spawn(async move { tx.send("hello").unwrap() });
/// assert_eq!(rx.await.unwrap(), "hello");
/// # });
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: AtomicUsize::new(0),
        value: UnsafeCell::new(None),
        rx_waker: UnsafeCell::new(None),
        tx_waker: UnsafeCell::new(None),
    });
    let sender = Sender { shared: Some(shared.clone()) };
    let receiver = Receiver { shared: Some(shared) };
    (sender, receiver)
}

/// Sends the one value. Consumed by `send`.
pub struct Sender<T> {
    /// `None` once `send` took it (so that `drop` knows not to report a dropped sender).
    shared: Option<Arc<Shared<T>>>,
}

/// Receives the one value: a future resolving to `Ok(value)` or `Err(RecvError)`.
///
/// Cancel safety: awaiting the receiver (`&mut rx` in `select!`) is cancel-safe: the value
/// stays in the channel until a poll takes it.
///
/// Once it has yielded its value or its error (by a poll or `try_recv`), the receiver is
/// *terminated*: it lets go of the channel, and polling it again panics, as tokio's does.
pub struct Receiver<T> {
    /// `None` once terminated.
    shared: Option<Arc<Shared<T>>>,
}

// ANCHOR: state
/// Everything both sides share: three cells, and one word that says who may touch which.
///
/// The rules, each kept by one atomic operation on `state`:
/// - `value` belongs to the sender until it sets `VALUE`; from then on, to the receiver. The
///   sender sets `VALUE` (with `TX_DONE`) only while `RX_CLOSED` is clear, in one
///   compare-and-swap, so a send racing the receiver's drop either lands or comes back.
/// - `rx_waker` belongs to the receiver while `RX_WAKER` is clear: it writes its waker, then
///   sets the flag. While the flag is set the cell is only read: by the receiver, to compare
///   wakers, and by the sender that saw the flag as it set `TX_DONE`, to wake it. To change its
///   waker, the receiver first clears the flag; if `TX_DONE` was already set, the sender may be
///   reading, so the receiver leaves the cell alone (its value is ready anyway).
/// - `tx_waker` is the same for the sender, waiting in `closed()`, with `TX_WAKER` and
///   `RX_CLOSED` in those roles.
struct Shared<T> {
    state: AtomicUsize,
    /// The sent value, until the receiver takes it.
    value: UnsafeCell<Option<T>>,
    /// The receiver's waker, from its first wait until the channel is dropped.
    rx_waker: UnsafeCell<Option<Waker>>,
    /// The sender's waker, from its first wait in `closed()` until the channel is dropped.
    tx_waker: UnsafeCell<Option<Waker>>,
}

/// The sender sent, or was dropped: nothing more will arrive.
const TX_DONE: usize = 0b00001;
/// The sender sent: `value` holds the value (until a receiver that saw this took it).
const VALUE: usize = 0b00010;
/// The receiver was dropped or called `close`: a send would be refused.
const RX_CLOSED: usize = 0b00100;
/// `rx_waker` holds the receiver's waker, for the sender to wake.
const RX_WAKER: usize = 0b01000;
/// `tx_waker` holds the sender's waker, for the receiver to wake.
const TX_WAKER: usize = 0b10000;
// ANCHOR_END: state

// SAFETY: the cells are shared between the two sides only as the rules on `Shared` allow: a
// cell is written by one side while the other cannot touch it, and read by both only while
// neither writes. The value moves from one thread to the other, hence `T: Send`; a `Waker`
// is `Send + Sync`.
unsafe impl<T: Send> Send for Shared<T> {}
// SAFETY: as for `Send` above.
unsafe impl<T: Send> Sync for Shared<T> {}

// A panic can leave the channel half-changed only between two of the operations on `state`,
// and every operation leaves the word and the cells agreeing (a waker that panics runs after
// them), so both ends stay usable after a caught panic, as they were with the lock.
impl<T> UnwindSafe for Shared<T> {}
impl<T> RefUnwindSafe for Shared<T> {}

impl<T> Shared<T> {
    /// The answer of a receiver that found `state` finished: the value, or the error.
    ///
    /// # Safety
    ///
    /// Only the receiver calls this, with a `state` it loaded or swapped (acquiring the
    /// sender's write of the value), and it terminates right after: the value is taken once.
    unsafe fn finish(&self, state: usize) -> Result<T, RecvError> {
        if state & VALUE == 0 {
            return Err(RecvError(()));
        }
        // SAFETY: `VALUE` hands the cell to the receiver (the rules on `Shared`).
        let value = self.value.with_mut(|value| unsafe { (*value).take() });
        Ok(value.expect("VALUE is set only after the value was stored"))
    }

    /// Stores `cx`'s waker in `cell` (guarded by `flag`), unless the other side finished
    /// (`done`) first. Returns the state in which the other side was seen done, if it was.
    ///
    /// This is the one waker registration both sides use: the receiver in `poll` (`RX_WAKER`
    /// against `TX_DONE`), the sender in `poll_closed` (`TX_WAKER` against `RX_CLOSED`).
    fn register(
        &self,
        cell: &UnsafeCell<Option<Waker>>,
        flag: usize,
        done: usize,
        cx: &Context<'_>,
    ) -> Option<usize> {
        let state = self.state.load(Acquire);
        if state & done != 0 {
            return Some(state);
        }
        if state & flag != 0 {
            // SAFETY: with the flag set the cell is only read.
            let same = cell
                .with(|waker| unsafe { &*waker }.as_ref().is_some_and(|w| w.will_wake(cx.waker())));
            if same {
                return None;
            }
            // Take the cell back; if the other side finished meanwhile, it may be reading it.
            let state = self.state.fetch_and(!flag, AcqRel);
            if state & done != 0 {
                return Some(state);
            }
        }
        // SAFETY: the flag is clear, so the cell is ours (the other side never reads it then).
        cell.with_mut(|waker| unsafe { *waker = Some(cx.waker().clone()) });
        let state = self.state.fetch_or(flag, AcqRel);
        // Finished before it could see the flag: no wake is coming, and none is needed.
        (state & done != 0).then_some(state)
    }
}

/// Wakes the waker in `cell` by reference, as the side that found its flag set as it
/// finished (only reads, per the rules on `Shared`).
fn wake_other(cell: &UnsafeCell<Option<Waker>>, contain: bool) {
    // SAFETY: the caller saw the flag set as it ended its side, so the owner will not
    // write the cell again: reading is all that can happen to it.
    cell.with(|waker| match unsafe { &*waker } {
        Some(waker) if contain => contain::wake_by_ref(waker),
        Some(waker) => waker.wake_by_ref(),
        None => {}
    });
}

// === impl Sender ===

impl<T> Sender<T> {
    // ANCHOR: send
    /// Sends `value`, or gives it back if the receiver is gone (dropped or closed).
    pub fn send(mut self, value: T) -> Result<(), T> {
        let shared = self.shared.take().expect("a Sender has its channel until send");
        // SAFETY: until `VALUE` is set, the value cell is the sender's (the rules on `Shared`).
        shared.value.with_mut(|cell| unsafe { *cell = Some(value) });
        // One compare-and-swap publishes the value, unless the receiver closed first. It also
        // clears `TX_WAKER`: a sender that sent no longer waits in `closed()`.
        let published = shared.state.fetch_update(AcqRel, Acquire, |state| {
            (state & RX_CLOSED == 0).then_some((state | TX_DONE | VALUE) & !TX_WAKER)
        });
        match published {
            Err(_) => {
                // SAFETY: `VALUE` was never set, so the cell is still the sender's.
                let value = shared.value.with_mut(|cell| unsafe { (*cell).take() });
                Err(value.expect("the value stored above"))
            }
            Ok(state) => {
                // The value is stored: a panic from the receiver's waker reaches the sender,
                // as in tokio, and loses nothing (`contain.rs`).
                if state & RX_WAKER != 0 {
                    wake_other(&shared.rx_waker, false);
                }
                Ok(())
            }
        }
    }
    // ANCHOR_END: send

    /// True once the receiver was dropped or closed.
    pub fn is_closed(&self) -> bool {
        self.shared.as_ref().is_some_and(|shared| shared.state.load(Acquire) & RX_CLOSED != 0)
    }

    /// Waits until the receiver is dropped or closed.
    ///
    /// Cancel safety: cancel-safe.
    pub async fn closed(&mut self) {
        std::future::poll_fn(|cx| self.poll_closed(cx)).await
    }

    /// Polls for the receiver's closing, storing the waker if it is still open.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let shared = self.shared.as_ref().expect("a Sender has its channel until send");
        match shared.register(&shared.tx_waker, TX_WAKER, RX_CLOSED, cx) {
            Some(_) => Poll::Ready(()),
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // After `send`, `shared` is gone and there is nothing to report.
        let Some(shared) = self.shared.take() else { return };
        let state = shared.state.fetch_or(TX_DONE, AcqRel);
        // A receiver that closed waits for nothing.
        if state & (RX_WAKER | RX_CLOSED) == RX_WAKER {
            wake_other(&shared.rx_waker, true);
        }
    }
}

// === impl Receiver ===

impl<T> Receiver<T> {
    /// Refuses any later send; a value already sent can still be received.
    pub fn close(&mut self) {
        let Some(shared) = &self.shared else { return };
        let state = shared.state.fetch_or(RX_CLOSED, AcqRel);
        // The first close wakes a sender waiting in `closed()` (not one already done); that
        // waker's panic reaches the caller, as a send's does.
        if state & (RX_CLOSED | TX_WAKER | TX_DONE) == TX_WAKER {
            wake_other(&shared.tx_waker, false);
        }
    }

    /// True once the receiver has yielded its value or its error: polling it again would
    /// panic.
    pub fn is_terminated(&self) -> bool {
        self.shared.is_none()
    }

    /// True when no value waits to be received: none was sent (yet, or ever, if the channel
    /// is closed), or the receiver is terminated. (An empty receiver is not necessarily safe
    /// to poll; see [`is_terminated`](Self::is_terminated).)
    pub fn is_empty(&self) -> bool {
        self.shared.as_ref().is_none_or(|shared| shared.state.load(Acquire) & VALUE == 0)
    }

    /// Takes the value if it has arrived, without waiting. Any answer but `Empty` terminates
    /// the receiver.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(shared) = &self.shared else { return Err(TryRecvError::Closed) };
        let state = shared.state.load(Acquire);
        if state & (TX_DONE | RX_CLOSED) == 0 {
            return Err(TryRecvError::Empty);
        }
        // SAFETY: the state was loaded with `Acquire`, and the receiver terminates below.
        let result = unsafe { shared.finish(state) }.map_err(|_| TryRecvError::Closed);
        self.shared = None;
        result
    }

    /// Waits for the value from synchronous code, blocking the thread.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that runs a runtime, which blocking would stall.
    #[track_caller]
    pub fn blocking_recv(self) -> Result<T, RecvError> {
        crate::sync::block_on::block_on(self)
    }

    /// One poll, without the budget (see the `Future` impl below).
    fn poll_unbudgeted(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        let shared = self.shared.as_ref().expect("called after complete");
        // The receiver may have moved to another task since the last poll: `register` keeps
        // the latest waker. A receiver that closed waits for nothing, as if the sender were
        // done.
        let Some(state) = shared.register(&shared.rx_waker, RX_WAKER, TX_DONE | RX_CLOSED, cx)
        else {
            return Poll::Pending;
        };
        // SAFETY: `register` returns a state it loaded or swapped with `Acquire`, and the
        // receiver terminates below.
        let result = unsafe { shared.finish(state) };
        self.shared = None;
        Poll::Ready(result)
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    /// Ready spends a unit of the task's budget (`task::coop`); a spent budget yields.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        coop::budgeted(cx, |cx| this.poll_unbudgeted(cx))
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // A terminated receiver has nothing left to report or drop.
        let Some(shared) = self.shared.take() else { return };
        let state = shared.state.fetch_or(RX_CLOSED, AcqRel);
        if state & VALUE != 0 {
            // An unreceived value is dropped here: its `Drop` may do anything, panicking
            // included, which goes no further than the panic hook (`contain.rs`).
            // SAFETY: `VALUE` hands the cell to the receiver.
            let value = shared.value.with_mut(|cell| unsafe { (*cell).take() });
            contain::drop_value(value);
        }
        if state & (RX_CLOSED | TX_WAKER | TX_DONE) == TX_WAKER {
            wake_other(&shared.tx_waker, true);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.load(Acquire);
        f.debug_struct("State")
            .field("has_value", &(state & VALUE != 0))
            .field("tx_done", &(state & TX_DONE != 0))
            .field("rx_closed", &(state & RX_CLOSED != 0))
            // A waker stays in its cell after its side was woken: waiting means it is there
            // and the other side has not finished yet.
            .field("rx_waiting", &(state & (RX_WAKER | TX_DONE) == RX_WAKER))
            .field("tx_waiting", &(state & (TX_WAKER | RX_CLOSED) == TX_WAKER))
            .finish()
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("state", &self.shared).finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").field("state", &self.shared).finish()
    }
}
