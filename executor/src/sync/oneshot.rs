//! `oneshot`: one value, sent once, from one sender to one receiver.
//!
//! The waiter list here is as short as it gets: at most one waker on each side. The receiver
//! stores its waker in `rx_waker` until a value (or the sender's drop) arrives; the sender stores
//! its waker in `tx_waker` only when it waits in [`Sender::closed`]. Both sides may live on
//! different threads, so the state sits behind a mutex (a loom-checked one under `--cfg loom`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Arc, Mutex};
use crate::task::coop;

/// The error types of `oneshot`.
pub mod error {
    use std::fmt;

    /// The sender was dropped without sending; returned by awaiting the receiver.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecvError(pub(super) ());

    /// Why `try_recv` returned no value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TryRecvError {
        /// Nothing sent yet.
        Empty,
        /// The sender was dropped without sending, or the value was already taken.
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
    let inner = Arc::new(Mutex::new(State::new()));
    let sender = Sender { inner: Some(inner.clone()) };
    let receiver = Receiver { inner: Some(inner) };
    (sender, receiver)
}

/// Sends the one value. Consumed by `send`.
pub struct Sender<T> {
    /// `None` once `send` took it (so that `drop` knows not to report a dropped sender).
    inner: Option<Arc<Mutex<State<T>>>>,
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
    inner: Option<Arc<Mutex<State<T>>>>,
}

// ANCHOR: state
/// Everything both sides share.
struct State<T> {
    /// The sent value, until the receiver takes it.
    value: Option<T>,
    /// The sender sent or was dropped: nothing more will arrive.
    tx_done: bool,
    /// The receiver was dropped or called `close`: a send would be refused.
    rx_closed: bool,
    /// The receiver's waker, while it waits for the value.
    rx_waker: Option<Waker>,
    /// The sender's waker, while it waits in `closed()`.
    tx_waker: Option<Waker>,
}
// ANCHOR_END: state

impl<T> State<T> {
    fn new() -> State<T> {
        State { value: None, tx_done: false, rx_closed: false, rx_waker: None, tx_waker: None }
    }
}

// === impl Sender ===

impl<T> Sender<T> {
    // ANCHOR: send
    /// Sends `value`, or gives it back if the receiver is gone (dropped or closed).
    ///
    /// The check and the store happen under one lock, so a send that races the receiver's
    /// drop either lands in the channel (and is dropped with it) or comes back here.
    pub fn send(mut self, value: T) -> Result<(), T> {
        let inner = self.inner.take().expect("a Sender has its channel until send");
        let mut state = lock(&inner);
        if state.rx_closed {
            return Err(value);
        }
        state.value = Some(value);
        state.tx_done = true;
        let waker = state.rx_waker.take();
        drop(state);
        // The value is stored: a panic from the receiver's waker reaches the sender, as in
        // tokio, and loses nothing (`contain.rs`).
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
    // ANCHOR_END: send

    /// True once the receiver was dropped or closed.
    pub fn is_closed(&self) -> bool {
        self.inner.as_ref().is_some_and(|inner| lock(inner).rx_closed)
    }

    /// Waits until the receiver is dropped or closed.
    ///
    /// Cancel safety: cancel-safe.
    pub async fn closed(&mut self) {
        std::future::poll_fn(|cx| self.poll_closed(cx)).await
    }

    /// Polls for the receiver's closing, storing the waker if it is still open.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let inner = self.inner.as_ref().expect("a Sender has its channel until send");
        let mut state = lock(inner);
        if state.rx_closed {
            return Poll::Ready(());
        }
        state.tx_waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // After `send`, `inner` is gone and there is nothing to report.
        let Some(inner) = self.inner.take() else { return };
        let mut state = lock(&inner);
        state.tx_done = true;
        let waker = state.rx_waker.take();
        drop(state);
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }
}

// === impl Receiver ===

impl<T> Receiver<T> {
    /// Refuses any later send; a value already sent can still be received.
    pub fn close(&mut self) {
        let Some(inner) = &self.inner else { return };
        let waker = {
            let mut state = lock(inner);
            state.rx_closed = true;
            state.tx_waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// True once the receiver has yielded its value or its error: polling it again would
    /// panic.
    pub fn is_terminated(&self) -> bool {
        self.inner.is_none()
    }

    /// True when no value waits to be received: none was sent yet, the channel is closed, or
    /// the receiver is terminated. (An empty receiver is not necessarily safe to poll; see
    /// [`is_terminated`](Self::is_terminated).)
    pub fn is_empty(&self) -> bool {
        self.inner.as_ref().is_none_or(|inner| lock(inner).value.is_none())
    }

    /// Takes the value if it has arrived, without waiting. Any answer but `Empty` terminates
    /// the receiver.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(inner) = &self.inner else { return Err(TryRecvError::Closed) };
        let result = {
            let mut state = lock(inner);
            match state.value.take() {
                Some(value) => Ok(value),
                None if state.tx_done || state.rx_closed => Err(TryRecvError::Closed),
                None => return Err(TryRecvError::Empty),
            }
        };
        self.inner = None;
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
        let inner = self.inner.as_ref().expect("called after complete");
        let result = {
            let mut state = lock(inner);
            match state.value.take() {
                Some(value) => Ok(value),
                None if state.tx_done || state.rx_closed => Err(RecvError(())),
                None => {
                    // The receiver may have moved to another task since the last poll: always
                    // keep the latest waker.
                    state.rx_waker = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
        };
        self.inner = None;
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
        let Some(inner) = &self.inner else { return };
        let (value, waker) = {
            let mut state = lock(inner);
            state.rx_closed = true;
            (state.value.take(), state.tx_waker.take())
        };
        // An unreceived value is dropped here, outside the lock: its `Drop` may do anything,
        // panicking included, which goes no further than the panic hook (`contain.rs`).
        contain::drop_value(value);
        if let Some(waker) = waker {
            contain::wake(waker);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("has_value", &self.value.is_some())
            .field("tx_done", &self.tx_done)
            .field("rx_closed", &self.rx_closed)
            .field("rx_waiting", &self.rx_waker.is_some())
            .field("tx_waiting", &self.tx_waker.is_some())
            .finish()
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.as_ref().map(|inner| format!("{:?}", *lock(inner)));
        f.debug_struct("Sender").field("state", &state).finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.as_ref().map(|inner| format!("{:?}", *lock(inner)));
        f.debug_struct("Receiver").field("state", &state).finish()
    }
}
