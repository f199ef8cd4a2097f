// user-echo-server --mode chat: the userspace counterpart of kecho's
// mode=chat, for the benchmark. Same protocol and semantics: every whole
// message (4-byte length of the body, then the body) from one client goes,
// byte for byte, to every other client (and to the sender with
// --chat-echo), whole and in each sender's order; each receiver has an
// outbound queue bounded by --chat-queue, charged 4 + body + 32 bytes per
// queued message; a receiver that would go past it is reset (SO_LINGER 0)
// and counted; a header over --max-msg resets its sender.
//
// Design (the fair comparison with kecho): one epoll thread per CPU, as the
// echo server, each with its own SO_REUSEPORT listener and owning the
// clients it accepted; nothing of a client is touched by another thread, so
// clients need no lock. The room is the set of workers. A thread that reads
// messages relays them to its own clients at once and hands the same batch
// (one shared_ptr, bodies refcounted, never copied per receiver or per
// thread) to every other thread's inbox (a mutex and an eventfd); each
// thread queues a batch for all its clients, then writes each receiver's
// queue with writev (many messages per call). A single-threaded relay
// (--threads 1) avoids the hand-off but leaves the second CPU to the kernel
// alone; one thread per CPU is what the echo comparison uses, so chat does
// the same. Measured (bench/results/chat/rate-10k-1thread): one thread did
// fewer deliveries per CPU-second than two.
//
// Not implemented (not needed by the benchmark): msg_timeout, and changing
// the parameters while running.
#pragma once

#include "server_options.h"
#include "worker_pool.h"

#include <memory>

namespace kecho {

class ChatRoom;

// A room for `workers` threads (each call of the returned function runs one
// of them). The counters (messages in, delivered, slow_dropped, oversize)
// are printed to stderr when the last copy of the function goes.
WorkerFn make_chat_worker(const ServerOptions& opts, unsigned workers);

} // namespace kecho
