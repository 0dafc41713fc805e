#include "thread_pool.h"

#include <algorithm>

namespace cliff::bench {

ThreadPool::ThreadPool(int threadCount) : m_threadCount(std::max(1, threadCount))
{
    for (int index = 1; index < m_threadCount; ++index)
        m_workers.emplace_back([this, index] { workerLoop(index); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_start.notify_all();
    for (std::thread &worker : m_workers)
        worker.join();
}

void ThreadPool::runShare(int index)
{
    const std::size_t units = (m_count + m_grain - 1) / m_grain;
    const auto threads = static_cast<std::size_t>(m_threadCount);
    const auto slot = static_cast<std::size_t>(index);
    const std::size_t begin = std::min(m_count, units * slot / threads * m_grain);
    const std::size_t end = std::min(m_count, units * (slot + 1) / threads * m_grain);
    if (begin < end)
        (*m_job)(begin, end);
}

void ThreadPool::parallelFor(std::size_t count, const RangeFunction &fn, std::size_t grain)
{
    if (count == 0)
        return;
    if (m_threadCount == 1 || count <= grain) {
        fn(0, count);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_job = &fn;
        m_count = count;
        m_grain = std::max<std::size_t>(1, grain);
        m_pending = m_threadCount - 1;
        ++m_generation;
    }
    m_start.notify_all();
    runShare(0);
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_pending == 0; });
    m_job = nullptr;
}

void ThreadPool::workerLoop(int index)
{
    std::uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_start.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop)
                return;
            seen = m_generation;
        }
        runShare(index);
        {
            std::lock_guard lock(m_mutex);
            --m_pending;
        }
        m_done.notify_one();
    }
}

} // namespace cliff::bench
