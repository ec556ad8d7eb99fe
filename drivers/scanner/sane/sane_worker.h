// The one thread that makes every SANE call: jobs posted from other threads, plus a periodic idle task.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
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
                lock.unlock();
                job();
                lock.lock();
                continue;
            }
            if (m_stopping)
                return;
            if (std::chrono::steady_clock::now() >= next_idle) {
                lock.unlock();
                m_idle();
                lock.lock();
                next_idle = std::chrono::steady_clock::now() + m_period;
            }
        }
    }

    std::chrono::milliseconds m_period;
    std::function<void()> m_idle;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace kiosk::drivers
