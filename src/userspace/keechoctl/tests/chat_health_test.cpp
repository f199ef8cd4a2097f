// keechoctl health in chat mode: the receiving side's message splitter
// (ProbeMatcher), the resend schedule, and chat_relay_trip() on real
// loopback sockets against a fake relay that is prompt, late, noisy, echoes
// or forwards nothing.
#include "fake_relay.h"
#include "health.h"

#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>

using namespace kecho::ctl;
using kecho::ctl::test::FakeRelay;
using kecho::ctl::test::FakeRelayOptions;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes framed(const std::string& body, bool le = false) {
    const EchoFraming f{true, le, true};
    return frame_request(f, Bytes(body.begin(), body.end()));
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

const InetAddr kLoopback{AF_INET, {127, 0, 0, 1}};

// A port nothing listens on: bound, never listening, closed after.
std::uint16_t unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&sin), sizeof(sin)) == 0);
    socklen_t len = sizeof(sin);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len);
    ::close(fd);
    return ntohs(sin.sin_port);
}

} // namespace

TEST_CASE("ProbeMatcher: the probe alone, whole or byte by byte", "[health][chat]") {
    const Bytes probe = framed("keechoctl-health abc");
    ProbeMatcher whole(probe, false);
    CHECK(whole.feed(probe));
    CHECK(whole.others() == 0);

    ProbeMatcher bytes(probe, false);
    for (size_t i = 0; i + 1 < probe.size(); ++i)
        CHECK_FALSE(bytes.feed(std::span(&probe[i], 1)));
    CHECK(bytes.feed(std::span(&probe.back(), 1)));
    CHECK(bytes.found());
}

TEST_CASE("ProbeMatcher: other members' messages before it are skipped", "[health][chat]") {
    const Bytes probe = framed("keechoctl-health abc");
    const Bytes big_framed = framed(std::string(70000, 'y'));
    const Bytes stream = concat({framed("hello"), framed(""), big_framed,
                                 framed("keechoctl-health abd"), // same length, other body
                                 framed("keechoctl-health abc!"), probe, framed("after")});
    // In every split into two pieces, and in 7-byte pieces.
    for (size_t cut = 0; cut <= stream.size(); cut += 997) {
        ProbeMatcher m(probe, false);
        m.feed(std::span(stream).first(cut));
        CHECK(m.feed(std::span(stream).subspan(cut)));
        CHECK(m.others() == 5);
    }
    ProbeMatcher m(probe, false);
    for (size_t i = 0; i < stream.size() && !m.found(); i += 7)
        m.feed(std::span(stream).subspan(i, std::min<size_t>(7, stream.size() - i)));
    CHECK(m.found());
    CHECK(m.others() == 5);
}

TEST_CASE("ProbeMatcher: only the exact probe counts", "[health][chat]") {
    const Bytes probe = framed("keechoctl-health abc");
    ProbeMatcher m(probe, false);
    CHECK_FALSE(m.feed(concat({framed("keechoctl-health abd"), framed("keechoctl-health ab")})));
    CHECK(m.others() == 2);
    // The probe's bytes inside another message's body are not the probe.
    CHECK_FALSE(m.feed(framed(std::string(probe.begin(), probe.end()))));
    CHECK(m.others() == 3);
    CHECK(m.feed(probe));
}

TEST_CASE("ProbeMatcher: little-endian lengths, and an empty probe", "[health][chat]") {
    const Bytes probe = framed("keechoctl-health le", true);
    ProbeMatcher le(probe, true);
    // 300 bytes little-endian is 2c 01 00 00; read big-endian that would be
    // a 739 MB body and the probe after it never found.
    CHECK(le.feed(concat({framed(std::string(300, 'z'), true), probe})));
    CHECK(le.others() == 1);
    ProbeMatcher be_reader(probe, false);
    CHECK_FALSE(be_reader.feed(concat({framed(std::string(300, 'z'), true), probe})));

    const Bytes empty = framed("");
    ProbeMatcher e(empty, false);
    CHECK_FALSE(e.feed(framed("x")));
    CHECK(e.feed(empty));
}

TEST_CASE("chat probe resend: 25 ms, doubling, at most 500 ms", "[health][chat]") {
    using std::chrono::milliseconds;
    CHECK(chat_resend_delay(1) == milliseconds(25));
    CHECK(chat_resend_delay(2) == milliseconds(50));
    CHECK(chat_resend_delay(3) == milliseconds(100));
    CHECK(chat_resend_delay(5) == milliseconds(400));
    CHECK(chat_resend_delay(6) == milliseconds(500));
    CHECK(chat_resend_delay(1000) == milliseconds(500));
}

TEST_CASE("chat relay trip: a prompt room relays the probe to the second connection",
          "[health][chat]") {
    FakeRelay relay({});
    const Bytes probe = framed("keechoctl-health prompt");
    const auto r =
        chat_relay_trip(kLoopback, relay.port(), probe, false, std::chrono::milliseconds(2000));
    INFO(r.error);
    CHECK(r.ok);
    CHECK(r.reply == probe);
    CHECK(r.sends >= 1);
    CHECK(relay.received() == r.sends);
}

TEST_CASE("chat relay trip: a receiver that joins late gets a later probe", "[health][chat]") {
    // Each client joins 300 ms after it was accepted: the first probes reach
    // nobody, as when kecho accepts the receiver after the first probe.
    FakeRelayOptions opts;
    opts.join_delay = std::chrono::milliseconds(300);
    FakeRelay relay(opts);
    const Bytes probe = framed("keechoctl-health late");
    const auto start = std::chrono::steady_clock::now();
    const auto r =
        chat_relay_trip(kLoopback, relay.port(), probe, false, std::chrono::milliseconds(3000));
    INFO(r.error);
    CHECK(r.ok);
    CHECK(r.sends >= 2);
    CHECK(r.sends <= 6); // 0, 25, 75, 175, 375 ms: the 5th is after the join
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500));
}

TEST_CASE("chat relay trip: with chat_echo=1 the sender's copy is drained", "[health][chat]") {
    FakeRelayOptions opts;
    opts.echo = true;
    opts.chatter = true; // the sender gets 100 kB messages too
    FakeRelay relay(opts);
    const Bytes probe = framed("keechoctl-health echo");
    const auto r =
        chat_relay_trip(kLoopback, relay.port(), probe, false, std::chrono::milliseconds(2000));
    INFO(r.error);
    CHECK(r.ok);
    // To the receiver and back to the sender (the relay counts after writing).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (relay.delivered() < 2 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(relay.delivered() >= 2);
}

TEST_CASE("chat relay trip: other members' messages around the probe", "[health][chat]") {
    FakeRelayOptions opts;
    opts.chatter = true;
    opts.little_endian = true;
    FakeRelay relay(opts);
    const Bytes probe = framed("keechoctl-health noisy le", true);
    const auto r =
        chat_relay_trip(kLoopback, relay.port(), probe, true, std::chrono::milliseconds(2000));
    INFO(r.error);
    CHECK(r.ok);
}

TEST_CASE("chat relay trip: a room that forwards nothing fails at the timeout", "[health][chat]") {
    FakeRelayOptions opts;
    opts.relay = false;
    FakeRelay relay(opts);
    const auto start = std::chrono::steady_clock::now();
    const auto r = chat_relay_trip(kLoopback, relay.port(), framed("keechoctl-health x"), false,
                                   std::chrono::milliseconds(400));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::StartsWith("the receiving connection got no probe within 400 ms "
                                          "(probe sent "));
    CHECK(took >= std::chrono::milliseconds(400));
    CHECK(took < std::chrono::milliseconds(1000));
    CHECK(r.sends >= 4); // 0, 25, 75, 175, 375 ms
    CHECK(relay.received() == r.sends);
}

TEST_CASE("chat relay trip: nothing listening is a failed connect", "[health][chat]") {
    const std::uint16_t port = unused_port();
    const auto r = chat_relay_trip(kLoopback, port, framed("keechoctl-health x"), false,
                                   std::chrono::milliseconds(1000));
    CHECK_FALSE(r.ok);
    CHECK(r.error ==
          "receiver: connect 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}
