# Pretty-printers for Clockwork's runtime structures, for gdb.
#
# rustc embeds this file in every binary that links the `clockwork` crate (see the
# `#![debugger_visualizer]` attribute in executor/src/lib.rs), and gdb loads it when the binary's
# directory is on its `auto-load safe-path`. Printed values read like the Debug impls:
#
#   (gdb) p *task.ptr.pointer
#   Header { id: task#3, state: idle, refs: 3, polls: 1, wakes: 0, name: Some("fetch_user"), ... }
#
# Printers: the task header and its state word, a TaskRef (one level of indirection less), the
# timer wheel (hand, live timers, occupied slots per level) and the TimeDriver around it. The run
# queue is a VecDeque<TaskRef>: Rust's own VecDeque printer lists it, and each entry is printed
# by the TaskRef printer below.

import gdb
import gdb.printing

# The flags of executor/src/task/state.rs, lowest bit first.
STATE_FLAGS = ["scheduled", "running", "complete", "cancelled", "join_interest", "join_waker"]


def scalar(value):
    """Digs through newtype wrappers (Atomic, UnsafeCell, NonZero) down to the integer."""
    while value.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
        fields = value.type.strip_typedefs().fields()
        if not fields:
            break
        value = value[fields[0]]
    return int(value)


def rust_str(value):
    """A Rust `&str` / `*const str` / `NonNull<str>` as a Python string."""
    while value.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
        names = [field.name for field in value.type.strip_typedefs().fields()]
        if "data_ptr" in names:
            return value["data_ptr"].string(length=int(value["length"]))
        value = value[names[0]]
    return str(value)


def task_name(name):
    """The task's `Option<Box<Box<str>>>` name, or "-" without one."""
    try:
        outer = name["Some"]["__0"]
        # The outer box is a thin pointer to the `Box<str>` (a data pointer and a length).
        while outer.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
            outer = outer[outer.type.strip_typedefs().fields()[0]]
        inner = outer.dereference()
        return rust_str(inner)
    except gdb.error:
        return "-"


def location_text(location):
    """`file:line` of a `&'static core::panic::Location`."""
    location = location.dereference()
    names = [field.name for field in location.type.strip_typedefs().fields()]
    file_field = "filename" if "filename" in names else "file"
    return "%s:%d" % (rust_str(location[file_field]), scalar(location["line"]))


def lifecycle(word):
    """The one-word state name, as `Snapshot::name` in state.rs gives it."""
    scheduled, running, complete, cancelled = (bool(word & (1 << i)) for i in range(4))
    if complete:
        return "complete"
    if running:
        return "running+notified" if scheduled else "running"
    if scheduled:
        return "cancelling" if cancelled else "scheduled"
    return "idle"


class StatePrinter:
    """clockwork::task::state::State: the lifecycle and the flags that are set."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        word = scalar(self.value["word"])
        flags = [name for i, name in enumerate(STATE_FLAGS) if word & (1 << i)]
        return "%s [%s]" % (lifecycle(word), " | ".join(flags))


class HeaderPrinter:
    """clockwork::task::raw::Header: who the task is and how it is doing."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        meta = self.value["meta"]
        stats = self.value["stats"]
        return "task#%d %s at %s: %s, refs %d, polls %d, wakes %d" % (
            scalar(meta["id"]),
            task_name(meta["name"]),
            location_text(meta["location"]),
            StatePrinter(self.value["state"]).to_string(),
            scalar(self.value["refs"]),
            scalar(stats["polls"]),
            scalar(stats["wakes_here"]) + scalar(stats["wakes_elsewhere"]),
        )


class TaskRefPrinter:
    """clockwork::task::raw::TaskRef: the header it points to."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        pointer = self.value["ptr"]["pointer"]
        return "TaskRef -> " + HeaderPrinter(pointer.dereference()).to_string()


class WheelPrinter:
    """clockwork_timer::wheel::Wheel: the hand, the live timers, the occupied slots."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        # The wheel's `Store`: every entry of the slab, less the retired (cancelled) ones.
        store = self.value["timers"]
        live = scalar(store["wakers"]["len"]) - scalar(store["retired_count"])
        return "Wheel { hand_ms: %d, timers: %d }" % (scalar(self.value["hand_ms"]), live)

    def children(self):
        levels = self.value["levels"]
        for level in range(6):
            occupied = scalar(levels[level]["occupied"])
            slots = [slot for slot in range(64) if occupied & (1 << slot)]
            width_ms = 64 ** level
            text = "slots %s (each %d ms)" % (slots, width_ms) if slots else "empty"
            yield ("level %d" % level, text)


class TimeDriverPrinter:
    """clockwork::time::driver::TimeDriver: the wheel inside its RefCell."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        wheel = self.value["wheel"]["value"]["value"]
        return "TimeDriver { " + WheelPrinter(wheel).to_string() + " }"

    def children(self):
        wheel = self.value["wheel"]["value"]["value"]
        return WheelPrinter(wheel).children()


def build():
    printers = gdb.printing.RegexpCollectionPrettyPrinter("clockwork")
    printers.add_printer("State", r"^clockwork::task::state::State$", StatePrinter)
    printers.add_printer("Header", r"^clockwork::task::raw::Header$", HeaderPrinter)
    printers.add_printer("TaskRef", r"^clockwork::task::raw::TaskRef$", TaskRefPrinter)
    printers.add_printer("Wheel", r"^clockwork_timer::wheel::Wheel$", WheelPrinter)
    printers.add_printer("TimeDriver", r"^clockwork::time::driver::TimeDriver$", TimeDriverPrinter)
    return printers


gdb.printing.register_pretty_printer(gdb.current_objfile(), build(), replace=True)


# `call clockwork_dump()`.
#
# `clockwork_dump` is an `extern "C"` function (executor/src/trace/dump.rs). In a Rust frame gdb
# parses expressions as Rust and looks a bare name up only in the frame's own module, so it does
# not find the C symbol. This wraps gdb's `call`: the exact expression `clockwork_dump()` is
# evaluated in C, and any other expression as gdb's `call` would (a value is printed and added
# to the value history, a `()` or `void` result prints nothing). `clockwork-dump` does the same.


def dump_task_table():
    language = gdb.parameter("language")
    gdb.execute("set language c", to_string=True)
    try:
        gdb.parse_and_eval("clockwork_dump()")
    except gdb.error as error:
        # Some virtual machines refuse gdb's restore of the AVX register state after a call
        # into the program ("Couldn't write extended state status"). The table has been
        # printed by then; say what happened instead of aborting the user's script.
        if "extended state" not in str(error):
            raise
        print("(gdb could not restore the extended register state after the call: %s)" % error)
    finally:
        gdb.execute("set language %s" % language, to_string=True)


class ClockworkDump(gdb.Command):
    """Print the task table of the Clockwork runtime running on the current thread."""

    def __init__(self):
        super().__init__("clockwork-dump", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        dump_task_table()


class CallWithClockworkDump(gdb.Command):
    """call EXPR: gdb's `call`, which also understands `clockwork_dump()` in Rust frames."""

    def __init__(self):
        super().__init__("call", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, argument, from_tty):
        if argument.replace(" ", "") == "clockwork_dump()":
            dump_task_table()
            return
        if argument.startswith("/"):
            gdb.execute("print" + argument, from_tty)
            return
        value = gdb.parse_and_eval(argument)
        kind = value.type.strip_typedefs()
        if kind.code == gdb.TYPE_CODE_VOID or str(kind) == "()":
            return
        index = gdb.add_history(value)
        print("$%d = %s" % (index, value.format_string()))


if not getattr(gdb, "_clockwork_commands", False):
    gdb._clockwork_commands = True
    ClockworkDump()
    CallWithClockworkDump()
