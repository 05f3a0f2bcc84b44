//! How it works: an `async fn` next to the hand-written state machine the compiler makes of it.

use super::rt;
use crate::say;
use rt::time::{Duration, sleep};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub async fn run() {
    say!("async fn: {}", example().await);
    say!("state machine: {}", ExampleFuture::Initial.await);
}

// ANCHOR: async_fn
async fn example() -> u32 {
    let x = fetch_data().await;
    let y = process(x).await;
    y + 1
}
// ANCHOR_END: async_fn

async fn fetch_data() -> u32 {
    sleep(Duration::from_millis(10)).await;
    say!("  fetch_data -> 40");
    40
}

async fn process(x: u32) -> u32 {
    sleep(Duration::from_millis(10)).await;
    say!("  process({x}) -> {}", x + 1);
    x + 1
}

// ANCHOR: state_machine
/// One state per `.await`, holding what must live across it. The compiler stores the inner
/// futures inline and pins them in place; boxing them keeps this version free of `unsafe`.
enum ExampleFuture {
    Initial,
    AwaitingFetch(Pin<Box<dyn Future<Output = u32>>>),
    AwaitingProcess(Pin<Box<dyn Future<Output = u32>>>),
    Done,
}

impl Future for ExampleFuture {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        loop {
            let state = &mut *self;
            match state {
                ExampleFuture::Initial => {
                    *state = ExampleFuture::AwaitingFetch(Box::pin(fetch_data()));
                }
                ExampleFuture::AwaitingFetch(fetch) => {
                    // `.await` is this: poll the inner future; if it is not ready, neither are we.
                    let Poll::Ready(x) = fetch.as_mut().poll(cx) else { return Poll::Pending };
                    *state = ExampleFuture::AwaitingProcess(Box::pin(process(x)));
                }
                ExampleFuture::AwaitingProcess(process) => {
                    let Poll::Ready(y) = process.as_mut().poll(cx) else { return Poll::Pending };
                    *state = ExampleFuture::Done;
                    return Poll::Ready(y + 1);
                }
                ExampleFuture::Done => panic!("ExampleFuture polled after it returned Ready"),
            }
        }
    }
}
// ANCHOR_END: state_machine
