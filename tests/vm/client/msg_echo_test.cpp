// The message-mode subcommands against an in-process server: an honest
// message echo (whole messages, oversize headers reset) must pass, and
// servers that get framing wrong must make them fail: a body one byte
// short, two messages swapped, zero-length messages dropped, or a plain
// stream echo where message mode is expected.
#include "commands.h"
#include "loopback_server.h"
#include "msg_frame.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using kecho::UniqueFd;
using namespace kecho::testclient;

namespace {

enum class Server { honest, short_body, swap, drop_empty, stream };

constexpr std::uint32_t kMaxMsg = 65536;

class MsgEcho {
  public:
    MsgEcho(Server kind, ByteOrder order)
        : kind_(kind), order_(order), server_([this](UniqueFd fd, const std::stop_token& stop) {
              serve(std::move(fd), stop);
          }) {}

    [[nodiscard]] std::string port() const { return server_.port(); }

  private:
    static bool send_all(int fd, const std::vector<std::uint8_t>& b) {
        std::size_t off = 0;
        while (off < b.size()) {
            const ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    void serve(UniqueFd fd, const std::stop_token& stop) const {
        std::vector<std::uint8_t> in;
        std::vector<std::uint8_t> held; // Server::swap: a message waiting for its successor
        std::array<std::uint8_t, 65536> buf{};
        for (;;) {
            const ssize_t n = recv_or_stop(fd.get(), buf, stop);
            if (n <= 0)
                break;
            if (kind_ == Server::stream) {
                if (!send_all(fd.get(), {buf.begin(), buf.begin() + n}))
                    break;
                continue;
            }
            in.insert(in.end(), buf.begin(), buf.begin() + n);
            std::vector<std::uint8_t> out;
            while (in.size() >= kHeaderSize) {
                const std::uint32_t len = decode_length(std::span(in).first<kHeaderSize>(), order_);
                if (len > kMaxMsg) {
                    const linger lg{1, 0};
                    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
                    return; // closed with an RST
                }
                if (in.size() < kHeaderSize + len)
                    break;
                std::vector<std::uint8_t> frame(in.begin(), in.begin() + kHeaderSize + len);
                in.erase(in.begin(), in.begin() + kHeaderSize + len);
                if (kind_ == Server::short_body && len > 0)
                    frame.pop_back();
                if (kind_ == Server::drop_empty && len == 0)
                    continue;
                if (kind_ == Server::swap) {
                    if (held.empty()) {
                        held = std::move(frame);
                        continue;
                    }
                    out.insert(out.end(), frame.begin(), frame.end());
                    frame = std::move(held);
                    held.clear();
                }
                out.insert(out.end(), frame.begin(), frame.end());
            }
            if (!send_all(fd.get(), out))
                break;
        }
        ::shutdown(fd.get(), SHUT_WR);
    }

    Server kind_;
    ByteOrder order_;
    LoopbackServer server_; // last: its threads use kind_ and order_
};

using Result = CommandResult;

Result run(int (*cmd)(const Argv&), const std::string& name, const Argv& argv) {
    return run_captured(cmd, name, argv);
}

Result msg(const MsgEcho& s, Argv extra) {
    Argv a{"--port", s.port(),     "--timeout", "3",      "--count",
           "200",    "--max-size", "3000",      "--seed", "7"};
    a.insert(a.end(), extra.begin(), extra.end());
    return run(cmd_msg, "msg", a);
}

} // namespace

TEST_CASE("msg passes against an honest message echo") {
    const MsgEcho be(Server::honest, ByteOrder::big);
    CHECK(msg(be, {}).rc == 0);
    CHECK(msg(be, {"--batch", "17"}).rc == 0);
    CHECK(msg(be, {"--count", "20", "--split", "6", "--pause-us", "200"}).rc == 0);
    CHECK(msg(be, {"--count", "3", "--min-size", "65536", "--max-size", "65536"}).rc == 0);
    const MsgEcho le(Server::honest, ByteOrder::little);
    CHECK(msg(le, {"--order", "le", "--batch", "5"}).rc == 0);
}

TEST_CASE("msg fails when the server gets the framing wrong") {
    {
        const MsgEcho s(Server::short_body, ByteOrder::big);
        const Result r = msg(s, {});
        CHECK(r.rc == 1);
        CHECK(r.out.find("msg: FAIL") != std::string::npos);
    }
    {
        const MsgEcho s(Server::swap, ByteOrder::big);
        CHECK(msg(s, {"--batch", "4"}).rc == 1);
    }
    {
        const MsgEcho s(Server::drop_empty, ByteOrder::big);
        CHECK(msg(s, {"--batch", "8"}).rc == 1);
    }
    {
        // Little-endian headers to a big-endian server: most are oversize.
        const MsgEcho s(Server::honest, ByteOrder::big);
        CHECK(msg(s, {"--order", "le", "--min-size", "1"}).rc == 1);
    }
}

TEST_CASE("msgconc checks every connection") {
    const Argv a{"--timeout",  "3",    "--conns", "20", "--count", "15",
                 "--max-size", "5000", "--batch", "3",  "--seed",  "11"};
    const MsgEcho good(Server::honest, ByteOrder::big);
    Argv g{"--port", good.port()};
    g.insert(g.end(), a.begin(), a.end());
    CHECK(run(cmd_msgconc, "msgconc", g).rc == 0);
    const MsgEcho bad(Server::short_body, ByteOrder::big);
    Argv b{"--port", bad.port()};
    b.insert(b.end(), a.begin(), a.end());
    const Result r = run(cmd_msgconc, "msgconc", b);
    CHECK(r.rc == 1);
    CHECK(r.out.find("msgconc: FAIL: 0/20") != std::string::npos);
}

TEST_CASE("msgpart: an oversize header is reset by a message server, not by a stream echo") {
    const MsgEcho msgs(Server::honest, ByteOrder::big);
    const Result r = run(cmd_msgpart, "msgpart",
                         {"--port", msgs.port(), "--len", "65537", "--send", "0", "--hold", "3"});
    CHECK(r.rc == 1);
    CHECK(r.out.find("Connection reset by peer") != std::string::npos);
    const Result ok =
        run(cmd_msgpart, "msgpart", {"--port", msgs.port(), "--len", "65536", "--hold", "3"});
    CHECK(ok.rc == 0);
    CHECK(ok.out.find("echoed exactly") != std::string::npos);

    const MsgEcho stream(Server::stream, ByteOrder::big);
    const Result s = run(cmd_msgpart, "msgpart",
                         {"--port", stream.port(), "--len", "65537", "--send", "0", "--hold", "1"});
    CHECK(s.rc == 1);
    CHECK(s.out.find("Connection reset by peer") == std::string::npos);
    CHECK(s.out.find("still open") != std::string::npos);
}

TEST_CASE("msgmode tells the two modes apart") {
    const MsgEcho msgs(Server::honest, ByteOrder::big);
    CHECK(run(cmd_msgmode, "msgmode", {"--port", msgs.port(), "--expect", "message"}).rc == 0);
    CHECK(run(cmd_msgmode, "msgmode", {"--port", msgs.port(), "--expect", "stream"}).rc == 1);
    const MsgEcho stream(Server::stream, ByteOrder::big);
    CHECK(run(cmd_msgmode, "msgmode", {"--port", stream.port(), "--expect", "stream"}).rc == 0);
    CHECK(run(cmd_msgmode, "msgmode",
              {"--port", stream.port(), "--expect", "message", "--timeout", "2"})
              .rc == 1);
}
