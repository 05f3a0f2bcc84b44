//! Unit tests of `ReadBuf`: the cursor moves as documented, and panics where it says.

use super::*;

#[test]
fn put_slice_and_advance_move_the_cursor() {
    let mut memory = [9_u8; 8];
    let mut buf = ReadBuf::new(&mut memory);
    buf.put_slice(b"ab");
    buf.initialize_unfilled_to(3).copy_from_slice(b"cde");
    buf.advance(3);
    assert_eq!(buf.filled(), b"abcde");
    assert_eq!(buf.remaining(), 3);
}

#[test]
fn uninit_memory_reads_as_zeros() {
    let mut memory = [MaybeUninit::<u8>::uninit(); 4];
    let mut buf = ReadBuf::uninit(&mut memory);
    assert_eq!(buf.initialize_unfilled(), &[0, 0, 0, 0]);
}

#[test]
fn take_limits_the_inner_buffer() {
    let mut memory = [0_u8; 8];
    let mut buf = ReadBuf::new(&mut memory);
    buf.put_slice(b"x");
    let mut inner = buf.take(2);
    assert_eq!(inner.capacity(), 2);
    inner.put_slice(b"yz");
    buf.advance(2);
    assert_eq!(buf.filled(), b"xyz");
}

#[test]
#[should_panic(expected = "do not fit")]
fn put_slice_past_the_end_panics() {
    let mut memory = [0_u8; 2];
    ReadBuf::new(&mut memory).put_slice(b"abc");
}
