//! `#[clockwork::test]` and `#[clockwork::main]` expand to a runtime and a `block_on`, with
//! tokio's flavours and arguments.

use clockwork::runtime::{Handle, RuntimeFlavor};

#[clockwork::test]
async fn the_test_attribute_runs_the_body_on_a_runtime() {
    let task = clockwork::spawn(async { 40 + 2 });
    assert_eq!(task.await.unwrap(), 42);
    assert!(clockwork::runtime::Handle::try_current().is_ok());
}

#[clockwork::test(flavor = "current_thread")]
async fn a_test_can_return_a_result() -> Result<(), String> {
    let value = clockwork::spawn(async { "ok" }).await.map_err(|e| e.to_string())?;
    if value == "ok" { Ok(()) } else { Err(format!("got {value}")) }
}

mod renamed {
    // `crate = "..."` finds Clockwork under another name.
    use clockwork as other_name;

    #[other_name::test(crate = "other_name")]
    async fn the_crate_argument_is_honoured() {
        assert_eq!(other_name::spawn(async { 1 }).await.unwrap(), 1);
    }
}

#[clockwork::test]
async fn a_test_defaults_to_the_current_thread_flavor() {
    assert_eq!(Handle::current().runtime_flavor(), RuntimeFlavor::CurrentThread);
}

#[clockwork::test(flavor = "multi_thread", worker_threads = 1)]
async fn the_multi_thread_flavor_builds_a_runtime_that_says_so() {
    assert_eq!(Handle::current().runtime_flavor(), RuntimeFlavor::MultiThread);
    // `block_in_place` is allowed there, as on tokio.
    assert_eq!(clockwork::task::block_in_place(|| 3), 3);
}

#[clockwork::test(flavor = "local")]
async fn the_local_flavor_spawns_futures_that_are_not_send() {
    let shared = std::rc::Rc::new(11);
    let value = clockwork::task::spawn_local(async move { *shared }).await.unwrap();
    assert_eq!(value, 11);
}

#[clockwork::test(name = "named-by-the-attribute", start_paused = true)]
async fn name_and_start_paused_reach_the_builder() {
    assert_eq!(Handle::current().name(), Some("named-by-the-attribute"));
    let before = clockwork::time::Instant::now();
    clockwork::time::sleep(std::time::Duration::from_secs(3600)).await;
    assert!(before.elapsed() >= std::time::Duration::from_secs(3600), "paused time jumped");
}

/// `#[clockwork::main]` goes on any `async fn`, as tokio's does; its default flavour is
/// tokio's, `multi_thread`.
#[clockwork::main]
async fn run_as_main() -> RuntimeFlavor {
    Handle::current().runtime_flavor()
}

#[test]
fn main_goes_on_any_function_and_defaults_to_multi_thread() {
    assert_eq!(run_as_main(), RuntimeFlavor::MultiThread);
}
