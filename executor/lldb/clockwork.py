# lldb formatters for Clockwork's runtime structures: the lldb counterpart of gdb/clockwork.py.
#
# Load them at a stop, or in ~/.lldbinit, with:
#
#   command script import executor/lldb/clockwork.py
#
# (.vscode/launch.json's CodeLLDB configurations load them by themselves.) Printed values read
# like the gdb printers:
#
#   (lldb) p task
#   (clockwork::task::raw::TaskRef) TaskRef -> task#1 fetch_user at executor/examples/stepping.rs:21: running [...], refs 3, polls 2, wakes 1
#
# Summaries: the task header and its state word, a TaskRef, the timer wheel (hand, live timers,
# and the occupied slots of each level) and the TimeDriver around it. A command,
# `clockwork-dump`, prints the task table; so does `expr clockwork_dump()` (see
# executor/src/runtime/context.rs for why lldb needs a second symbol for that).

import lldb

# The flags of executor/src/task/state.rs, lowest bit first.
STATE_FLAGS = ["scheduled", "running", "complete", "cancelled", "join_interest", "join_waker"]


def scalar(value):
    """Digs through newtype wrappers (Atomic, UnsafeCell, NonZero, Cell) down to the integer."""
    for _ in range(8):
        if value.GetNumChildren() == 0 or value.GetType().IsPointerType():
            break
        value = value.GetChildAtIndex(0)
    return value.GetValueAsUnsigned(0)


def find_str(value, depth=6):
    """The text of the first `&str`-like {data_ptr, length} pair under `value`, or None."""
    if not value.IsValid() or depth == 0:
        return None
    data, length = value.GetChildMemberWithName("data_ptr"), value.GetChildMemberWithName("length")
    if data.IsValid() and length.IsValid():
        address, size = data.GetValueAsUnsigned(0), length.GetValueAsUnsigned(0)
        if address == 0:
            return None
        if size == 0:
            return ""
        error = lldb.SBError()
        text = value.GetProcess().ReadMemory(address, min(size, 4096), error)
        return text.decode("utf-8", "replace") if error.Success() else None
    if value.GetType().IsPointerType():
        if value.GetValueAsUnsigned(0) == 0:
            return None
        return find_str(value.Dereference(), depth - 1)
    for index in range(value.GetNumChildren()):
        found = find_str(value.GetChildAtIndex(index), depth - 1)
        if found is not None:
            return found
    return None


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


def state_summary(value, _dict):
    word = scalar(value.GetChildMemberWithName("word"))
    flags = [name for i, name in enumerate(STATE_FLAGS) if word & (1 << i)]
    return "%s [%s]" % (lifecycle(word), " | ".join(flags))


def location_text(location):
    location = location.Dereference() if location.GetType().IsPointerType() else location
    file_field = location.GetChildMemberWithName("file")
    if not file_field.IsValid():
        file_field = location.GetChildMemberWithName("filename")
    return "%s:%d" % (find_str(file_field) or "?", scalar(location.GetChildMemberWithName("line")))


def task_name(name):
    """The task's `Option<Box<Box<str>>>` name, or "-" without one.

    lldb 14 does not decode Rust's `Option` layouts, so this reads the memory itself: the
    option is one thin pointer (null for `None`) to a `Box<str>`, a data pointer and a length.
    """
    process, error = name.GetProcess(), lldb.SBError()
    outer = process.ReadPointerFromMemory(name.GetLoadAddress(), error)
    if not error.Success() or outer == 0:
        return "-"
    data = process.ReadPointerFromMemory(outer, error)
    length = process.ReadUnsignedFromMemory(outer + 8, 8, error)
    if not error.Success() or data == 0:
        return "-"
    text = process.ReadMemory(data, min(length, 4096), error) if length else b""
    return text.decode("utf-8", "replace") if error.Success() else "-"


def header_summary(value, _dict):
    meta, stats = value.GetChildMemberWithName("meta"), value.GetChildMemberWithName("stats")
    name = task_name(meta.GetChildMemberWithName("name"))
    return "task#%d %s at %s: %s, refs %d, polls %d, wakes %d" % (
        scalar(meta.GetChildMemberWithName("id")),
        name,
        location_text(meta.GetChildMemberWithName("location")),
        state_summary(value.GetChildMemberWithName("state"), None),
        scalar(value.GetChildMemberWithName("refs")),
        scalar(stats.GetChildMemberWithName("polls")),
        scalar(stats.GetChildMemberWithName("wakes_here"))
        + scalar(stats.GetChildMemberWithName("wakes_elsewhere")),
    )


def taskref_summary(value, _dict):
    pointer = value.GetChildMemberWithName("ptr").GetChildMemberWithName("pointer")
    return "TaskRef -> " + header_summary(pointer.Dereference(), None)


def wheel_summary(value, _dict):
    # The wheel's `Store`: every entry of the slab, less the retired (cancelled) ones.
    store = value.GetChildMemberWithName("timers")
    entries = scalar(store.GetChildMemberWithName("wakers").GetChildMemberWithName("len"))
    live = entries - scalar(store.GetChildMemberWithName("retired_count"))
    hand = scalar(value.GetChildMemberWithName("hand_ms"))
    return "Wheel { hand_ms: %d, timers: %d }%s" % (hand, live, occupied_levels(value))


def occupied_levels(wheel):
    """The wheel's occupied slots, level by level (empty levels left out), read from the
    `occupied` bit mask of each level: `= {level 0 = slots [21] (each 1 ms)}`."""
    levels = wheel.GetChildMemberWithName("levels")
    texts = []
    for level in range(levels.GetNumChildren()):
        occupied = scalar(levels.GetChildAtIndex(level).GetChildMemberWithName("occupied"))
        slots = [slot for slot in range(64) if occupied & (1 << slot)]
        if slots:
            texts.append("level %d = slots %s (each %d ms)" % (level, slots, 64**level))
    return " = {" + ", ".join(texts) + "}" if texts else ""


def wheel_of(time_driver):
    """The wheel inside the TimeDriver's RefCell (its `value`, an `UnsafeCell`, holds it)."""
    # rust-lldb's own formatters give RefCell synthetic children; walk the plain fields.
    refcell = time_driver.GetNonSyntheticValue().GetChildMemberWithName("wheel")
    cell = refcell.GetNonSyntheticValue().GetChildMemberWithName("value")
    return cell.GetNonSyntheticValue().GetChildMemberWithName("value")


def time_driver_summary(value, _dict):
    return "TimeDriver { " + wheel_summary(wheel_of(value), None) + " }"


def clockwork_dump(debugger, _command, result, _dict):
    """Prints the task table of the Clockwork runtime running on the current thread."""
    frame = debugger.GetSelectedTarget().GetProcess().GetSelectedThread().GetSelectedFrame()
    options = lldb.SBExpressionOptions()
    options.SetLanguage(lldb.eLanguageTypeC)
    frame.EvaluateExpression("clockwork_dump()", options)
    result.SetStatus(lldb.eReturnStatusSuccessFinishNoResult)


def __lldb_init_module(debugger, _dict):
    summaries = [
        ("^clockwork::task::state::State$", "state_summary"),
        ("^clockwork::task::raw::Header$", "header_summary"),
        ("^clockwork::task::raw::TaskRef$", "taskref_summary"),
        ("^clockwork_timer::wheel::Wheel$", "wheel_summary"),
        ("^clockwork::time::driver::TimeDriver$", "time_driver_summary"),
    ]
    for pattern, function in summaries:
        debugger.HandleCommand(
            'type summary add -x "%s" -F %s.%s --category clockwork' % (pattern, __name__, function)
        )
    debugger.HandleCommand("type category enable clockwork")
    debugger.HandleCommand("command script add -f %s.clockwork_dump clockwork-dump" % __name__)
