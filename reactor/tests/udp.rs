//! UDP round trip, both addressed (`send_to`/`recv_from`) and connected (`send`/`recv`).

mod util;

use clockwork_reactor::net::UdpSocket;
use util::Runtime;

#[test]
fn datagrams_round_trip() {
    let rt = Runtime::new();
    rt.block_on(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.expect("bind a");
        let b = UdpSocket::bind("127.0.0.1:0").await.expect("bind b");
        let a_addr = a.local_addr().expect("a addr");
        let b_addr = b.local_addr().expect("b addr");

        // b's receive is pending (parked) before a sends: the reactor must wake it.
        let mut buf = [0_u8; 64];
        let (received, send_result) =
            futures::join!(b.recv_from(&mut buf), a.send_to(b"ping", b_addr));
        assert_eq!(send_result.expect("send_to"), 4);
        let (len, from) = received.expect("recv_from");
        assert_eq!(&buf[..len], b"ping");
        assert_eq!(from, a_addr);

        // Connected: send and recv talk to the one peer.
        a.connect(b_addr).await.expect("connect a");
        b.connect(a_addr).await.expect("connect b");
        assert_eq!(a.peer_addr().expect("peer"), b_addr);
        b.send(b"pong").await.expect("send");
        let len = a.recv(&mut buf).await.expect("recv");
        assert_eq!(&buf[..len], b"pong");
    });
}
