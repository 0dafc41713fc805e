#include "large_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace cliff::bench {

namespace {

constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// An arena's chunk: 32 huge pages; a larger buffer gets its own.
constexpr std::size_t kArenaChunk = std::size_t{64} << 20;

std::size_t roundUp(std::size_t value, std::size_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

} // namespace

void FreeLargeBuffer::operator()(std::byte *memory) const
{
    if (mappedBytes > 0)
        munmap(memory, mappedBytes);
    else
        std::free(memory);
}

LargeBuffer allocateLarge(std::size_t bytes)
{
    if (bytes == 0)
        return {};
    if (bytes < kHugePage) {
        auto *memory = static_cast<std::byte *>(
            std::aligned_alloc(kCacheLine, roundUp(bytes, kCacheLine)));
        if (!memory)
            throw std::bad_alloc();
        std::memset(memory, 0, bytes);
        return LargeBuffer(memory, FreeLargeBuffer{});
    }
    const std::size_t length = roundUp(bytes, kHugePage);
    if (length < bytes || length > SIZE_MAX - kHugePage)
        throw std::bad_alloc();
    // Map one huge page more than asked, then unmap the ends, so the buffer starts on a huge
    // page boundary. MAP_NORESERVE: the pages are counted as they are written, not up front.
    const std::size_t mapped = length + kHugePage;
    void *raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        throw std::bad_alloc();
    auto *start = static_cast<std::byte *>(raw);
    const auto address = reinterpret_cast<std::uintptr_t>(start);
    auto *aligned = start + (roundUp(address, kHugePage) - address);
    if (aligned > start)
        munmap(start, static_cast<std::size_t>(aligned - start));
    std::byte *tail = aligned + length;
    if (tail < start + mapped)
        munmap(tail, static_cast<std::size_t>(start + mapped - tail));
#ifdef MADV_HUGEPAGE
    madvise(aligned, length, MADV_HUGEPAGE);
#endif
    return LargeBuffer(aligned, FreeLargeBuffer{length});
}

std::byte *LargeArena::take(std::size_t bytes)
{
    if (bytes == 0)
        return nullptr;
    if (bytes > SIZE_MAX - kCacheLine)
        throw std::bad_alloc();
    const std::size_t length = roundUp(bytes, kCacheLine);
    if (length > kArenaChunk) {
        m_buffers.push_back(allocateLarge(length));
        return m_buffers.back().get();
    }
    if (length > m_left) {
        m_buffers.push_back(allocateLarge(kArenaChunk));
        m_next = m_buffers.back().get();
        m_left = kArenaChunk;
    }
    std::byte *taken = m_next;
    m_next += length;
    m_left -= length;
    return taken;
}

} // namespace cliff::bench
