// Webhooks: what happens in a booking site's meetings, POSTed to the URL its API key names
// (`keys create --webhook-url`), signed, retried, and kept.
//
//   meeting.started     the first person came in        data {started_at}
//   participant.joined  someone came in                 data {user_id, id (the site's, or null), name, at}
//   participant.left    someone left                    data {user_id, id, name, at}
//   meeting.ended       the room ended                  data {ended_at, reason: meeting_over | cancelled | ...}
//
// Each body is {id, type, created_at, meeting_id, data}, stored before it is sent. Headers:
// `Mehfil-Event`, `Mehfil-Delivery` (the id, for the site to drop repeats) and `Mehfil-Signature:
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the key's webhook secret>`. A 2xx
// answer delivers it; anything else (or no answer in 10 s) is tried again after 1 s, 5 s, 30 s,
// 2 min, 10 min and 1 h, then it is "failed". A meeting's events arrive in order: a later one waits
// while an earlier one is still being tried. Every event and how its sending went is listed at
// GET /api/meetings/:id/events, also for keys without a webhook URL ("not_sent"), so a site can poll.
//
// libcurl blocks, so sending happens on the webhooks' own thread; the store is touched on the I/O
// thread only (a timer hands due deliveries over, results come back through `io`).
#pragma once

#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "room_hub.h"
#include "store.h"
#include "worker_queue.h"

namespace mehfil::server {

// The value of the Mehfil-Signature header for `body` sent at `unix_seconds`.
std::string webhook_signature(const std::string& secret, std::int64_t unix_seconds, const std::string& body);

class Webhooks {
 public:
  Webhooks(Store& store, boost::asio::io_context& io);
  ~Webhooks();  // stops sending; what was not delivered is sent after the next start
  Webhooks(const Webhooks&) = delete;
  Webhooks& operator=(const Webhooks&) = delete;

  void room_event(const RoomEvent& event);  // RoomHub::watch_meetings
  ApiReply events(const ApiKeyRecord& key, const std::string& meeting_id);  // GET /api/meetings/:id/events

 private:
  struct Job {
    DeliveryRecord delivery;
    std::string url;
    std::string secret;
  };
  void record(const MeetingRecord& meeting, const std::string& event, nlohmann::json data, std::int64_t at);
  void pump();                                                // I/O thread, on a timer
  void send(const Job& job);                                  // the sending thread
  void finished(DeliveryRecord delivery, long status, std::string error);  // I/O thread

  Store& store_;
  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  WorkerQueue<Job> sending_{1000, [this](Job& job) { send(job); }};  // last: stops first
};

}  // namespace mehfil::server
