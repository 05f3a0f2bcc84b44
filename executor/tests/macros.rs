//! `#[clockwork::test]` and `#[clockwork::main]` expand to a runtime and a `block_on`.

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
