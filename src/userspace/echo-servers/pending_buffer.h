// One connection's echo buffer. Bytes are read into free space, then sent
// from the front; whatever the socket did not take stays pending and the
// connection stops reading until it has drained (backpressure).
#pragma once

#include <array>
#include <cstddef>
#include <span>

namespace kecho {

template <std::size_t N> class PendingBuffer {
  public:
    // Where the next read may go: empty while bytes are pending.
    std::span<char> space() noexcept {
        if (!empty())
            return {};
        begin_ = end_ = 0;
        return {data_.data(), N};
    }
    void filled(std::size_t n) noexcept { end_ += n; }

    // Bytes waiting to be sent, oldest first.
    std::span<const char> pending() const noexcept {
        return {data_.data() + begin_, end_ - begin_};
    }
    void sent(std::size_t n) noexcept {
        begin_ += n;
        if (begin_ == end_)
            begin_ = end_ = 0;
    }
    bool empty() const noexcept { return begin_ == end_; }

  private:
    std::array<char, N> data_{};
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

} // namespace kecho
