// ConnectionLimits: how many TCP connections the server holds, in total and per client address, so
// one client opening thousands of sockets cannot use up the file descriptors everyone else needs
// (`--max-connections`, `--max-connections-per-address`). Every accepted connection asks for a
// ConnectionSlot; a slot is held for the connection's whole life (HTTP keep-alive, then the
// WebSocket it may become) and given back when it is destroyed. A connection that gets no slot is
// answered 503 and closed (HttpSession).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

namespace mehfil::server {

class ConnectionLimits;

// One counted connection. Move-only; gives its place back on destruction. An empty slot (the
// default) means the connection was refused.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(ConnectionSlot&& other) noexcept;
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot();

  explicit operator bool() const { return limits_ != nullptr; }

 private:
  friend class ConnectionLimits;
  ConnectionSlot(ConnectionLimits* limits, std::string address) : limits_(limits), address_(std::move(address)) {}
  void release();

  ConnectionLimits* limits_ = nullptr;
  std::string address_;
};

class ConnectionLimits {
 public:
  ConnectionLimits(int max_total, int max_per_address) : max_total_(max_total), max_per_address_(max_per_address) {}
  ConnectionLimits(const ConnectionLimits&) = delete;
  ConnectionLimits& operator=(const ConnectionLimits&) = delete;

  // A slot for a new connection from `address`, or an empty one when either cap is reached.
  // The limits must outlive every slot they hand out.
  ConnectionSlot acquire(const std::string& address);
  int total() const;

 private:
  friend class ConnectionSlot;
  void release(const std::string& address);

  // Slots are taken and given back on the I/O thread today; the lock keeps that true of the counts
  // should the server ever run more than one.
  mutable std::mutex mutex_;
  const int max_total_;
  const int max_per_address_;
  int total_ = 0;
  std::unordered_map<std::string, int> per_address_;
};

// Raises this process's soft limit on open files to its hard limit: the usual soft default (1024)
// is far below --max-connections, and running out of descriptors is what the caps are there to
// prevent. Returns the soft limit now in force.
unsigned long raise_open_file_limit();

}  // namespace mehfil::server
