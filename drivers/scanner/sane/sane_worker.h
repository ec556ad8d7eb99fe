// The one thread that makes every SANE call: jobs posted from other threads, plus a periodic idle task. A driver
// that never returns (a backend deadlocked, a device that stopped answering) is noticed: its callers stop waiting for
// it, and it can be left behind.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kiosk::drivers {

class SaneWorker {
public:
    // idle runs on the worker every period while no job is waiting (never during a job, so never mid-scan).
    SaneWorker(std::chrono::milliseconds period, std::function<void()> idle)
        : m_period(period)
        , m_idle(std::move(idle))
        , m_thread([this] { run(); })
    {
    }

    // Runs the jobs still queued, then stops.
    ~SaneWorker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        if (m_thread.joinable())
            m_thread.join();
    }

    SaneWorker(SaneWorker const&) = delete;
    SaneWorker& operator=(SaneWorker const&) = delete;

    // Queues job on the worker and returns at once.
    void post(std::function<void()> job)
    {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
        }
        m_wake.notify_one();
    }

    // Runs job on the worker and waits for its result.
    template<typename Job>
    auto call(Job job) -> decltype(job())
    {
        auto task = std::make_shared<std::packaged_task<decltype(job())()>>(std::move(job));
        auto result = task->get_future();
        {
            std::lock_guard lock(m_mutex);
            m_jobs.emplace_back([task] { (*task)(); });
        }
        m_wake.notify_one();
        return result.get();
    }

    // Runs job on the worker and waits for its result, unless the worker is stalled (see stalled()) before the result
    // comes: then nothing, and the job stays queued. job must not refer to anything of the caller's.
    template<typename Job>
    auto call_within(std::chrono::milliseconds patience, Job job) -> std::optional<decltype(job())>
    {
        if (stalled(patience))
            return std::nullopt;
        auto task = std::make_shared<std::packaged_task<decltype(job())()>>(std::move(job));
        auto result = task->get_future();
        {
            std::lock_guard lock(m_mutex);
            m_jobs.emplace_back([task] { (*task)(); });
        }
        m_wake.notify_one();
        while (result.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
            if (stalled(patience))
                return std::nullopt;
        return result.get();
    }

    // The job (or idle task) running now has given no sign of life (its start, a heartbeat()) for longer than patience.
    bool stalled(std::chrono::milliseconds patience) const
    {
        std::lock_guard lock(m_mutex);
        return m_alive_at && std::chrono::steady_clock::now() - *m_alive_at > patience;
    }

    // Called by a long job on the worker (a scan, at each piece of data): it is still making progress.
    void heartbeat()
    {
        std::lock_guard lock(m_mutex);
        if (m_alive_at)
            m_alive_at = std::chrono::steady_clock::now();
    }

    // Leaves the worker behind, stuck in a job that may never return: the destructor no longer waits for it. What
    // its jobs use must outlive it (the caller leaks it); jobs queued still run if the stuck one ever returns.
    void abandon()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.detach();
    }

private:
    void run()
    {
        auto next_idle = std::chrono::steady_clock::now() + m_period;
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait_until(lock, next_idle, [this] { return m_stopping || !m_jobs.empty(); });
            if (!m_jobs.empty()) {
                auto job = std::move(m_jobs.front());
                m_jobs.pop_front();
                m_alive_at = std::chrono::steady_clock::now();
                lock.unlock();
                job();
                lock.lock();
                m_alive_at.reset();
                continue;
            }
            if (m_stopping)
                return;
            if (std::chrono::steady_clock::now() >= next_idle) {
                m_alive_at = std::chrono::steady_clock::now();
                lock.unlock();
                m_idle();
                lock.lock();
                m_alive_at.reset();
                next_idle = std::chrono::steady_clock::now() + m_period;
            }
        }
    }

    std::chrono::milliseconds m_period;
    std::function<void()> m_idle;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<std::chrono::steady_clock::time_point> m_alive_at; // a job runs: its last sign of life
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace kiosk::drivers
