//! The `Waker` of a task: a pointer to its header plus four functions.
//!
//! A `std::task::Waker` is a `RawWaker`: a `*const ()` and a table of four functions (clone,
//! wake, wake by reference, drop). Ours store a `TaskRef` in the pointer, so:
//!
//! - `clone` adds one to the task's reference count,
//! - `wake` runs [`Header::wake_by_ref`](super::raw::Header::wake_by_ref), then drops the
//!   reference,
//! - `wake_by_ref` runs it without dropping,
//! - `drop` drops the reference.
//!
//! Wakers are `Send + Sync`: a waker may be cloned to a std thread and woken there.
//! [`Shared::schedule`](crate::runtime::shared::Shared::schedule) decides whether the wake is
//! local (push to the run queue) or remote (send through the cross-thread queue and unpark).

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

use crate::task::raw::{Header, TaskRef};

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// A waker that borrows one of the caller's references instead of owning one. The caller wraps
/// it in `ManuallyDrop` and keeps its own reference alive for as long as the waker is used.
pub(crate) fn borrowed(ptr: NonNull<Header>) -> Waker {
    let raw = RawWaker::new(ptr.as_ptr() as *const (), &VTABLE);
    // SAFETY: the four functions below uphold the `RawWaker` contract for a `TaskRef` pointer.
    unsafe { Waker::from_raw(raw) }
}

/// Borrows the `TaskRef` behind a waker's data pointer without taking ownership of it.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which holds (or borrows) a live reference.
unsafe fn borrow_ref(ptr: *const ()) -> ManuallyDrop<TaskRef> {
    // SAFETY: the caller guarantees a live reference; `ManuallyDrop` keeps the count unchanged.
    ManuallyDrop::new(unsafe { TaskRef::from_raw(ptr) })
}

unsafe fn clone(ptr: *const ()) -> RawWaker {
    // SAFETY: called by `Waker::clone` on one of our wakers.
    let task = unsafe { borrow_ref(ptr) };
    let new_ref = TaskRef::clone(&task);
    RawWaker::new(new_ref.into_raw(), &VTABLE)
}

unsafe fn wake(ptr: *const ()) {
    // SAFETY: `Waker::wake` consumes the waker, so this owns its reference.
    let task = unsafe { TaskRef::from_raw(ptr) };
    task.header().wake_by_ref(&task);
}

unsafe fn wake_by_ref(ptr: *const ()) {
    // SAFETY: called by `Waker::wake_by_ref` on one of our wakers.
    let task = unsafe { borrow_ref(ptr) };
    task.header().wake_by_ref(&task);
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: `Waker::drop` gives up the waker's reference.
    drop(unsafe { TaskRef::from_raw(ptr) });
}
