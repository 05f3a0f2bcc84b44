# The session of the book's "Stepping through" chapter (docs/src/stepping.md). Run it with
#   rust-gdb -q -iex 'set auto-load safe-path /' -x executor/gdb/stepping.gdb \
#       target/debug/examples/stepping
# from the repository root, after `cargo build -p clockwork --example stepping`. The safe-path
# setting lets gdb run the pretty-printers embedded in the binary; it must come before the
# binary is loaded, hence `-iex`.
set debuginfod enabled off
set pagination off
set width 0
set trace-commands on
set print frame-arguments none
break stepping.rs:14
run
bt
call clockwork_dump()
frame function clockwork::runtime::core::Core::run_task
print task
print self.run_queue
print self.driver.time
delete 1
break clockwork::task::raw::Header::wake_by_ref
continue
bt 12
print *self
continue
