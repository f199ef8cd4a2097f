// SPDX-License-Identifier: GPL-2.0
/*
 * drop-tcp-socket: drop chosen TCP connections, TIME_WAIT included.
 *
 * Every network namespace gets /proc/net/drop_tcp_sock, mode 0200 (not
 * readable). Each line written to it names one connection of that
 * namespace, local end first, as `netstat -n` and `ss -n` print them:
 *
 *	LOCAL_ADDR:LOCAL_PORT REMOTE_ADDR:REMOTE_PORT [STATE] [cookie=N]
 *
 * IPv4 is a.b.c.d:PORT. IPv6 is [ADDR]:PORT, or ADDR:PORT split at the
 * last colon (netstat's style). IPv4-mapped addresses (::ffff:a.b.c.d)
 * are IPv4: such connections live in the IPv4 hash, whichever family
 * their socket has. PORT is decimal 1..65535. Fields are separated by
 * spaces or tabs; leading and trailing whitespace (CR included) is
 * ignored; blank lines are ignored. Scope ids (%eth0) are not accepted.
 * STATE, optional, is the state the writer saw, as netstat or ss print
 * it (TIME_WAIT, ESTAB, FIN-WAIT-1, ...); cookie=N, optional, the
 * inet_diag socket cookie. A socket found in another state or with
 * another cookie is left alone (ENOENT). dts_parse.c has the grammar.
 *
 * The connection is found by exact lookup in the established hash
 * only: full sockets in any state but LISTEN/CLOSE, TIME_WAIT sockets
 * and half-open request sockets. A listener is never found, so never
 * dropped. It is dropped as `ss -K` does it, with tcp_abort(): a full
 * socket is aborted (RST to the peer where the state calls for one,
 * ECONNABORTED to local users), a TIME_WAIT socket is descheduled, a
 * request socket is removed from its listener's queue. Sockets bound to a device (SO_BINDTODEVICE,
 * link-local scope) are not found.
 *
 * Rules for write(), applied in this order:
 *  - EPERM unless the file's opener has CAP_NET_ADMIN in the user
 *    namespace owning the file's network namespace. Nothing is consumed.
 *    (A signal while waiting for another write on the same open file
 *    restarts the call or fails it with EINTR; nothing is consumed.)
 *  - Otherwise all bytes are consumed, lines are joined across write()
 *    calls on the same open file and every line completed by this write
 *    is acted on in order, even after an error. The write returns the
 *    byte count when every line succeeded, else the FIRST error:
 *      EINVAL  malformed line, or a line longer than 128 bytes (reported
 *              as soon as it grows past 128 bytes; the rest of the line
 *              up to the next newline is skipped). dmesg names the line
 *              number within this open file, rate-limited, escaped.
 *      ENOENT  the tuple matched no connection, or one in another state
 *              or with another cookie (or it was closing).
 *      EFAULT  bad user buffer (lines before it were processed).
 *      EINTR   fatal signal during a huge write; what was copied so
 *              far (in 256-byte chunks) was processed.
 *    As every byte was consumed, a writer must not retry after an error.
 *  - An unterminated last line is acted on when the file is released
 *    (last close). proc files have no ->flush, so close() returns 0:
 *    that line's error only reaches dmesg. The file's removal (unload,
 *    namespace exit) releases files still open without acting on it.
 * Memory use per open file is fixed (one 128-byte line buffer) whatever
 * is written; user data is copied in 256-byte chunks.
 *
 * Module load creates the file in every namespace; unload removes it,
 * waiting for writers inside write() and releasing files still open
 * (later writes to them fail with EIO).
 */

#include <linux/module.h>
#include <net/net_namespace.h>

#include "dts.h"

static int __init dts_init(void)
{
	return register_pernet_subsys(&dts_net_ops);
}

static void __exit dts_exit(void)
{
	unregister_pernet_subsys(&dts_net_ops);
}

module_init(dts_init);
module_exit(dts_exit);

MODULE_DESCRIPTION("Drop chosen TCP connections, TIME_WAIT included");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
