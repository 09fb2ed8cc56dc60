// WorkerQueue: one thread of its own that runs `work(job)` for each job pushed, in order, for the
// server's blocking work that must stay off the I/O thread (mail and webhooks over libcurl). The
// queue is bounded: push() says false when it is full or stopping. Stopping drops what is still
// queued (returning how many), lets the job in hand finish, and joins the thread. An owner declares
// its WorkerQueue last, so the thread ends before anything its jobs use.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mehfil::server {

template <typename Job>
class WorkerQueue {
 public:
  WorkerQueue(std::size_t max_queued, std::function<void(Job&)> work)
      : max_queued_(max_queued), work_(std::move(work)), thread_([this] { run(); }) {}
  ~WorkerQueue() { stop(); }
  WorkerQueue(const WorkerQueue&) = delete;
  WorkerQueue& operator=(const WorkerQueue&) = delete;

  bool push(Job job) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
  }

  std::size_t stop() {
    std::size_t dropped = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return 0;
      stopping_ = true;
      dropped = queue_.size();
      queue_.clear();
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    return dropped;
  }

 private:
  void run() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      work_(job);
    }
  }

  const std::size_t max_queued_;
  std::function<void(Job&)> work_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace mehfil::server
