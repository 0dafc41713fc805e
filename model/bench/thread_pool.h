#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cliff::bench {

/// A small persistent pool: the calling thread plus threadCount - 1 workers run one
/// parallelFor at a time. Kernels receive the pool by reference; there is no global pool.
///
/// Decode at batch 1 calls parallelFor some twenty times per token, each call a few tens of
/// microseconds of work, so waking a sleeping thread (tens of microseconds on a busy or
/// virtualised machine) would cost as much as the work. Threads therefore spin for a short
/// while (kSpinBeforeSleep) waiting for the next job or for the others to finish, and only
/// then sleep on a condition variable; an idle pool holds no core.
class ThreadPool {
public:
    using RangeFunction = std::function<void(std::size_t begin, std::size_t end)>;

    explicit ThreadPool(int threadCount);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    /// Number of threads that run work, including the caller; at least 1.
    [[nodiscard]] int threadCount() const { return m_threadCount; }

    /// How parallelFor hands out the range.
    enum class Schedule {
        /// One contiguous range per thread, equal in size: for work that must run on every
        /// thread at once (the probes) or is one unit per thread.
        Even,
        /// Ranges taken from a shared counter, each half of what is left divided by the
        /// thread count (at least one grain): long first ranges keep streams long, and the
        /// short last ones let a thread that was slowed (by another process, or a slower core)
        /// finish with the others instead of last.
        Balanced,
    };

    /// Runs fn over [0, count) in ranges whose boundaries are multiples of `grain`, each range
    /// once, on the pool's threads as `schedule` says; returns when every range is done.
    void parallelFor(std::size_t count, const RangeFunction &fn, std::size_t grain = 1,
                     Schedule schedule = Schedule::Even);

    /// Seconds the threads have spent waiting since the last call, summed over parallelFor
    /// calls: each call's time from start to finish less its threads' mean time at work. It is
    /// what the ends of parallel steps cost: uneven shares, waking threads, the final barrier.
    /// Call between parallelFor calls only.
    [[nodiscard]] double takeWaitingSeconds();

private:
    void workerLoop(int index);
    void runShare(int index);

    int m_threadCount = 1;
    std::vector<std::thread> m_workers;
    // The job; written by parallelFor before it publishes a new generation.
    const RangeFunction *m_job = nullptr;
    std::size_t m_count = 0;
    std::size_t m_grain = 1;
    Schedule m_schedule = Schedule::Even;
    // Balanced: the first grain-sized unit not yet taken.
    std::atomic<std::size_t> m_nextUnit{0};
    std::atomic<std::uint64_t> m_generation{0};
    std::atomic<int> m_pending{0};
    std::atomic<bool> m_stop{false};
    // Sleeping side: whoever sleeps announces it here, so the other side takes the mutex and
    // notifies only when somebody is actually waiting.
    std::mutex m_mutex;
    std::condition_variable m_start;
    std::condition_variable m_done;
    std::atomic<int> m_sleepingWorkers{0};
    std::atomic<bool> m_callerSleeping{false};
    // Each thread's seconds at work in the current call, written before it reports done.
    std::vector<double> m_busySeconds;
    double m_waitingSeconds = 0.0;
};

} // namespace cliff::bench
