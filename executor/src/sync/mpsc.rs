//! `mpsc`: many senders, one receiver, messages in order.
//!
//! Both flavours share `chan.rs`: a queue, the counts of senders and the receiver's waker. The
//! bounded flavour (`bounded.rs`) also counts free slots (`capacity.rs`), with a FIFO waiter
//! list of senders waiting for some, which is all backpressure is. Reading order: `chan.rs`,
//! `capacity.rs`, `bounded.rs`, `permit.rs` (slots held before sending), `unbounded.rs`,
//! `receiver.rs` (the receiving methods both flavours share), `weak.rs` (senders that do not
//! keep the channel open), `error.rs`.
//!
//! The promises, as tokio's: messages arrive in the order each sender sent them; a message
//! still queued when the receiver is dropped is dropped with it; a send that loses a race with
//! the receiver's close gets its value back in the error, never silently loses it.

mod bounded;
mod capacity;
mod chan;
pub mod error;
mod permit;
mod receiver;
mod unbounded;
mod weak;

pub use bounded::{Receiver, Sender, channel};
pub use permit::{OwnedPermit, Permit, PermitIterator};
pub use unbounded::{UnboundedReceiver, UnboundedSender, unbounded_channel};
pub use weak::{WeakSender, WeakUnboundedSender};
