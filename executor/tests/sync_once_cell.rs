//! `OnceCell` and `SetOnce`: one initializer at a time, a failed or cancelled one handing over
//! to the next, `set` refused while initializing or once set, and waiting for a `SetOnce`.

mod util;

use std::sync::Arc;

use clockwork::sync::{OnceCell, SetOnce};
use futures::poll;
use util::rt;

#[test]
fn only_one_initializer_runs_and_the_others_read_its_value() {
    rt().block_on(async {
        let cell = Arc::new(OnceCell::new());
        let (gate_tx, gate_rx) = clockwork::sync::oneshot::channel::<()>();
        let first = clockwork::spawn({
            let cell = cell.clone();
            async move {
                *cell
                    .get_or_init(|| async move {
                        gate_rx.await.unwrap();
                        1
                    })
                    .await
            }
        });
        clockwork::task::yield_now().await;
        let second = clockwork::spawn({
            let cell = cell.clone();
            async move { *cell.get_or_init(|| async { unreachable!("the first one runs") }).await }
        });
        clockwork::task::yield_now().await;
        assert!(cell.set(9).unwrap_err().is_initializing_err());
        gate_tx.send(()).unwrap();
        assert_eq!((first.await.unwrap(), second.await.unwrap()), (1, 1));
        assert!(cell.set(9).unwrap_err().is_already_init_err());
    });
}

#[test]
fn a_failed_or_cancelled_initializer_hands_over_to_the_next() {
    rt().block_on(async {
        static CELL: OnceCell<u8> = OnceCell::const_new();
        let failed = CELL.get_or_try_init(|| async { Err::<u8, &str>("no") }).await;
        assert_eq!(failed, Err("no"));
        assert!(!CELL.initialized());
        let mut pending = Box::pin(CELL.get_or_init(std::future::pending));
        assert!(poll!(pending.as_mut()).is_pending());
        drop(pending); // cancelled while holding the turn to initialize
        assert_eq!(*CELL.get_or_init(|| async { 2 }).await, 2);
    });
}

#[test]
fn into_inner_take_and_new_with_give_the_value_back() {
    let mut cell = OnceCell::new_with(Some(String::from("kept")));
    assert_eq!(format!("{cell:?}"), r#"OnceCell { value: Some("kept") }"#);
    assert_eq!(cell.take().as_deref(), Some("kept"));
    assert!(cell.set(String::from("again")).is_ok(), "take leaves a cell that can be set");
    assert_eq!(cell.into_inner().as_deref(), Some("again"));
}

#[test]
fn set_once_wakes_every_waiter_and_refuses_a_second_value() {
    rt().block_on(async {
        let once = Arc::new(SetOnce::new());
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let once = once.clone();
                clockwork::spawn(async move { *once.wait().await })
            })
            .collect();
        clockwork::task::yield_now().await;
        once.set(5).unwrap();
        assert_eq!(once.set(6).unwrap_err().0, 6);
        for waiter in waiters {
            assert_eq!(waiter.await.unwrap(), 5);
        }
        assert_eq!(SetOnce::from(1).into_inner(), Some(1));
    });
}
