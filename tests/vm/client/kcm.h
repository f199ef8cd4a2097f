// The Kernel Connection Multiplexor (AF_KCM) from the client's side: a
// multiplexor with one KCM datagram socket, TCP connections to kecho
// (message mode) attached to it with a BPF length parser, and the ioctls
// that attach and unattach them (Documentation/networking/kcm.rst).
#pragma once

#include "msg_frame.h"
#include "net.h"
#include "unique_fd.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

// A BPF_PROG_TYPE_SOCKET_FILTER program, loaded with bpf(), returning the
// frame's whole length: 4 + the u32 at offset 0 of the skb it is given
// (LD_ABS reads big-endian; for le the value is byte-swapped first).
UniqueFd load_length_parser(ByteOrder order);

// socket(AF_KCM, SOCK_DGRAM, KCMPROTO_CONNECTED): a new multiplexor.
UniqueFd kcm_socket();
void kcm_attach(int kcm_fd, int tcp_fd, int bpf_fd);
void kcm_unattach(int kcm_fd, int tcp_fd);

// One multiplexor: a KCM socket and the TCP connections attached to it.
struct Mux {
    UniqueFd kcm;
    std::vector<UniqueFd> tcp;
};

// A multiplexor with `conns` fresh connections to `ep`, each attached.
Mux open_mux(const Endpoint& ep, std::size_t conns, int bpf_fd, std::chrono::seconds timeout);

// Send one framed message as one datagram (throws unless all of it went).
void kcm_send(int kcm_fd, std::span<const std::uint8_t> datagram);

// Receive one datagram within `timeout` into `buf` (sized for the largest
// expected message + 1). Returns its length; "" in *why when fine, else
// what happened (timed out, truncated, an error).
std::size_t kcm_recv(int kcm_fd, std::vector<std::uint8_t>& buf, std::chrono::milliseconds timeout,
                     std::string* why);

// The pending error of a socket (SO_ERROR, which clears it), 0 if none.
int take_socket_error(int fd);

} // namespace kecho::testclient
