// The bytes of one connection that the socket did not take yet. Empty (and
// holding no memory) in the common case; while it is not empty the
// connection stops reading until it has drained (backpressure), so it never
// holds more than one read's worth.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace kecho {

class PendingBuffer {
  public:
    // Keep `rest`, the unsent tail of what was read. Only called while empty.
    void store(std::span<const char> rest) {
        data_.assign(rest.begin(), rest.end());
        begin_ = 0;
    }

    // Bytes waiting to be sent, oldest first.
    [[nodiscard]] std::span<const char> pending() const noexcept {
        return {data_.data() + begin_, data_.size() - begin_};
    }

    // `n` more bytes went out; the memory is released once all have.
    void sent(std::size_t n) noexcept {
        begin_ += n;
        if (begin_ >= data_.size()) {
            std::vector<char>().swap(data_);
            begin_ = 0;
        }
    }

    [[nodiscard]] bool empty() const noexcept { return begin_ >= data_.size(); }
    [[nodiscard]] std::size_t capacity() const noexcept { return data_.capacity(); }

  private:
    std::vector<char> data_;
    std::size_t begin_ = 0;
};

} // namespace kecho
