//! Variation 5, the actor pattern: state owned by one task, reached through mpsc and oneshot.

use super::rt;
use crate::say;
use rt::sync::{mpsc, oneshot};

// ANCHOR: actor
struct Actor {
    receiver: mpsc::Receiver<ActorMessage>,
    state: i32,
}

enum ActorMessage {
    Increment,
    Decrement,
    GetValue(oneshot::Sender<i32>),
}

impl Actor {
    fn new(receiver: mpsc::Receiver<ActorMessage>) -> Self {
        Actor { receiver, state: 0 }
    }

    async fn run(mut self) {
        while let Some(msg) = self.receiver.recv().await {
            match msg {
                ActorMessage::Increment => self.state += 1,
                ActorMessage::Decrement => self.state -= 1,
                ActorMessage::GetValue(respond) => {
                    let _ = respond.send(self.state);
                }
            }
        }
    }
}
// ANCHOR_END: actor

pub async fn run() {
    // ANCHOR: use_actor
    let (tx, rx) = mpsc::channel(32);
    let actor = rt::spawn(Actor::new(rx).run());

    tx.send(ActorMessage::Increment).await.unwrap();
    tx.send(ActorMessage::Increment).await.unwrap();
    tx.send(ActorMessage::Decrement).await.unwrap();
    tx.send(ActorMessage::Increment).await.unwrap();

    let (respond_tx, respond_rx) = oneshot::channel();
    tx.send(ActorMessage::GetValue(respond_tx)).await.unwrap();
    let value = respond_rx.await.unwrap();
    // ANCHOR_END: use_actor
    say!("the actor's value after +1 +1 -1 +1: {value}");
    // Dropping the last sender ends the actor's loop.
    drop(tx);
    actor.await.unwrap();
    say!("all senders dropped: the actor stopped");
}
