// RAII around liburing: the ring itself and a registered provided-buffer ring.
#pragma once

#include "error.h"

#include <cstddef>
#include <cstdint>
#include <liburing.h>
#include <sys/mman.h>
#include <vector>

namespace kecho {

class Ring {
  public:
    explicit Ring(unsigned entries) {
        io_uring_params p{};
        p.flags = IORING_SETUP_SUBMIT_ALL;
        int err = io_uring_queue_init_params(entries, &ring_, &p);
        if (err == -EINVAL) { // older kernel: no SUBMIT_ALL
            p = {};
            err = io_uring_queue_init_params(entries, &ring_, &p);
        }
        if (err < 0)
            throw_errno(-err, "io_uring_queue_init");
    }
    Ring(const Ring&) = delete;
    Ring& operator=(const Ring&) = delete;
    ~Ring() { io_uring_queue_exit(&ring_); }

    io_uring* get() noexcept { return &ring_; }

    // Never null: submits to make room when the SQ is full.
    io_uring_sqe* sqe() {
        for (;;) {
            if (io_uring_sqe* s = io_uring_get_sqe(&ring_))
                return s;
            int r = io_uring_submit(&ring_);
            if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY)
                throw_errno(-r, "io_uring_submit");
        }
    }

  private:
    io_uring ring_{};
};

// `count` buffers of `size` bytes, registered as buffer group `bgid`.
class BufferRing {
  public:
    BufferRing(Ring& ring, uint16_t bgid, unsigned count, unsigned size)
        : ring_(ring), bgid_(bgid), count_(count), size_(size),
          data_(static_cast<std::size_t>(count) * size) {
        map_len_ = count * sizeof(io_uring_buf);
        void* m =
            ::mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
        if (m == MAP_FAILED)
            throw_errno("mmap buffer ring");
        br_ = static_cast<io_uring_buf_ring*>(m);
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<uintptr_t>(br_);
        reg.ring_entries = count;
        reg.bgid = bgid;
        if (int err = io_uring_register_buf_ring(ring.get(), &reg, 0); err < 0) {
            ::munmap(br_, map_len_);
            throw_errno(-err, "io_uring_register_buf_ring");
        }
        io_uring_buf_ring_init(br_);
        for (unsigned i = 0; i < count; ++i)
            give_back(static_cast<uint16_t>(i), false);
        io_uring_buf_ring_advance(br_, static_cast<int>(count));
    }
    BufferRing(const BufferRing&) = delete;
    BufferRing& operator=(const BufferRing&) = delete;
    ~BufferRing() {
        io_uring_unregister_buf_ring(ring_.get(), bgid_);
        ::munmap(br_, map_len_);
    }

    char* buffer(uint16_t bid) noexcept {
        return data_.data() + static_cast<std::size_t>(bid) * size_;
    }
    [[nodiscard]] unsigned size() const noexcept { return size_; }
    [[nodiscard]] uint16_t group() const noexcept { return bgid_; }

    // Hand buffer `bid` back to the kernel.
    void give_back(uint16_t bid, bool publish = true) noexcept {
        io_uring_buf_ring_add(br_, buffer(bid), size_, bid, io_uring_buf_ring_mask(count_),
                              publish ? 0 : bid);
        if (publish)
            io_uring_buf_ring_advance(br_, 1);
    }

  private:
    Ring& ring_;
    uint16_t bgid_;
    unsigned count_;
    unsigned size_;
    std::vector<char> data_;
    std::size_t map_len_ = 0;
    io_uring_buf_ring* br_ = nullptr;
};

} // namespace kecho
