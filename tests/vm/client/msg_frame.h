// kecho's message mode, seen from the client: a frame is a 4-byte length
// (of the body only, big- or little-endian as kecho's msg_order) followed
// by the body. The client sends seeded frames and checks that every echoed
// frame comes back whole, exact and in order (EchoChecker).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

enum class ByteOrder { big, little };

inline constexpr std::size_t kHeaderSize = 4;

// "be" or "le" (kecho's msg_order values); throws std::invalid_argument.
ByteOrder parse_order(const std::string& text);
const char* order_name(ByteOrder order);

std::array<std::uint8_t, kHeaderSize> encode_length(std::uint32_t length, ByteOrder order);
std::uint32_t decode_length(std::span<const std::uint8_t, kHeaderSize> header, ByteOrder order);

// Header + body.
std::vector<std::uint8_t> frame(std::span<const std::uint8_t> body, ByteOrder order);

// The messages one client sends: message k's size and body follow from
// (seed, k) alone, so a failure names a reproducible message. Sizes are
// spread over [min_size, max_size], with the edges (min, max) and small
// sizes drawn often on purpose.
struct MsgPlan {
    std::uint64_t seed = 1;
    std::size_t min_size = 0;
    std::size_t max_size = 1024;

    [[nodiscard]] std::size_t size_of(std::size_t k) const;
    [[nodiscard]] std::vector<std::uint8_t> body(std::size_t k) const;
    [[nodiscard]] std::vector<std::uint8_t> framed(std::size_t k, ByteOrder order) const;
};

// Checks an echoed byte stream against the frames sent, in order: feed()
// whatever arrived, in pieces of any size. The first difference stops it,
// described with the message's number and where in it ("header byte 2",
// "body byte 17 of 100"), and what the header announced if it was a header.
class EchoChecker {
  public:
    explicit EchoChecker(ByteOrder order) : order_(order) {}

    // A frame that was (or is about to be) sent; `index` names it in errors.
    void expect(std::vector<std::uint8_t> framed, std::size_t index);
    // False (and why() set) at the first byte that differs, or at bytes
    // beyond every frame expected so far.
    bool feed(std::span<const std::uint8_t> got);

    [[nodiscard]] bool failed() const { return !why_.empty(); }
    [[nodiscard]] const std::string& why() const { return why_; }
    // Frames echoed completely so far.
    [[nodiscard]] std::size_t done() const { return done_; }
    // Frames expected and not yet complete.
    [[nodiscard]] std::size_t pending() const { return queue_.size(); }
    // Bytes expected and not yet received.
    [[nodiscard]] std::size_t outstanding() const { return outstanding_; }
    [[nodiscard]] std::uint64_t received() const { return received_; }
    // Where the stream stands, for a report on a stall or an early EOF.
    [[nodiscard]] std::string position() const;

  private:
    struct Expected {
        std::vector<std::uint8_t> bytes;
        std::size_t index;
    };
    ByteOrder order_;
    std::deque<Expected> queue_;
    std::size_t offset_ = 0; // into queue_.front()
    std::size_t done_ = 0;
    std::size_t outstanding_ = 0;
    std::uint64_t received_ = 0;
    std::string why_;
};

} // namespace kecho::testclient
