#!/usr/bin/env python3
"""kecho-chat.py against a fake relay on loopback (no kecho needed).

The fake speaks kecho's chat protocol: every whole message (4-byte body
length, then the body) one client sends goes to every other client; it can
use little-endian lengths, trickle its bytes out one at a time, or reset a
client. Run: python3 -m unittest test_kecho_chat (ctest does).
"""

import os
import select
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
import unittest

CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kecho-chat.py")


class FakeRelay:
    """One thread, one selector: every client's bytes in, whole messages out."""

    def __init__(self, little_endian=False, trickle=False, reset_after=None):
        self.order = "<I" if little_endian else "!I"
        self.trickle = trickle          # send relayed bytes one at a time
        self.reset_after = reset_after  # reset every client after N messages
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.clients = {}   # socket -> bytes received, not yet a whole message
        self.messages = []  # bodies, in the order relayed
        self.stop_r, self.stop_w = socket.socketpair()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ)
        sel.register(self.stop_r, selectors.EVENT_READ)
        while True:
            for key, _ in sel.select():
                sock = key.fileobj
                if sock is self.stop_r:
                    for c in list(self.clients):
                        c.close()
                    sel.close()
                    return
                if sock is self.listener:
                    conn, _ = self.listener.accept()
                    sel.register(conn, selectors.EVENT_READ)
                    with self.lock:
                        self.clients[conn] = b""
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(sock)
                    sock.close()
                    with self.lock:
                        del self.clients[sock]
                    continue
                self._received(sel, sock, data)

    def _received(self, sel, sock, data):
        with self.lock:
            buf = self.clients[sock] + data
        while len(buf) >= 4:
            (size,) = struct.unpack(self.order, buf[:4])
            if len(buf) < 4 + size:
                break
            msg, buf = buf[:4 + size], buf[4 + size:]
            with self.lock:
                self.messages.append(msg[4:])
                others = [c for c in self.clients if c is not sock]
            for other in others:
                self._send(other, msg)
            if self.reset_after is not None and len(self.messages) >= self.reset_after:
                for c in others + [sock]:
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    sel.unregister(c)
                    c.close()
                    with self.lock:
                        del self.clients[c]
                return
        with self.lock:
            self.clients[sock] = buf

    def _send(self, conn, data):
        try:
            if self.trickle:
                for i in range(len(data)):
                    conn.sendall(data[i:i + 1])
                    time.sleep(0.0005)
            else:
                conn.sendall(data)
        except OSError:
            pass

    def wait_clients(self, n, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if len(self.clients) >= n:
                    return
            time.sleep(0.01)
        raise AssertionError(f"{n} clients never connected")

    def wait_messages(self, n, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.01)
        raise AssertionError(f"{n} messages never arrived: {self.messages}")

    def close(self):
        self.stop_w.send(b"x")
        self.thread.join()
        for s in (self.listener, self.stop_r, self.stop_w):
            s.close()


def start_client(port, *extra):
    return subprocess.Popen([sys.executable, CLIENT, "127.0.0.1", str(port), *extra],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


class KechoChatTest(unittest.TestCase):
    def room(self, relay, lines, *extra, expect):
        """Two clients: `lines` typed into the second, the first prints them."""
        receiver = start_client(relay.port, *extra)
        sender = start_client(relay.port, *extra)
        try:
            relay.wait_clients(2)
            sender.stdin.write(lines)
            sender.stdin.close()
            self.assertEqual(sender.wait(10), 0, sender.stderr.read())
            relay.wait_messages(expect)
            # Read the receiver's output until it has every message.
            out = b""
            end = time.monotonic() + 10
            fd = receiver.stdout.fileno()
            while out.count(b"\n") < expect and time.monotonic() < end:
                ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
                if ready:
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        break
                    out += chunk
            receiver.stdin.close()
            self.assertEqual(receiver.wait(10), 0, receiver.stderr.read())
            out += receiver.stdout.read()
            sender_out = sender.stdout.read()
            return out.decode(), sender_out.decode()
        finally:
            for p in (receiver, sender):
                if p.poll() is None:
                    p.kill()
                    p.wait()
                for f in (p.stdout, p.stderr):
                    f.close()

    def test_each_line_is_one_message_printed_with_its_size(self):
        relay = FakeRelay()
        self.addCleanup(relay.close)
        out, sender_out = self.room(relay, "hello\n\nhéllo wörld\nno newline".encode(),
                                    expect=4)
        self.assertEqual(out, "[5] hello\n[0] \n[13] héllo wörld\n[10] no newline\n")
        self.assertEqual(sender_out, "")  # the room does not echo to the sender
        self.assertEqual(relay.messages,
                         [b"hello", b"", "héllo wörld".encode(), b"no newline"])

    def test_little_endian_lengths_with_le(self):
        relay = FakeRelay(little_endian=True)
        self.addCleanup(relay.close)
        out, _ = self.room(relay, b"one\ntwo\n", "--le", expect=2)
        self.assertEqual(out, "[3] one\n[3] two\n")

    def test_messages_split_across_reads_and_large_ones(self):
        relay = FakeRelay(trickle=True)
        self.addCleanup(relay.close)
        out, _ = self.room(relay, b"a\nbb\nccc\n", expect=3)
        self.assertEqual(out, "[1] a\n[2] bb\n[3] ccc\n")
        big = FakeRelay()
        self.addCleanup(big.close)
        out, _ = self.room(big, b"x" * 200000 + b"\nend\n", expect=2)
        self.assertEqual(out, "[200000] " + "x" * 200000 + "\n[3] end\n")

    def test_a_reset_is_reported_with_a_nonzero_exit(self):
        relay = FakeRelay(reset_after=1)
        self.addCleanup(relay.close)
        receiver = start_client(relay.port)
        sender = start_client(relay.port)
        relay.wait_clients(2)
        sender.stdin.write(b"bye\n")
        sender.stdin.flush()
        rc = receiver.wait(10)
        err = receiver.stderr.read().decode()
        for p in (receiver, sender):
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdin, p.stdout, p.stderr):
                f.close()
        self.assertEqual(rc, 1)
        self.assertIn("kecho-chat: connection reset by kecho", err)

    def test_nothing_listening(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        p = subprocess.run([sys.executable, CLIENT, "127.0.0.1", str(port)],
                           input=b"", capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"Connection refused", p.stderr)


if __name__ == "__main__":
    unittest.main()
