#!/usr/bin/env python3
"""A chat client for kecho's chat mode (mode=chat), standard library only.

Each line read from standard input is sent as one message: a 4-byte body
length (network order, or little-endian with --le for msg_order=le), then
the line without its newline. Every message received from the room is
printed as "[SIZE] BODY", SIZE being the body's length in bytes.

    python3 kecho-chat.py                  # kecho on 127.0.0.1:12345
    python3 kecho-chat.py 192.0.2.10 7007

End with Ctrl-D (end of input): the client leaves the room. --wait keeps it
reading that many seconds first, for messages still on their way.
"""

import argparse
import os
import selectors
import socket
import struct
import sys
import time

HEADER = 4


def frame(body: bytes, little_endian: bool) -> bytes:
    """One message: the body's length in 4 bytes, then the body."""
    return struct.pack("<I" if little_endian else "!I", len(body)) + body


class Reader:
    """Splits the bytes received into whole messages, however they arrive."""

    def __init__(self, little_endian: bool):
        self.order = "<I" if little_endian else "!I"
        self.buf = bytearray()

    def feed(self, data: bytes):
        """The message bodies completed by `data`, in order."""
        self.buf += data
        out = []
        while len(self.buf) >= HEADER:
            (size,) = struct.unpack(self.order, self.buf[:HEADER])
            if len(self.buf) < HEADER + size:
                break
            out.append(bytes(self.buf[HEADER:HEADER + size]))
            del self.buf[:HEADER + size]
        return out


def show(body: bytes) -> None:
    text = body.decode("utf-8", errors="replace")
    print(f"[{len(body)}] {text}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("host", nargs="?", default="127.0.0.1")
    parser.add_argument("port", nargs="?", type=int, default=12345)
    parser.add_argument("--le", action="store_true",
                        help="little-endian lengths (kecho's msg_order=le)")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="after the end of input, keep printing messages "
                             "this long before leaving (default 0)")
    args = parser.parse_args()

    try:
        sock = socket.create_connection((args.host, args.port))
    except OSError as e:
        print(f"kecho-chat: {args.host} port {args.port}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    reader = Reader(args.le)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    stdin = sys.stdin.fileno()
    sel.register(stdin, selectors.EVENT_READ)
    pending = b""
    leave_at = None  # set once input has ended

    while True:
        timeout = None if leave_at is None else max(0.0, leave_at - time.monotonic())
        events = sel.select(timeout)
        if not events and leave_at is not None:
            break
        for key, _ in events:
            if key.fileobj is sock:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    # kecho resets a client that fell chat_queue bytes behind
                    # (slow_dropped), or sent an oversize or stalled message.
                    print("kecho-chat: connection reset by kecho", file=sys.stderr)
                    return 1
                if not data:
                    print("kecho-chat: kecho closed the connection", file=sys.stderr)
                    return 1
                for body in reader.feed(data):
                    show(body)
            else:
                data = os.read(stdin, 65536)
                if not data:
                    if pending:
                        sock.sendall(frame(pending, args.le))
                    sel.unregister(stdin)
                    leave_at = time.monotonic() + args.wait
                    continue
                *lines, pending = (pending + data).split(b"\n")
                for line in lines:
                    sock.sendall(frame(line, args.le))
    sock.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
