//! Step mode: the run loop stops before every poll, shows what it is about to do, and waits
//! for a key (`Builder::step`, `CLOCKWORK_STEP=1`).
//!
//! ```text
//! ── next: task#3 fetch_user (examples/stepping.rs:21), poll 2, woken by timer (at +11ms)
//!    run queue (1): task#4
//!    timers: 1; the wheel has work next at +21ms (in 10 ms)
//!    I/O waited on: none
//!    [Enter] poll it  [c] on to the next park  [r] run freely  [d] tasks  [t] wheel  [q] quit stepping
//! ```
//!
//! The keys are read a line at a time from the terminal, `/dev/tty`, not from stdin, so a
//! program that reads its own stdin is not disturbed; the screens go there too. Without a
//! terminal, step mode says so once and the runtime runs freely. A paused clock stays paused
//! while the user reads: time moves only when the runtime is idle, and it is not.
//!
//! This is a child module of `core.rs` so that it can read the run queue and the drivers without
//! the run loop growing accessors for them; the loop calls it at three points (before a poll, at
//! a park, when `block_on` starts), each one line.

use std::cell::{Cell, RefCell};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};

use crate::runtime::core::Core;
use crate::task::raw::TaskRef;
use crate::trace::describe;

/// Where stepping stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Stop before the next poll.
    Step,
    /// Run until the runtime parks, then step again (`c`).
    UntilPark,
    /// Run until the next `block_on` starts (`r`).
    UntilBlockOn,
    /// Never stop again (`q`, or no terminal).
    Off,
}

/// The step mode of one runtime.
#[derive(Debug)]
pub(crate) struct Stepper {
    mode: Cell<Mode>,
    /// The terminal, opened on the first stop.
    tty: RefCell<Option<Tty>>,
}

#[derive(Debug)]
struct Tty {
    keys: BufReader<File>,
    screen: File,
}

impl Stepper {
    pub(crate) fn new() -> Stepper {
        Stepper { mode: Cell::new(Mode::Step), tty: RefCell::new(None) }
    }

    /// A `block_on` starts: `r` ran freely until now.
    pub(crate) fn block_on_started(&self) {
        if self.mode.get() == Mode::UntilBlockOn {
            self.mode.set(Mode::Step);
        }
    }

    /// The runtime is about to park: `c` ran until now.
    pub(crate) fn parking(&self) {
        if self.mode.get() == Mode::UntilPark {
            self.mode.set(Mode::Step);
        }
    }

    /// Before `task`'s poll: show the state and wait for a key.
    pub(crate) fn before_poll(&self, core: &Core, task: &TaskRef) {
        while self.mode.get() == Mode::Step {
            let screen = view(core, task);
            let Some(key) = self.ask(&screen) else {
                return;
            };
            match key.trim() {
                "" => return,
                "c" => self.mode.set(Mode::UntilPark),
                "r" => self.mode.set(Mode::UntilBlockOn),
                "q" => self.mode.set(Mode::Off),
                "d" => self.show(&core.dump()),
                "t" => self.show(&core.driver.time.describe_wheel()),
                other => self.show(&format!("unknown key {other:?}\n")),
            }
        }
    }

    /// Shows `screen` and reads one line from the terminal; `None` (and stepping off) when
    /// there is no terminal or it closed.
    fn ask(&self, screen: &str) -> Option<String> {
        let mut tty = self.tty.borrow_mut();
        if tty.is_none() {
            match open_tty() {
                Ok(opened) => *tty = Some(opened),
                Err(error) => {
                    eprintln!("clockwork: step mode needs a terminal ({error}); running freely");
                    self.mode.set(Mode::Off);
                    return None;
                }
            }
        }
        let tty = tty.as_mut().expect("opened above");
        let _ = write!(tty.screen, "{screen}> ");
        let _ = tty.screen.flush();
        let mut line = String::new();
        match tty.keys.read_line(&mut line) {
            Ok(0) | Err(_) => {
                self.mode.set(Mode::Off);
                None
            }
            Ok(_) => Some(line),
        }
    }

    /// Shows text between two prompts (the task table, the wheel).
    fn show(&self, text: &str) {
        if let Some(tty) = self.tty.borrow_mut().as_mut() {
            let _ = write!(tty.screen, "{text}");
        }
    }
}

fn open_tty() -> std::io::Result<Tty> {
    let keys = BufReader::new(File::open("/dev/tty")?);
    let screen = OpenOptions::new().write(true).open("/dev/tty")?;
    Ok(Tty { keys, screen })
}

/// The screen before a poll: the task, the run queue behind it, the timers and the I/O.
fn view(core: &Core, task: &TaskRef) -> String {
    let header = task.header();
    let stats = &header.stats;
    let woken_by = stats.last_woken_by().map_or("nobody yet".to_string(), |by| by.to_string());
    let mut out = format!(
        "── next: {:?} {}, poll {}, woken by {woken_by}\n",
        header.meta.id,
        describe(header),
        stats.polls() + 1,
    );
    let queue = core.run_queue.borrow();
    let waiting: Vec<String> =
        queue.iter().take(8).map(|t| format!("{:?}", t.header().meta.id)).collect();
    let more = if queue.len() > 8 { ", ..." } else { "" };
    out += &format!("   run queue ({}): {}{more}\n", queue.len(), waiting.join(", "));
    let time = &core.driver.time;
    let timers = time.try_timers().unwrap_or(0);
    // The wheel's next work may be a cascade (a slot of a higher level), not a deadline.
    out += &match time.next_deadline_ms() {
        Some(next) => {
            let wait = time.duration_until_ms(next).as_millis();
            format!("   timers: {timers}; the wheel has work next at +{next}ms (in {wait} ms)\n")
        }
        None => format!("   timers: {timers}\n"),
    };
    let io = core.driver.reactor_handle().waiting();
    let io: Vec<String> = io.iter().map(|(token, dir)| format!("{token:?} {dir:?}")).collect();
    let io = if io.is_empty() { "none".to_string() } else { io.join(", ") };
    out += &format!("   I/O waited on: {io}\n");
    out += "   [Enter] poll it  [c] on to the next park  [r] run freely  [d] tasks  [t] wheel  \
            [q] quit stepping\n";
    out
}
