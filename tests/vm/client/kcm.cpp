#include "kcm.h"

#include "error.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <linux/bpf.h>
#include <linux/kcm.h>
#include <poll.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <system_error>
#include <unistd.h>

namespace kecho::testclient {

namespace {

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = 0;
    i.imm = imm;
    return i;
}

} // namespace

UniqueFd load_length_parser(ByteOrder order) {
    std::vector<bpf_insn> prog = {
        // LD_ABS needs the context in r6.
        insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0),
        // r0 = ntohl(*(u32 *)(skb->data + 0)); out of bounds: return 0 (more data).
        insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0),
    };
    if (order == ByteOrder::little) // host (x86: little) to big swaps the bytes back
        prog.push_back(insn(BPF_ALU | BPF_END | BPF_TO_BE, BPF_REG_0, 0, 32));
    prog.push_back(insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 4));
    prog.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0));

    static constexpr std::array<char, 4> license{"GPL"};
    std::array<char, 4096> log{};
    bpf_attr attr{};
    attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    attr.insn_cnt = static_cast<std::uint32_t>(prog.size());
    attr.insns = reinterpret_cast<std::uintptr_t>(prog.data());
    attr.license = reinterpret_cast<std::uintptr_t>(license.data());
    attr.log_level = 1;
    attr.log_size = log.size();
    attr.log_buf = reinterpret_cast<std::uintptr_t>(log.data());
    const long fd = ::syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
    if (fd < 0) {
        const int err = errno;
        throw std::system_error(err, std::generic_category(),
                                std::string("bpf(BPF_PROG_LOAD) of the length parser (verifier: ") +
                                    log.data() + ")");
    }
    return UniqueFd(static_cast<int>(fd));
}

UniqueFd kcm_socket() {
    UniqueFd fd(::socket(AF_KCM, SOCK_DGRAM | SOCK_CLOEXEC, KCMPROTO_CONNECTED));
    if (!fd)
        throw_errno("socket(AF_KCM, SOCK_DGRAM, KCMPROTO_CONNECTED)");
    return fd;
}

void kcm_attach(int kcm_fd, int tcp_fd, int bpf_fd) {
    struct kcm_attach info {};
    info.fd = tcp_fd;
    info.bpf_fd = bpf_fd;
    if (::ioctl(kcm_fd, SIOCKCMATTACH, &info) != 0)
        throw_errno("ioctl(SIOCKCMATTACH)");
}

void kcm_unattach(int kcm_fd, int tcp_fd) {
    struct kcm_unattach info {};
    info.fd = tcp_fd;
    if (::ioctl(kcm_fd, SIOCKCMUNATTACH, &info) != 0)
        throw_errno("ioctl(SIOCKCMUNATTACH)");
}

Mux open_mux(const Endpoint& ep, std::size_t conns, int bpf_fd, std::chrono::seconds timeout) {
    Mux m;
    m.kcm = kcm_socket();
    for (std::size_t i = 0; i < conns; ++i) {
        m.tcp.push_back(connect_blocking(ep, timeout));
        kcm_attach(m.kcm.get(), m.tcp.back().get(), bpf_fd);
    }
    return m;
}

void kcm_send(int kcm_fd, std::span<const std::uint8_t> datagram) {
    for (;;) {
        const ssize_t n = ::send(kcm_fd, datagram.data(), datagram.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("send on the KCM socket (" + std::to_string(datagram.size()) + " bytes)");
        if (static_cast<std::size_t>(n) != datagram.size())
            throw std::runtime_error("send on the KCM socket took " + std::to_string(n) + " of " +
                                     std::to_string(datagram.size()) + " bytes");
        return;
    }
}

std::size_t kcm_recv(int kcm_fd, std::vector<std::uint8_t>& buf, std::chrono::milliseconds timeout,
                     std::string* why) {
    why->clear();
    pollfd p{kcm_fd, POLLIN, 0};
    int r = 0;
    do {
        r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        *why = "no datagram within " + std::to_string(timeout.count()) + " ms";
        return 0;
    }
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    const ssize_t n = ::recvmsg(kcm_fd, &msg, MSG_DONTWAIT);
    if (n < 0) {
        *why = std::string("recvmsg on the KCM socket: ") + std::strerror(errno);
        return 0;
    }
    if ((msg.msg_flags & MSG_TRUNC) != 0)
        *why = "a datagram longer than " + std::to_string(buf.size()) + " bytes (MSG_TRUNC)";
    return static_cast<std::size_t>(n);
}

int take_socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return errno;
    return err;
}

} // namespace kecho::testclient
