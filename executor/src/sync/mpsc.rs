//! `mpsc`: many senders, one receiver, messages in order.
//!
//! Both flavours share `chan.rs`: a queue, a count of senders and the receiver's waker. The
//! bounded flavour (`bounded.rs`) also counts free slots, with a FIFO waiter list of senders
//! waiting for one, which is all backpressure is. Reading order: `chan.rs`, `bounded.rs`,
//! `unbounded.rs`, `receiver.rs` (the receiving methods both flavours share), `error.rs`.
//!
//! The promises, as tokio's: messages arrive in the order each sender sent them; a message
//! still queued when the receiver is dropped is dropped with it; a send that loses a race with
//! the receiver's close gets its value back in the error, never silently loses it.

mod bounded;
mod chan;
pub mod error;
mod receiver;
mod unbounded;

pub use bounded::{Permit, Receiver, Sender, channel};
pub use unbounded::{UnboundedReceiver, UnboundedSender, unbounded_channel};
