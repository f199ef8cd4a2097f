#include "msg_frame.h"

#include "payload.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace kecho::testclient {

namespace {
std::string got_want(std::uint8_t got, std::uint8_t want) {
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "got 0x%02x, want 0x%02x", got, want);
    return buf.data();
}
} // namespace

ByteOrder parse_order(const std::string& text) {
    if (text == "be")
        return ByteOrder::big;
    if (text == "le")
        return ByteOrder::little;
    throw std::invalid_argument("byte order must be be or le, not '" + text + "'");
}

const char* order_name(ByteOrder order) {
    return order == ByteOrder::big ? "be" : "le";
}

std::array<std::uint8_t, kHeaderSize> encode_length(std::uint32_t length, ByteOrder order) {
    std::array<std::uint8_t, kHeaderSize> h{};
    for (std::size_t i = 0; i < kHeaderSize; ++i) {
        const std::size_t shift = order == ByteOrder::big ? 8 * (kHeaderSize - 1 - i) : 8 * i;
        h[i] = static_cast<std::uint8_t>(length >> shift);
    }
    return h;
}

std::uint32_t decode_length(std::span<const std::uint8_t, kHeaderSize> header, ByteOrder order) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < kHeaderSize; ++i) {
        const std::size_t shift = order == ByteOrder::big ? 8 * (kHeaderSize - 1 - i) : 8 * i;
        v |= static_cast<std::uint32_t>(header[i]) << shift;
    }
    return v;
}

std::vector<std::uint8_t> frame(std::span<const std::uint8_t> body, ByteOrder order) {
    if (body.size() > UINT32_MAX)
        throw std::invalid_argument("a message body must fit a 32-bit length");
    std::vector<std::uint8_t> out;
    out.reserve(kHeaderSize + body.size());
    const auto h = encode_length(static_cast<std::uint32_t>(body.size()), order);
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::size_t MsgPlan::size_of(std::size_t k) const {
    if (max_size <= min_size)
        return min_size;
    std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + k);
    const std::uint64_t pick = rng() % 16;
    const std::uint64_t span = max_size - min_size;
    if (pick == 0)
        return min_size;
    if (pick == 1)
        return max_size;
    if (pick < 5) // small: headers and bodies sharing segments
        return min_size + static_cast<std::size_t>(rng() % std::min<std::uint64_t>(span + 1, 65));
    return min_size + static_cast<std::size_t>(rng() % (span + 1));
}

std::vector<std::uint8_t> MsgPlan::body(std::size_t k) const {
    return random_payload(size_of(k), seed ^ (0x5bd1e995ULL * (k + 1)));
}

std::vector<std::uint8_t> MsgPlan::framed(std::size_t k, ByteOrder order) const {
    return frame(body(k), order);
}

void EchoChecker::expect(std::vector<std::uint8_t> framed, std::size_t index) {
    outstanding_ += framed.size();
    queue_.push_back({std::move(framed), index});
}

bool EchoChecker::feed(std::span<const std::uint8_t> got) {
    if (failed())
        return false;
    while (!got.empty()) {
        if (queue_.empty()) {
            why_ = std::to_string(got.size()) + " byte(s) more than sent came back after " +
                   std::to_string(done_) + " complete message(s)";
            return false;
        }
        const Expected& e = queue_.front();
        const std::size_t n = std::min(got.size(), e.bytes.size() - offset_);
        const auto want = std::span<const std::uint8_t>(e.bytes).subspan(offset_, n);
        if (auto off = first_mismatch(got.first(n), want)) {
            const std::size_t at = offset_ + *off;
            const std::size_t body_len = e.bytes.size() - kHeaderSize;
            std::string where;
            if (at < kHeaderSize) {
                where = "header byte " + std::to_string(at);
                // The announced length, when the whole header is at hand.
                if (at >= offset_ && offset_ == 0 && got.size() >= kHeaderSize) {
                    const std::uint32_t len = decode_length(got.first<kHeaderSize>(), order_);
                    where += " (announces " + std::to_string(len) + " bytes)";
                }
            } else {
                where = "body byte " + std::to_string(at - kHeaderSize);
            }
            why_ = "message " + std::to_string(e.index) + " (" + std::to_string(body_len) +
                   "-byte body, " + std::to_string(done_) + " before it echoed whole): " + where +
                   ": " + got_want(got[*off], want[*off]);
            return false;
        }
        offset_ += n;
        outstanding_ -= n;
        received_ += n;
        got = got.subspan(n);
        if (offset_ == e.bytes.size()) {
            queue_.pop_front();
            offset_ = 0;
            ++done_;
        }
    }
    return true;
}

std::string EchoChecker::position() const {
    std::string s = std::to_string(done_) + " message(s) echoed whole";
    if (!queue_.empty()) {
        const Expected& e = queue_.front();
        s += ", message " + std::to_string(e.index) + " (" +
             std::to_string(e.bytes.size() - kHeaderSize) + "-byte body) " +
             std::to_string(offset_) + " of " + std::to_string(e.bytes.size()) + " bytes back, " +
             std::to_string(queue_.size()) + " still expected";
    }
    return s;
}

} // namespace kecho::testclient
