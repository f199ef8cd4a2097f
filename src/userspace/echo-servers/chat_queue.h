// The chat relay's pure pieces, kept apart from the sockets so they can be
// unit-tested: the framing (a 4-byte length of the body, big- or
// little-endian, then the body) and a receiver's bounded outbound queue.
// Same protocol and charge as kecho's mode=chat (docs: notes/chat-spec):
// each queued message costs its length (4 + body) plus 32 bytes of
// bookkeeping, and a receiver whose queue would go past the bound is
// dropped by its owner (unless its queue is empty: a queue always takes
// one message).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <sys/uio.h>
#include <vector>

namespace kecho {

enum class MsgOrder { be, le };

constexpr std::size_t kChatHeader = 4;
constexpr std::size_t kChatOverhead = 32; // bookkeeping charged per queued message

// shared_ptr's array form: the bytes and their control block in one
// allocation. (std::array cannot be sized at run time.)
using MutableBytes = std::shared_ptr<std::byte[]>;      // NOLINT(modernize-avoid-c-arrays)
using SharedBytes = std::shared_ptr<const std::byte[]>; // NOLINT(modernize-avoid-c-arrays)

inline MutableBytes make_bytes(std::size_t n) {
    return std::make_shared_for_overwrite<std::byte[]>(n); // NOLINT(modernize-avoid-c-arrays)
}

// One relayed message, header and body exactly as received. Shared by every
// receiver's queue (one allocation, refcounted), never copied per receiver.
struct ChatMsg {
    SharedBytes data;
    std::size_t size = 0; // header + body
    [[nodiscard]] std::size_t charge() const noexcept { return size + kChatOverhead; }
};

inline uint32_t chat_read_len(const std::byte* p, MsgOrder order) noexcept {
    uint32_t v = 0;
    for (std::size_t i = 0; i < kChatHeader; ++i) {
        const auto b = static_cast<uint32_t>(std::to_integer<uint8_t>(p[i]));
        v |= order == MsgOrder::be ? b << (8 * (kChatHeader - 1 - i)) : b << (8 * i);
    }
    return v;
}

inline void chat_write_len(std::byte* p, uint32_t len, MsgOrder order) noexcept {
    for (std::size_t i = 0; i < kChatHeader; ++i) {
        const auto shift =
            static_cast<unsigned>(order == MsgOrder::be ? 8 * (kChatHeader - 1 - i) : 8 * i);
        p[i] = static_cast<std::byte>((len >> shift) & 0xffU);
    }
}

// Cuts a byte stream into whole messages. A partial message is kept (at most
// max_msg + 4 bytes) until its last byte arrives.
class FrameParser {
  public:
    FrameParser(std::size_t max_msg, MsgOrder order) : max_msg_(max_msg), order_(order) {}

    // Append the whole messages completed by `in` to `out`. False when a
    // header announced more than max_msg (the connection must be reset);
    // nothing after it is parsed.
    bool feed(std::span<const std::byte> in, std::vector<ChatMsg>& out) {
        while (!in.empty()) {
            if (!cur_) {
                // Header bytes, possibly split across reads.
                const std::size_t take = std::min(in.size(), kChatHeader - hdr_got_);
                std::memcpy(hdr_.data() + hdr_got_, in.data(), take);
                hdr_got_ += take;
                in = in.subspan(take);
                if (hdr_got_ < kChatHeader)
                    return true;
                const uint32_t len = chat_read_len(hdr_.data(), order_);
                if (len > max_msg_)
                    return false;
                want_ = kChatHeader + len;
                cur_ = make_bytes(want_);
                std::memcpy(cur_.get(), hdr_.data(), kChatHeader);
                got_ = kChatHeader;
                hdr_got_ = 0;
            }
            const std::size_t take = std::min(in.size(), want_ - got_);
            std::memcpy(cur_.get() + got_, in.data(), take);
            got_ += take;
            in = in.subspan(take);
            if (got_ == want_) {
                out.push_back(ChatMsg{std::move(cur_), want_});
                cur_.reset();
            }
        }
        return true;
    }

    // Bytes of an incomplete message held now.
    [[nodiscard]] std::size_t partial() const noexcept { return cur_ ? got_ : hdr_got_; }

  private:
    std::size_t max_msg_;
    MsgOrder order_;
    std::array<std::byte, kChatHeader> hdr_{};
    std::size_t hdr_got_ = 0;
    MutableBytes cur_;
    std::size_t want_ = 0;
    std::size_t got_ = 0;
};

// One receiver's outbound queue: whole messages in arrival order, the head
// one possibly part-sent. Bounded by `limit` bytes of charge.
class ChatQueue {
  public:
    explicit ChatQueue(std::size_t limit) : limit_(limit) {}

    // Queue `m` unless the queue holds something and `m`'s charge would
    // take it past the limit (false: the receiver is too slow and must be
    // dropped). An empty queue always takes one message, as kecho's does, so
    // one larger than the limit still reaches a reader that keeps up.
    bool push(const ChatMsg& m) {
        if (!q_.empty() && charged_ + m.charge() > limit_)
            return false;
        charged_ += m.charge();
        q_.push_back(m);
        return true;
    }

    // Up to `iov.size()` pieces to send, oldest first; returns how many.
    std::size_t fill(std::span<iovec> iov) const noexcept {
        std::size_t n = 0;
        for (auto it = q_.begin(); it != q_.end() && n < iov.size(); ++it, ++n) {
            const std::size_t skip = it == q_.begin() ? head_off_ : 0;
            // iovec's base is non-const by definition; writev only reads it.
            iov[n].iov_base = const_cast<std::byte*>(it->data.get() + skip);
            iov[n].iov_len = it->size - skip;
        }
        return n;
    }

    // `n` more bytes went out; returns how many messages are now fully sent
    // (their charge is released).
    std::size_t sent(std::size_t n) noexcept {
        std::size_t done = 0;
        while (n > 0 && !q_.empty()) {
            const std::size_t rest = q_.front().size - head_off_;
            if (n < rest) {
                head_off_ += n;
                break;
            }
            n -= rest;
            charged_ -= q_.front().charge();
            q_.pop_front();
            head_off_ = 0;
            ++done;
        }
        return done;
    }

    void clear() noexcept {
        std::deque<ChatMsg>().swap(q_);
        charged_ = 0;
        head_off_ = 0;
    }

    [[nodiscard]] bool empty() const noexcept { return q_.empty(); }
    [[nodiscard]] std::size_t charged() const noexcept { return charged_; }
    [[nodiscard]] std::size_t messages() const noexcept { return q_.size(); }
    void set_limit(std::size_t limit) noexcept { limit_ = limit; }

  private:
    std::size_t limit_;
    std::deque<ChatMsg> q_;
    std::size_t head_off_ = 0; // bytes of the head message already sent
    std::size_t charged_ = 0;
};

} // namespace kecho
