//! Out of file descriptors, the HTTP server waits for some to be freed instead of spinning.
//!
//! When `accept` fails with `EMFILE`, the connection stays queued in the kernel and the listener
//! stays readable, so a loop that retries at once fails again at once, forever (issue 12). Only
//! the connection tasks can free descriptors, and a spinning accept loop starves them.
//!
//! A descriptor limit applies to a whole process, so each test runs twice: the parent re-executes
//! this test binary with `CHILD_ENV` set, and the child lowers its own limit and serves. The
//! parent then holds more connections open than the child has descriptors, measures the child's
//! CPU time while it is starved, lets go, and checks that the child answers again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Set in the child, to the name of the test it runs.
const CHILD_ENV: &str = "CLOCKWORK_HTTP_EMFILE_CHILD";
/// The child's descriptor limit, and how many connections the parent holds: more than that.
const FD_LIMIT: u64 = 64;
const HELD_CONNECTIONS: usize = 96;
/// How long the child stays starved while its CPU time is measured.
const STARVED: Duration = Duration::from_secs(2);
/// Generous: on a loaded machine the child may be slow, but it always answers eventually.
const PATIENCE: Duration = Duration::from_secs(30);

macro_rules! recovers_from_emfile {
    ($test:ident, $on:ident, $runtime:expr) => {
        #[test]
        fn $test() {
            use clockwork_demos::$on::{http::server, rt};

            if std::env::var(CHILD_ENV).as_deref() != Ok(stringify!($test)) {
                return parent(stringify!($test));
            }
            // The child: a low limit, a thread that answers the parent's probes, and the server.
            limit_descriptors(FD_LIMIT);
            std::thread::spawn(answer_probes);
            $runtime.block_on(async {
                let listener = rt::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                say(&format!("listening {}", listener.local_addr().unwrap()));
                server::serve(listener).await
            });
        }
    };
}

recovers_from_emfile!(
    emfile_on_clockwork,
    on_clockwork,
    clockwork::runtime::Runtime::new().unwrap()
);

recovers_from_emfile!(
    emfile_on_tokio,
    on_tokio,
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
);

/// The parent's side: starve the child, measure it, release it, and ask it for a user.
fn parent(test: &str) {
    let mut child = ChildServer::start(test);
    let addr: SocketAddr = child.expect_line("listening ").parse().unwrap();

    // 1. Hold more connections than the child can accept. Each completes its handshake in the
    //    kernel's backlog whether or not the child accepts it, so `connect` does not wait.
    let held: Vec<TcpStream> =
        (0..HELD_CONNECTIONS).map(|_| TcpStream::connect(addr).unwrap()).collect();

    // 2. Wait until the child is out of descriptors: its probe thread cannot open a file.
    let deadline = Instant::now() + PATIENCE;
    while !child.probe().starved {
        assert!(Instant::now() < deadline, "the child never ran out of descriptors");
        std::thread::sleep(Duration::from_millis(20));
    }

    // 3. Measure: a spinning accept loop would burn close to a whole core while starved.
    let before = child.probe();
    let wall = Instant::now();
    std::thread::sleep(STARVED);
    let after = child.probe();
    let cpu = after.cpu - before.cpu;
    let wall = wall.elapsed();
    println!("starved for {wall:?}, the child used {cpu:?} of CPU");
    assert!(after.starved, "the child should still be out of descriptors");
    assert!(cpu < wall / 10, "starved for {wall:?}, the child used {cpu:?} of CPU: it spins");

    // 4. Let go: the connection tasks see EOF and close, and the server accepts again.
    drop(held);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(b"GET /users/1 HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let read = stream.read_to_string(&mut response);
    assert!(read.is_ok(), "no answer after the descriptors were freed: {read:?}");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response:?}");
}

/// What the child's probe thread reports.
#[derive(Debug, Clone, Copy)]
struct Probe {
    /// The child's CPU time so far, user and system, all threads.
    cpu: Duration,
    /// Whether opening a file failed with `EMFILE` just now.
    starved: bool,
}

/// The child process, ended when this is dropped, however the test ends.
struct ChildServer {
    process: Child,
    /// Dropping it closes the child's stdin, and the child exits on EOF.
    stdin: Option<ChildStdin>,
    /// The child's stdout, line by line, read by a thread so that every wait has a deadline.
    lines: mpsc::Receiver<String>,
}

impl ChildServer {
    fn start(test: &str) -> ChildServer {
        let exe = std::env::current_exe().unwrap();
        let mut process = Command::new(exe)
            .args([test, "--exact", "--test-threads=1", "--quiet"])
            .env(CHILD_ENV, test)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(process.stdout.take().unwrap());
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            stdout.lines().map_while(Result::ok).try_for_each(|l| send.send(l))
        });
        ChildServer { stdin: process.stdin.take(), process, lines }
    }

    /// Waits for the child's next line that starts with `prefix` (the test harness prints its
    /// own lines too) and returns the rest of it.
    fn expect_line(&mut self, prefix: &str) -> String {
        loop {
            let line = self.lines.recv_timeout(PATIENCE).expect("the child stopped answering");
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.to_string();
            }
        }
    }

    fn probe(&mut self) -> Probe {
        writeln!(self.stdin.as_mut().unwrap(), "probe").unwrap();
        let reply = self.expect_line("probe ");
        let (cpu_us, starved) = reply.split_once(' ').unwrap();
        Probe { cpu: Duration::from_micros(cpu_us.parse().unwrap()), starved: starved == "starved" }
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

// === The child's helpers ===

/// Writes one line to the real stdout, past the test harness's capture of `println!`.
fn say(line: &str) {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush()).unwrap();
}

/// Lowers the soft limit on open descriptors (`setrlimit(2)`), keeping the hard limit.
fn limit_descriptors(soft: u64) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid, writable `rlimit` for the call to fill in.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) }, 0);
    limit.rlim_cur = soft.min(limit.rlim_max);
    // SAFETY: `limit` is a valid `rlimit`, and only read by the call.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
}

/// Answers each `probe` line on stdin with `probe <cpu µs> starved|ok`; exits on EOF, which
/// comes when the parent is done or gone, so the child never outlives the test.
fn answer_probes() {
    for _command in std::io::stdin().lines().map_while(Result::ok) {
        let starved = match std::fs::File::open("/dev/null") {
            Err(error) => error.raw_os_error() == Some(libc::EMFILE),
            Ok(_file) => false,
        };
        let state = if starved { "starved" } else { "ok" };
        say(&format!("probe {} {state}", cpu_time().as_micros()));
    }
    std::process::exit(0);
}

/// This process's CPU time so far, user plus system (`getrusage(2)`, `RUSAGE_SELF`).
fn cpu_time() -> Duration {
    // SAFETY: `rusage` is plain old data; all zeroes is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable `rusage` for the call to fill in.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) }, 0);
    let micros = |time: libc::timeval| time.tv_sec as u64 * 1_000_000 + time.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}
