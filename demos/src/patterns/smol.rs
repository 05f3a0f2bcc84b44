//! Variation 1, other runtimes: the basic program on smol (async-std is discontinued).

use super::rt;
use crate::say;
use std::time::Duration;

pub async fn run() {
    // smol is a third runtime with its own `block_on`, which must not run on a thread that is
    // already driving a runtime; `rt` lends it a blocking thread, and only that.
    let said = rt::task::spawn_blocking(smol_main).await.expect("the smol program runs");
    for line in said {
        say!("{line}");
    }
    say!("async-std: discontinued; its maintainers recommend smol");
}

// ANCHOR: smol
fn smol_main() -> Vec<String> {
    smol::block_on(async {
        let mut said = Vec::new();
        // The document sleeps one second; 20 ms is enough to see it.
        smol::Timer::after(Duration::from_millis(20)).await;
        said.push("smol: Done".to_string());
        let result = smol::spawn(async {
            smol::Timer::after(Duration::from_millis(20)).await;
            "Done"
        })
        .await;
        said.push(format!("smol::spawn: {result}"));
        said
    })
}
// ANCHOR_END: smol
