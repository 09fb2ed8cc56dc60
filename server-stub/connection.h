// Connection: what the room hub needs from a client's socket. WebSocketSession implements it; the
// hub never sees Beast. A connection belongs to one authenticated user and to at most one room.
#pragma once

#include <memory>
#include <string>

#include "tokens.h"

namespace mehfil::server {

using Frame = std::shared_ptr<const std::string>;  // encoded once, shared by every recipient

class Connection {
 public:
  explicit Connection(Claims claims) : claims_(std::move(claims)) {}
  virtual ~Connection() = default;

  virtual void send(Frame frame) = 0;  // queued; never blocks
  virtual void drop() = 0;             // close the socket
  virtual bool is_open() const = 0;

  const Claims& claims() const { return claims_; }
  const std::string& user_id() const { return claims_.sub; }

  // Managed by the hub: the room this connection is in and its peer id there (empty when none).
  std::string room_code;
  std::string peer_id;

 private:
  Claims claims_;
};

}  // namespace mehfil::server
