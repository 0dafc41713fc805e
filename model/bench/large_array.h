#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace cliff::bench {

/// Returns memory from allocateLarge to the system.
struct FreeLargeBuffer {
    std::size_t mappedBytes = 0; ///< the mapping's length; 0 for a heap block
    void operator()(std::byte *memory) const;
};
using LargeBuffer = std::unique_ptr<std::byte, FreeLargeBuffer>;

/// `bytes` of zeroed memory, null for 0 bytes. From one huge page (2 MiB) up it is anonymous
/// memory from the kernel: already zero, committed page by page as it is first written, so
/// allocating costs nothing and a cancel never waits on a fill; it starts on a huge page and
/// asks for transparent huge pages, so streaming gigabytes of weights walks 512 times fewer
/// page-table entries and freeing them is quick. Smaller buffers start on a cache line. Throws
/// std::bad_alloc when the system refuses.
[[nodiscard]] LargeBuffer allocateLarge(std::size_t bytes);

/// Many buffers carved one after another from a few chunks of allocateLarge memory, so that
/// buffers smaller than a huge page (a q4 expert's 1.1 MiB of weights) sit on huge pages too:
/// each 4 KiB page of a buffer on its own would cost a page walk when weights stream past.
/// Buffers start on a cache line and live as long as the arena.
class LargeArena {
public:
    /// `bytes` of zeroed memory, committed as it is first written; null for 0 bytes. Throws
    /// std::bad_alloc when the system refuses.
    [[nodiscard]] std::byte *take(std::size_t bytes);

private:
    std::vector<LargeBuffer> m_buffers;
    std::byte *m_next = nullptr; ///< the free rest of the newest chunk
    std::size_t m_left = 0;
};

/// A fixed number of zero-initialised values of a trivial type T held in allocateLarge memory.
/// Unlike std::vector it never fills or copies: pages are committed as they are first written.
template <typename T>
class LargeArray {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    LargeArray() = default;
    /// `size` values, all zero.
    explicit LargeArray(std::size_t size) : m_memory(allocateLarge(size * sizeof(T))), m_size(size)
    {
    }

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    [[nodiscard]] T *data() { return reinterpret_cast<T *>(m_memory.get()); }
    [[nodiscard]] const T *data() const { return reinterpret_cast<const T *>(m_memory.get()); }
    [[nodiscard]] T *begin() { return data(); }
    [[nodiscard]] T *end() { return data() + m_size; }
    [[nodiscard]] const T *begin() const { return data(); }
    [[nodiscard]] const T *end() const { return data() + m_size; }
    [[nodiscard]] T &operator[](std::size_t index) { return data()[index]; }
    [[nodiscard]] const T &operator[](std::size_t index) const { return data()[index]; }

private:
    LargeBuffer m_memory;
    std::size_t m_size = 0;
};

} // namespace cliff::bench
