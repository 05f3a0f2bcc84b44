//! `Notify`: a stored permit, `notify_waiters`, a cancelled `Notified` passing its
//! notification on, `notify_last`, `enable`, `notified_owned`, and a run under tokio.

mod util;

use clockwork::sync::Notify;
use futures::poll;
use util::rt;

#[test]
fn notify_one_before_waiting_is_stored_as_one_permit() {
    rt().block_on(async {
        let notify = Notify::new();
        notify.notify_one();
        notify.notify_one(); // still one permit, not two
        notify.notified().await;
        let mut second = Box::pin(notify.notified());
        assert!(poll!(&mut second).is_pending());
    });
}

#[test]
fn notify_waiters_wakes_everyone_waiting_and_stores_nothing() {
    rt().block_on(async {
        let notify = Notify::new();
        let mut first = Box::pin(notify.notified());
        let mut second = Box::pin(notify.notified());
        assert!(poll!(&mut first).is_pending());
        // `second` was created before the call, so it counts as notified without a poll.
        notify.notify_waiters();
        assert!(poll!(&mut first).is_ready());
        assert!(poll!(&mut second).is_ready());
        let mut later = Box::pin(notify.notified());
        assert!(poll!(&mut later).is_pending(), "notify_waiters stores no permit");
    });
}

#[test]
fn a_dropped_notified_passes_its_notification_on() {
    rt().block_on(async {
        let notify = Notify::new();
        let mut chosen = Box::pin(notify.notified());
        let mut next = Box::pin(notify.notified());
        assert!(poll!(&mut chosen).is_pending());
        assert!(poll!(&mut next).is_pending());
        notify.notify_one(); // goes to `chosen`, the oldest waiter
        drop(chosen);
        assert!(poll!(&mut next).is_ready(), "the notification was not lost with `chosen`");
    });
}

#[test]
fn notify_runs_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let notify = std::sync::Arc::new(Notify::new());
        let waiter = tokio::spawn({
            let notify = notify.clone();
            async move { notify.notified().await }
        });
        tokio::task::yield_now().await;
        notify.notify_one();
        waiter.await.unwrap();
    });
}

#[test]
fn notify_last_wakes_the_newest_waiter_and_passes_on_to_the_next_newest() {
    use futures::FutureExt;
    let notify = Notify::new();
    let mut oldest = Box::pin(notify.notified());
    let mut middle = Box::pin(notify.notified());
    let mut newest = Box::pin(notify.notified());
    for notified in [&mut oldest, &mut middle, &mut newest] {
        assert!(notified.as_mut().now_or_never().is_none());
    }
    notify.notify_last();
    drop(newest); // chosen, but dropped before it saw the notification
    assert!(oldest.as_mut().now_or_never().is_none(), "the oldest is not chosen");
    assert!(middle.as_mut().now_or_never().is_some(), "the next newest is");
}

#[test]
fn enable_joins_the_queue_so_notify_one_chooses_it_instead_of_storing_a_permit() {
    static NOTIFY: Notify = Notify::const_new();
    let mut notified = Box::pin(NOTIFY.notified());
    assert!(!notified.as_mut().enable(), "nothing to consume yet");
    NOTIFY.notify_one();
    assert!(notified.as_mut().enable(), "the notification was meant for it");
    let mut later = Box::pin(NOTIFY.notified());
    assert!(!later.as_mut().enable(), "no permit was stored for anyone else");
}

#[test]
fn an_owned_notified_is_static_and_behaves_like_notified() {
    use std::sync::Arc;
    let notify = Arc::new(Notify::new());
    let notified = notify.clone().notified_owned();
    let waiter = std::thread::spawn(move || futures::executor::block_on(notified));
    notify.notify_waiters();
    waiter.join().unwrap();
    notify.notify_one();
    rt().block_on(notify.clone().notified_owned());
}
