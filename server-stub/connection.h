// Connection: what the room hub needs from a client's socket. WebSocketSession implements it; the
// hub never sees Beast. A connection belongs to one authenticated user and to at most one room.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tokens.h"

namespace mehfil::server {

using Frame = std::shared_ptr<const std::string>;  // encoded once, shared by every recipient

class Connection {
 public:
  Connection(Claims claims, std::string address)
      : claims_(std::move(claims)), address_(std::move(address)), id_(next_id()) {}
  virtual ~Connection() = default;

  virtual void send(Frame frame) = 0;  // queued; never blocks
  // Frames a joiner catches up on (board and chat history), queued after what is already queued;
  // they are the room's shared frames, so they do not count toward the slow-reader limit.
  virtual void send_history(const std::vector<Frame>& pages) = 0;
  virtual void drop() = 0;             // close the socket
  // Close it politely once what is queued is written: a close frame with `reason` ("session_revoked").
  virtual void end(const std::string& reason) = 0;
  virtual bool is_open() const = 0;

  const Claims& claims() const { return claims_; }
  // The account was renamed (profiles.h): what this socket does from now on is under the new name.
  void rename(std::string display_name) { claims_.name = std::move(display_name); }
  const std::string& user_id() const { return claims_.sub; }
  const std::string& address() const { return address_; }  // the peer's IP address, for per-address limits
  std::uint64_t id() const { return id_; }                  // for log lines: "c42"

  // Managed by the hub: the room this connection is in and its peer id there (empty when none).
  std::string room_code;
  std::string peer_id;
  std::int64_t ice_issued_ms = 0;  // when its TURN credentials were made (hello, or ice:servers)

 private:
  static std::uint64_t next_id() {
    static std::uint64_t last = 0;  // connections are made on the one I/O thread
    return ++last;
  }
  Claims claims_;
  std::string address_;
  std::uint64_t id_;
};

}  // namespace mehfil::server
