//! `broadcast`: every receiver gets every value, from a ring of fixed size.
//!
//! Values are numbered by *position* (0, 1, 2, ... for the life of the channel). The ring keeps
//! the last `capacity` of them; each receiver remembers the position it will read next. A
//! receiver that fell so far behind that its next position was overwritten gets
//! `Lagged(missed)` once and continues from the oldest value still kept. Receivers that have
//! caught up wait in a waiter list that each send wakes in full.
//!
//! ```text
//!   positions:   5    6    7    8          capacity 4, next_position 9
//!   ring:      [ e ][ f ][ g ][ h ]
//!                ^ oldest        ^ newest
//!   a receiver at 3 gets Lagged(2) and moves to 5; one at 9 waits.
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::task::{Context, Poll};

use crate::contain;
use crate::loom::lock;
use crate::loom::sync::{Arc, Mutex};
use crate::sync::waiters::{Status, WaitList, WaiterId, WakeList};

/// The error types of `broadcast`.
pub mod error {
    use std::fmt;

    /// No receiver is left; the value comes back in `.0`.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    /// Why `recv` returned no value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum RecvError {
        /// Every sender is gone and this receiver has seen every value.
        Closed,
        /// This receiver missed this many values; the next `recv` returns the oldest kept.
        Lagged(u64),
    }

    /// Why `try_recv` returned no value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum TryRecvError {
        /// Nothing new yet.
        Empty,
        /// Every sender is gone and this receiver has seen every value.
        Closed,
        /// This receiver missed this many values; the next call returns the oldest kept.
        Lagged(u64),
    }

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                RecvError::Closed => f.write_str("channel closed"),
                RecvError::Lagged(missed) => write!(f, "channel lagged by {missed}"),
            }
        }
    }

    impl std::error::Error for RecvError {}

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => f.write_str("channel empty"),
                TryRecvError::Closed => f.write_str("channel closed"),
                TryRecvError::Lagged(missed) => write!(f, "channel lagged by {missed}"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use error::{RecvError, SendError, TryRecvError};

/// Creates a broadcast channel that keeps the last `capacity` values.
///
/// Unlike tokio, which rounds `capacity` up to a power of two, the ring holds exactly
/// `capacity` values, so lag counts are exactly what the arithmetic says.
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let (tx, mut first) = clockwork::sync::broadcast::channel(8);
/// let mut second = tx.subscribe();
/// tx.send("hi").unwrap();
/// assert_eq!(first.recv().await.unwrap(), "hi");
/// assert_eq!(second.recv().await.unwrap(), "hi");
/// # });
/// ```
///
/// # Panics
///
/// Panics if `capacity` is 0.
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "broadcast channel capacity must be at least 1");
    let ring = Ring {
        slots: VecDeque::with_capacity(capacity),
        capacity,
        next_position: 0,
        senders: 1,
        receivers: 1,
        waiters: WaitList::new(),
    };
    let shared = Arc::new(Mutex::new(ring));
    (Sender { shared: shared.clone() }, Receiver { shared, next_position: 0 })
}

/// Sends to every receiver. Clone it for more senders.
pub struct Sender<T> {
    shared: Arc<Mutex<Ring<T>>>,
}

/// Receives every value sent after it subscribed.
pub struct Receiver<T> {
    shared: Arc<Mutex<Ring<T>>>,
    /// The position this receiver reads next.
    next_position: u64,
}

// ANCHOR: ring
struct Ring<T> {
    /// The kept values, oldest first, each with how many receivers have yet to read it.
    slots: VecDeque<Slot<T>>,
    capacity: usize,
    /// The position the next sent value will get.
    next_position: u64,
    senders: usize,
    receivers: usize,
    /// Receivers that have read everything and wait for the next send.
    waiters: WaitList<()>,
}

struct Slot<T> {
    value: T,
    /// Receivers that will still read this value; at 0 it can go before it is overwritten.
    unread_by: usize,
}
// ANCHOR_END: ring

// === impl Sender ===

impl<T> Sender<T> {
    // ANCHOR: send
    /// Sends `value` to every current receiver, returning how many there are; gives it back if
    /// there are none. When the ring is full, the oldest value is overwritten and receivers
    /// that had not read it will see `Lagged`.
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let mut wakes = WakeList::new();
        let mut ring = lock(&self.shared);
        if ring.receivers == 0 {
            return Err(SendError(value));
        }
        let overwritten =
            if ring.slots.len() == ring.capacity { ring.slots.pop_front() } else { None };
        let unread_by = ring.receivers;
        ring.slots.push_back(Slot { value, unread_by });
        ring.next_position += 1;
        ring.waiters.wake_all(&mut wakes);
        drop(ring);
        wakes.wake_all();
        // The overwritten value is dropped outside the lock, and after the wakes: its `Drop` is
        // user code, and a panic in it goes no further than the panic hook (`contain.rs`).
        if let Some(slot) = overwritten {
            contain::drop_value(slot);
        }
        Ok(unread_by)
    }
    // ANCHOR_END: send

    /// A new receiver that will see values sent from now on.
    pub fn subscribe(&self) -> Receiver<T> {
        let mut ring = lock(&self.shared);
        ring.receivers += 1;
        let next_position = ring.next_position;
        drop(ring);
        Receiver { shared: self.shared.clone(), next_position }
    }

    /// Values kept in the ring that some receiver has not read yet.
    pub fn len(&self) -> usize {
        lock(&self.shared).slots.len()
    }

    /// True when every receiver has read every kept value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Receivers alive now.
    pub fn receiver_count(&self) -> usize {
        lock(&self.shared).receivers
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Sender<T> {
        lock(&self.shared).senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut wakes = WakeList::new();
        {
            let mut ring = lock(&self.shared);
            ring.senders -= 1;
            if ring.senders == 0 {
                ring.waiters.wake_all(&mut wakes);
            }
        }
        wakes.wake_all_contained();
    }
}

// === impl Ring ===

/// What a receiver found at its position.
enum Read<T> {
    Value(T),
    Lagged(u64),
    Empty,
    Closed,
}

impl<T: Clone> Ring<T> {
    /// The position of the oldest kept value.
    fn oldest_position(&self) -> u64 {
        self.next_position - self.slots.len() as u64
    }

    // ANCHOR: read
    /// Reads the value at `*position` and moves past it, or reports a lag (moving to the
    /// oldest kept value), or says there is nothing (yet or ever).
    fn read(&mut self, position: &mut u64) -> Read<T> {
        let oldest = self.oldest_position();
        if *position < oldest {
            let missed = oldest - *position;
            *position = oldest;
            return Read::Lagged(missed);
        }
        if *position == self.next_position {
            return if self.senders == 0 { Read::Closed } else { Read::Empty };
        }
        let index = (*position - oldest) as usize;
        // This receiver has read the value, whatever happens next: the count and the position
        // move first, so a `Clone` that panics (user code) skips the value for this receiver
        // alone and leaves the ring consistent, as in tokio.
        *position += 1;
        self.slots[index].unread_by -= 1;
        if self.slots[index].unread_by == 0 {
            // The last reader takes the value itself, without a clone. Receivers read in
            // order and the front slot always has a reader left, so this is the front one.
            debug_assert_eq!(index, 0, "only the front slot can be fully read");
            let slot = self.slots.pop_front().expect("the slot just read is kept");
            return Read::Value(slot.value);
        }
        Read::Value(self.slots[index].value.clone())
    }
    // ANCHOR_END: read
}

// === impl Receiver ===

impl<T: Clone> Receiver<T> {
    /// Waits for the next value. `Err(Lagged(n))` if `n` values were overwritten before this
    /// receiver read them (the next call returns the oldest kept one); `Err(Closed)` once all
    /// senders are gone and everything was read.
    ///
    /// Cancel safety: cancel-safe. A value is only taken by the poll that returns it.
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        Recv { receiver: self, waiter: None }.await
    }

    /// Takes the next value if there is one, without waiting.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let read = lock(&self.shared).read(&mut self.next_position);
        match read {
            Read::Value(value) => Ok(value),
            Read::Lagged(missed) => Err(TryRecvError::Lagged(missed)),
            Read::Closed => Err(TryRecvError::Closed),
            Read::Empty => Err(TryRecvError::Empty),
        }
    }

    /// A new receiver on the same channel that starts at the newest position (it sees only
    /// values sent from now on).
    pub fn resubscribe(&self) -> Receiver<T> {
        let mut ring = lock(&self.shared);
        ring.receivers += 1;
        let next_position = ring.next_position;
        drop(ring);
        Receiver { shared: self.shared.clone(), next_position }
    }
}

impl<T> Receiver<T> {
    /// Values this receiver has not read yet (counting only those still kept).
    pub fn len(&self) -> usize {
        let ring = lock(&self.shared);
        let oldest = ring.next_position - ring.slots.len() as u64;
        let from = self.next_position.max(oldest);
        (ring.next_position - from) as usize
    }

    /// True when this receiver has read everything sent so far.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut ring = lock(&self.shared);
        ring.receivers -= 1;
        // This receiver will not read what is left for it: stop counting it as a reader.
        let oldest = ring.next_position - ring.slots.len() as u64;
        let first_unread = self.next_position.max(oldest);
        let skip = (first_unread - oldest) as usize;
        for slot in ring.slots.iter_mut().skip(skip) {
            slot.unread_by -= 1;
        }
        let mut released: Vec<Slot<T>> = Vec::new();
        while ring.slots.front().is_some_and(|slot| slot.unread_by == 0) {
            released.extend(ring.slots.pop_front());
        }
        drop(ring);
        // Values nobody will read any more are dropped outside the lock, each on its own, so a
        // panicking `Drop` neither stops the others nor escapes this `drop`.
        released.into_iter().for_each(contain::drop_value);
    }
}

// === impl Recv ===

/// The future of `Receiver::recv`: one entry in the ring's waiter list while it waits.
struct Recv<'a, T> {
    receiver: &'a mut Receiver<T>,
    waiter: Option<WaiterId>,
}

impl<T: Clone> std::future::Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mut ring = lock(&this.receiver.shared);
        match ring.read(&mut this.receiver.next_position) {
            Read::Value(value) => Poll::Ready(Ok(value)),
            Read::Lagged(missed) => Poll::Ready(Err(RecvError::Lagged(missed))),
            Read::Closed => Poll::Ready(Err(RecvError::Closed)),
            Read::Empty => {
                let status = this.waiter.map(|id| ring.waiters.poll_status(id, cx.waker()));
                if status != Some(Status::Waiting) {
                    this.waiter = Some(ring.waiters.push(cx.waker(), ()));
                }
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        if let Some(id) = self.waiter {
            let _ = lock(&self.receiver.shared).waiters.cancel(id);
        }
    }
}

// === impl Debug ===

impl<T> fmt::Debug for Ring<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ring")
            .field("kept", &self.slots.len())
            .field("capacity", &self.capacity)
            .field("next_position", &self.next_position)
            .field("senders", &self.senders)
            .field("receivers", &self.receivers)
            .field("waiters", &self.waiters.len())
            .finish()
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("ring", &*lock(&self.shared)).finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("next_position", &self.next_position)
            .field("ring", &*lock(&self.shared))
            .finish()
    }
}
