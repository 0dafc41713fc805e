#include "thread_pool.h"

#include <algorithm>
#include <chrono>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cliff::bench {

namespace {

// How long a thread polls before it sleeps: longer than the serial gaps between a decode step's
// parallel loops, short enough that a finished run gives its cores back at once.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

void relax()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

// Polls `done` until it is true or kSpinBeforeSleep has passed; true when it became true.
template <typename Predicate> bool spinUntil(Predicate done)
{
    const auto deadline = std::chrono::steady_clock::now() + kSpinBeforeSleep;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (done())
                return true;
            relax();
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return done();
    }
}

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double>(end - start).count();
}

} // namespace

ThreadPool::ThreadPool(int threadCount)
    : m_threadCount(std::max(1, threadCount)),
      m_busySeconds(static_cast<std::size_t>(m_threadCount), 0.0)
{
    for (int index = 1; index < m_threadCount; ++index)
        m_workers.emplace_back([this, index] { workerLoop(index); });
}

ThreadPool::~ThreadPool()
{
    m_stop.store(true);
    {
        std::lock_guard lock(m_mutex);
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
    const auto start = Clock::now();
    if (m_schedule == Schedule::Even) {
        const std::size_t begin = std::min(m_count, units * slot / threads * m_grain);
        const std::size_t end = std::min(m_count, units * (slot + 1) / threads * m_grain);
        if (begin < end)
            (*m_job)(begin, end);
    } else {
        std::size_t first = m_nextUnit.load();
        while (first < units) {
            const std::size_t take = std::max<std::size_t>(1, (units - first) / (2 * threads));
            if (!m_nextUnit.compare_exchange_weak(first, first + take))
                continue;
            (*m_job)(first * m_grain, std::min(m_count, (first + take) * m_grain));
            first = m_nextUnit.load();
        }
    }
    m_busySeconds[slot] = secondsBetween(start, Clock::now());
}

double ThreadPool::takeWaitingSeconds()
{
    return std::exchange(m_waitingSeconds, 0.0);
}

void ThreadPool::parallelFor(std::size_t count, const RangeFunction &fn, std::size_t grain,
                             Schedule schedule)
{
    if (count == 0)
        return;
    if (m_threadCount == 1 || count <= grain) {
        fn(0, count);
        return;
    }
    const auto start = Clock::now();
    m_job = &fn;
    m_count = count;
    m_grain = std::max<std::size_t>(1, grain);
    m_schedule = schedule;
    m_nextUnit.store(0);
    m_pending.store(m_threadCount - 1);
    // Sequentially consistent: either a worker about to sleep sees the new generation, or this
    // thread sees that it sleeps and wakes it (see workerLoop).
    m_generation.fetch_add(1);
    if (m_sleepingWorkers.load() > 0) {
        {
            std::lock_guard lock(m_mutex);
        }
        m_start.notify_all();
    }
    runShare(0);
    const auto allDone = [this] { return m_pending.load() == 0; };
    if (!spinUntil(allDone)) {
        std::unique_lock lock(m_mutex);
        m_callerSleeping.store(true);
        m_done.wait(lock, allDone);
        m_callerSleeping.store(false);
    }
    m_job = nullptr;
    double busy = 0.0;
    for (double seconds : m_busySeconds)
        busy += seconds;
    m_waitingSeconds += secondsBetween(start, Clock::now()) - busy / double(m_threadCount);
}

void ThreadPool::workerLoop(int index)
{
    std::uint64_t seen = 0;
    const auto newJob = [&] { return m_stop.load() || m_generation.load() != seen; };
    for (;;) {
        if (!spinUntil(newJob)) {
            std::unique_lock lock(m_mutex);
            m_sleepingWorkers.fetch_add(1);
            m_start.wait(lock, newJob);
            m_sleepingWorkers.fetch_sub(1);
        }
        if (m_stop.load())
            return;
        seen = m_generation.load(std::memory_order_acquire);
        runShare(index);
        if (m_pending.fetch_sub(1) == 1 && m_callerSleeping.load()) {
            {
                std::lock_guard lock(m_mutex);
            }
            m_done.notify_one();
        }
    }
}

} // namespace cliff::bench
