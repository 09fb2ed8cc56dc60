// Webhooks to booking sites (webhooks.h).
#include "wall_clock.h"
#include "webhooks.h"

#include <curl/curl.h>
#include <sodium.h>

#include <array>
#include <chrono>

#include <boost/asio/post.hpp>

#include "api_fields.h"
#include "log.h"
#include "tokens.h"

namespace mehfil::server {
namespace {

using nlohmann::json;
using protocol::ErrorCode;

// After attempt n fails, the next comes this much later; after the last, the delivery has failed.
constexpr std::array<std::int64_t, 6> kRetryAfterMs = {1000, 5000, 30'000, 120'000, 600'000, 3'600'000};
constexpr auto kPumpEvery = std::chrono::milliseconds(250);

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string webhook_signature(const std::string& secret, std::int64_t unix_seconds, const std::string& body) {
  const std::string message = std::to_string(unix_seconds) + "." + body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return "t=" + std::to_string(unix_seconds) + ",v1=" + hex;
}

Webhooks::Webhooks(Store& store, boost::asio::io_context& io) : store_(store), io_(io), timer_(io) {
  try {
    store_.resume_sending_deliveries();
  } catch (const StorageError& error) {
    log::storage_failed("resuming webhook deliveries", error.what());
  }
  pump();
}

// What was queued stays "sending" in the store and is sent again after the next start.
Webhooks::~Webhooks() { sending_.stop(); }

void Webhooks::room_event(const RoomEvent& event) {
  try {
    const auto meeting = store_.meeting_of_room(event.room_code);
    if (!meeting) return;
    if (event.kind == RoomEvent::Kind::ended) {
      const std::string reason = meeting->cancelled_at ? "cancelled" : event.reason;
      return record(*meeting, "meeting.ended", {{"ended_at", event.at}, {"reason", reason}}, event.at);
    }
    // The site's own id for the person, when the site named them.
    json site_id;
    const json people = json::parse(meeting->people_json, nullptr, false);
    for (const json& p : people.is_array() ? people : json::array()) {
      if (p.value("user_id", "") == event.user_id) site_id = p.value("id", "");
    }
    const json person = {{"user_id", event.user_id}, {"id", site_id}, {"name", event.display_name}, {"at", event.at}};
    if (event.kind == RoomEvent::Kind::joined) {
      if (!store_.has_delivery(meeting->meeting_id, "meeting.started")) {
        record(*meeting, "meeting.started", {{"started_at", event.at}}, event.at);
      }
      record(*meeting, "participant.joined", person, event.at);
    } else {
      record(*meeting, "participant.left", person, event.at);
    }
  } catch (const StorageError& error) {
    log::storage_failed("recording a webhook event", error.what());
  }
}

void Webhooks::record(const MeetingRecord& meeting, const std::string& event, json data, std::int64_t at) {
  const auto key = store_.api_key(meeting.key_id);
  DeliveryRecord delivery;
  delivery.delivery_id = "wh" + random_token(12);
  delivery.key_id = meeting.key_id;
  delivery.meeting_id = meeting.meeting_id;
  delivery.event = event;
  delivery.body = json{{"id", delivery.delivery_id}, {"type", event}, {"created_at", at},
                       {"meeting_id", meeting.meeting_id}, {"data", std::move(data)}}.dump();
  delivery.state = key && key->webhook_url && !key->revoked_at ? "pending" : "not_sent";
  delivery.created_at = delivery.next_attempt_at = wall_clock_ms();
  store_.insert_delivery(delivery);
}

void Webhooks::pump() {
  try {
    for (DeliveryRecord& delivery : store_.due_deliveries(wall_clock_ms(), 20)) {
      const auto key = store_.api_key(delivery.key_id);
      if (!key || !key->webhook_url || key->revoked_at) {
        delivery.state = "not_sent";
        store_.update_delivery(delivery);
        continue;
      }
      if (!sending_.push({delivery, *key->webhook_url, key->webhook_secret})) {
        delivery.state = "pending";  // the queue is full: the next pump tries again
        store_.update_delivery(delivery);
      }
    }
  } catch (const StorageError& error) {
    log::storage_failed("reading due webhook deliveries", error.what());
  }
  timer_.expires_after(kPumpEvery);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) pump();
  });
}

void Webhooks::send(const Job& job) {
  long status = 0;
  std::string error;
  CURL* curl = curl_easy_init();
  if (!curl) {
    error = "libcurl could not start";
  } else {
    const std::int64_t unix_seconds = wall_clock_ms() / 1000;
    curl_slist* headers = nullptr;
    for (const std::string& header :
         {std::string("Content-Type: application/json"), "Mehfil-Event: " + job.delivery.event,
          "Mehfil-Delivery: " + job.delivery.delivery_id,
          "Mehfil-Signature: " + webhook_signature(job.secret, unix_seconds, job.delivery.body)}) {
      headers = curl_slist_append(headers, header.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, job.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, job.delivery.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(job.delivery.body.size()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Mehfil-Webhooks/1");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    const CURLcode result = curl_easy_perform(curl);
    if (result == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else error = curl_easy_strerror(result);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  }
  boost::asio::post(io_, [this, delivery = job.delivery, status, error = std::move(error)]() mutable {
    finished(std::move(delivery), status, std::move(error));
  });
}

void Webhooks::finished(DeliveryRecord delivery, long status, std::string error) {
  delivery.attempts += 1;
  delivery.last_status = status ? std::optional<std::int64_t>(status) : std::nullopt;
  delivery.last_error = error.empty() ? std::nullopt : std::optional<std::string>(error);
  if (status >= 200 && status < 300) {
    delivery.state = "delivered";
    delivery.delivered_at = wall_clock_ms();
  } else if (delivery.attempts > static_cast<int>(kRetryAfterMs.size())) {
    delivery.state = "failed";
    spdlog::warn("webhook {} {} failed after {} attempts: {}", delivery.delivery_id, delivery.event, delivery.attempts,
                 error.empty() ? "HTTP " + std::to_string(status) : error);
  } else {
    delivery.state = "pending";
    delivery.next_attempt_at = wall_clock_ms() + kRetryAfterMs[static_cast<std::size_t>(delivery.attempts - 1)];
  }
  try {
    store_.update_delivery(delivery);
  } catch (const StorageError& failure) {
    log::storage_failed("saving a webhook delivery", failure.what());
  }
}

ApiReply Webhooks::events(const ApiKeyRecord& key, const std::string& meeting_id) {
  const auto meeting = protocol::is_id(meeting_id) ? store_.meeting(meeting_id) : std::nullopt;
  if (!meeting || meeting->key_id != key.key_id) return api::failure(ErrorCode::not_found, "This key made no meeting with that id.");
  json list = json::array();
  for (const DeliveryRecord& d : store_.deliveries_of(meeting_id)) {
    const json body = json::parse(d.body, nullptr, false);
    list.push_back({{"delivery_id", d.delivery_id},
                    {"type", d.event},
                    {"created_at", d.created_at},
                    {"state", d.state},
                    {"attempts", d.attempts},
                    {"last_status", d.last_status ? json(*d.last_status) : json()},
                    {"last_error", d.last_error ? json(*d.last_error) : json()},
                    {"delivered_at", d.delivered_at ? json(*d.delivered_at) : json()},
                    {"body", body.is_discarded() ? json() : body}});
  }
  return {200, {{"events", std::move(list)}}};
}

}  // namespace mehfil::server
