//! The `Waker` of a task: a pointer to its header plus four functions.
//!
//! A [`std::task::Waker`] is a [`RawWaker`]: a `*const ()` and a table of four functions (clone,
//! wake, wake by reference, drop). Ours store a [`TaskRef`] in the pointer, so:
//!
//! - `clone` adds one to the task's reference count,
//! - `wake` runs [`Header::wake_by_ref`], then drops the reference,
//! - `wake_by_ref` runs it without dropping,
//! - `drop` drops the reference.
//!
//! Wakers are `Send + Sync`: a waker may be cloned to a std thread and woken there. The task's
//! scheduler ([`Schedule::wake`], which the runtime implements) decides whether the wake is local
//! (push to the run queue) or remote (send through the cross-thread queue and unpark).
//!
//! The contract of the four functions is the [`RawWakerVTable`]'s: each is called with the data
//! pointer of a waker made here, which holds (or, for [`borrowed`], borrows) one counted
//! reference to a live task; `wake` and `drop_waker` consume that reference, the others do not.
//!
//! With the `tracing` feature, each of the four first tells the task's scheduler what it does
//! (`Schedule::waker_op`), so that tokio-console can count the task's wakers; without it, those
//! lines are not compiled.
//!
//! [`Schedule::wake`]: crate::task::raw::Schedule::wake

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

use crate::task::raw::{Header, TaskRef};
#[cfg(feature = "tracing")]
use crate::task::stats::WakerOp;

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// A waker that borrows one of the caller's references instead of owning one. The caller wraps
/// it in [`ManuallyDrop`] and keeps its own reference alive for as long as the waker is used.
pub(crate) fn borrowed(ptr: NonNull<Header>) -> Waker {
    let raw = RawWaker::new(ptr.as_ptr() as *const (), &VTABLE);
    // SAFETY: the four functions below uphold the `RawWaker` contract for a `TaskRef` pointer,
    // and the caller keeps the reference the waker borrows alive while the waker is used.
    unsafe { Waker::from_raw(raw) }
}

/// Borrows the [`TaskRef`] behind a waker's data pointer without taking ownership of it.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which holds (or borrows) a live reference.
unsafe fn borrow_ref(ptr: *const ()) -> ManuallyDrop<TaskRef> {
    // SAFETY: the caller guarantees a live reference; `ManuallyDrop` keeps the count unchanged.
    ManuallyDrop::new(unsafe { TaskRef::from_raw(ptr) })
}

/// `Waker::clone`: one more reference, in a new waker.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which stays alive during the call.
unsafe fn clone(ptr: *const ()) -> RawWaker {
    // SAFETY: the caller's waker holds a live reference for the length of this call.
    let task = unsafe { borrow_ref(ptr) };
    #[cfg(feature = "tracing")]
    task.header().waker_op(&task, WakerOp::Clone);
    let new_ref = TaskRef::clone(&task);
    RawWaker::new(new_ref.into_raw(), &VTABLE)
}

/// `Waker::wake`: wake the task, then give up this waker's reference.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which is consumed by this call.
unsafe fn wake(ptr: *const ()) {
    // SAFETY: the waker is consumed, so its reference is ours to take (and drop at the end).
    let task = unsafe { TaskRef::from_raw(ptr) };
    #[cfg(feature = "tracing")]
    task.header().waker_op(&task, WakerOp::Wake);
    task.header().wake_by_ref(&task);
}

/// `Waker::wake_by_ref`: wake the task, keeping the waker.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which stays alive during the call.
unsafe fn wake_by_ref(ptr: *const ()) {
    // SAFETY: the caller's waker holds a live reference for the length of this call.
    let task = unsafe { borrow_ref(ptr) };
    #[cfg(feature = "tracing")]
    task.header().waker_op(&task, WakerOp::WakeByRef);
    task.header().wake_by_ref(&task);
}

/// `Waker::drop`: give up this waker's reference.
///
/// # Safety
/// - `ptr` is the data pointer of one of our wakers, which is being dropped.
unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: the waker is being dropped, so its reference is ours to give up.
    let task = unsafe { TaskRef::from_raw(ptr) };
    #[cfg(feature = "tracing")]
    task.header().waker_op(&task, WakerOp::Drop);
    drop(task);
}
