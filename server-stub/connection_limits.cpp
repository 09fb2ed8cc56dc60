// Connection caps and the slots they hand out (connection_limits.h).
#include "connection_limits.h"

#include <sys/resource.h>

namespace mehfil::server {

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : limits_(other.limits_), address_(std::move(other.address_)) {
  other.limits_ = nullptr;
}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    release();
    limits_ = other.limits_;
    address_ = std::move(other.address_);
    other.limits_ = nullptr;
  }
  return *this;
}

ConnectionSlot::~ConnectionSlot() { release(); }

void ConnectionSlot::release() {
  if (limits_ == nullptr) return;
  limits_->release(address_);
  limits_ = nullptr;
}

ConnectionSlot ConnectionLimits::acquire(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return {};
  int& from_address = per_address_[address];
  if (from_address >= max_per_address_) return {};
  ++from_address;
  ++total_;
  return ConnectionSlot(this, address);
}

void ConnectionLimits::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --total_;
  const auto found = per_address_.find(address);
  if (found != per_address_.end() && --found->second <= 0) per_address_.erase(found);
}

int ConnectionLimits::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

unsigned long raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  // An unlimited hard limit is still capped by the kernel (fs.nr_open, 1048576 by default).
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  if (limit.rlim_cur < target) {
    limit.rlim_cur = target;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<unsigned long>(limit.rlim_cur);
}

}  // namespace mehfil::server
