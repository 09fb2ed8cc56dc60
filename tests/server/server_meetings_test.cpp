// Meetings for booking sites on the real server (meetings.h): an API key made with the operator's
// command, a meeting made with it, its people's tokens and the passcode link getting in, the window
// the room keeps (not open yet, a warning, the end), cancelling, and bad requests.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server_fixture.h"
#include "webhook_receiver.h"

using namespace server_test;

namespace {

struct Key {
  std::string id;
  std::string secret;  // "mk_…"
  std::string output;
  std::string webhook_secret;  // "whsec_…"
};

Key make_key(const std::string& db, const std::string& name, const std::string& webhook_url = {}) {
  const std::string command = server_binary() + " keys create --name " + name + " --db " + db +
                              (webhook_url.empty() ? "" : " --webhook-url " + webhook_url) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  if (pipe) pclose(pipe);
  std::smatch id, secret;
  std::regex_search(output, id, std::regex("key id: ([0-9a-f]{8})"));
  std::regex_search(output, secret, std::regex("(mk_[0-9a-f]{8}_[A-Za-z0-9_-]+)"));
  std::smatch signing;
  std::regex_search(output, signing, std::regex("(whsec_[A-Za-z0-9_-]+)"));
  return {id.size() > 1 ? id[1].str() : "", secret.size() > 1 ? secret[1].str() : "", output,
          signing.size() > 1 ? signing[1].str() : ""};
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json lesson(std::int64_t start, std::int64_t end, int grace = 10) {
  return {{"title", "Algebra lesson"},
          {"scheduled_start", start},
          {"scheduled_end", end},
          {"grace_minutes", grace},
          {"host", {{"id", "tutor-7"}, {"name", "Ms Rao"}}},
          {"participants", json::array({{{"id", "student-3"}, {"name", "Ali"}}})}};
}

std::string code_of(const HttpResult& result) { return result.body["error"].value("code", ""); }

}  // namespace

TEST_CASE("keys create prints a key once and keeps only its hash, and a revoked key is refused") {
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site");
  REQUIRE(key.id.size() == 8);
  REQUIRE(key.secret.size() > 40);
  CHECK(key.output.find("whsec_") != std::string::npos);
  {
    std::ifstream db(server.db_path(), std::ios::binary), wal(server.db_path() + "-wal", std::ios::binary);
    const std::string bytes = std::string(std::istreambuf_iterator<char>(db), {}) + std::string(std::istreambuf_iterator<char>(wal), {});
    CHECK(bytes.find(key.secret.substr(12)) == std::string::npos);  // the secret part is nowhere on disk
  }
  const auto made = http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret);
  CHECK(made.status == 201);
  CHECK(http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret + "x").status == 401);
  CHECK(http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), new_user(server.port(), "Eve").token).status == 401);
  const std::string revoke = server_binary() + " keys revoke " + key.id + " --db " + server.db_path() + " > /dev/null 2>&1";
  CHECK(std::system(revoke.c_str()) == 0);
  CHECK(http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret).status == 401);
  CHECK(std::system(revoke.c_str()) != 0);  // twice: nothing to revoke
}

TEST_CASE("A booking site's meeting lets its host and student in with their tokens and the passcode, and nobody with a wrong one") {
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site");
  const auto made = http(server.port(), "POST", "/api/meetings", lesson(now_ms() - 60'000, now_ms() + 3'600'000), key.secret);
  REQUIRE(made.status == 201);
  const std::string meeting = made.body["meeting_id"], passcode = made.body["passcode"], room = made.body["room_code"];
  CHECK(made.body["join_url"] == "/video-room/" + meeting + "?passcode=" + passcode);
  CHECK(made.body["host"]["user_id"] == "k" + key.id + "_tutor-7");

  // The passcode page's question: a wrong passcode is refused, the right one gives the room.
  CHECK(code_of(http(server.port(), "GET", "/api/meetings/" + meeting + "/access?passcode=wrong123")) == "wrong_password");
  const auto access = http(server.port(), "GET", "/api/meetings/" + meeting + "/access?passcode=" + passcode);
  REQUIRE(access.status == 200);
  CHECK(access.body["status"] == "open");
  CHECK(access.body["room_code"] == room);
  CHECK(code_of(http(server.port(), "GET", "/api/meetings/mNoSuchOne/access?passcode=" + passcode)) == "room_not_found");

  WsClient host(server.port(), made.body["host"]["token"]);
  const json host_in = host.join(room);
  REQUIRE(host_in["type"] == "room:joined");
  CHECK(host_in["self"]["is_host"] == true);
  WsClient student(server.port(), made.body["participants"][0]["token"]);
  CHECK(student.join(room)["code"] == "wrong_password");  // the passcode is the room's password
  CHECK(student.join(room, passcode)["type"] == "room:joined");
  WsClient stranger(server.port(), new_user(server.port(), "Stranger").token);
  CHECK(stranger.join(room, "not-it")["code"] == "wrong_password");

  const auto status = http(server.port(), "GET", "/api/meetings/" + meeting, std::nullopt, key.secret);
  REQUIRE(status.status == 200);
  CHECK(status.body["status"] == "active");
  CHECK(status.body["attended"].size() == 2);
  CHECK(status.body["people"][1]["role"] == "participant");
  // Another site's key sees nothing of it.
  const Key other = make_key(server.db_path(), "other-site");
  CHECK(code_of(http(server.port(), "GET", "/api/meetings/" + meeting, std::nullopt, other.secret)) == "not_found");
  CHECK(code_of(http(server.port(), "DELETE", "/api/meetings/" + meeting, std::nullopt, other.secret)) == "not_found");
}

TEST_CASE("A meeting's room is closed before its window, warns before its end, and closes after its end plus grace") {
  ServerProcess server({"--sweep-ms", "200"});
  const Key key = make_key(server.db_path(), "tutor-site");
  const auto later = http(server.port(), "POST", "/api/meetings", lesson(now_ms() + 3'600'000, now_ms() + 7'200'000), key.secret);
  REQUIRE(later.status == 201);
  WsClient early(server.port(), later.body["host"]["token"]);
  const json refused = early.join(later.body["room_code"]);
  CHECK(refused["code"] == "meeting_not_open");
  CHECK(refused["retry_after"].get<int>() >= 2990);  // 10 early-join minutes before the hour
  CHECK(http(server.port(), "GET", "/api/meetings/" + std::string(later.body["meeting_id"]) + "/access?passcode=" +
                                       std::string(later.body["passcode"])).body["status"] == "waiting");

  // Ends two seconds from now with no grace: the warning comes at once (less than five minutes are
  // left), the end two seconds later.
  const auto soon = http(server.port(), "POST", "/api/meetings", lesson(now_ms() - 60'000, now_ms() + 2000, 0), key.secret);
  REQUIRE(soon.status == 201);
  WsClient host(server.port(), soon.body["host"]["token"]);
  REQUIRE(host.join(soon.body["room_code"])["type"] == "room:joined");
  const auto warning = host.receive_type("room:ending", std::chrono::milliseconds(2000));
  REQUIRE(warning);
  CHECK((*warning)["at"] == soon.body["ends_at"]);
  const auto closed = host.receive_type("room:closed", std::chrono::milliseconds(5000));
  REQUIRE(closed);
  CHECK((*closed)["reason"] == "meeting_over");
  const auto status = http(server.port(), "GET", "/api/meetings/" + std::string(soon.body["meeting_id"]), std::nullopt, key.secret);
  CHECK(status.body["status"] == "completed");
  CHECK_FALSE(status.body["ended_at"].is_null());
  // Too late: the room has ended (the rules refuse a join from its end on even before it is closed).
  WsClient late(server.port(), soon.body["participants"][0]["token"]);
  CHECK(late.join(soon.body["room_code"], std::string(soon.body["passcode"]))["code"] == "room_not_found");
}

TEST_CASE("A meeting nobody came to ends on time all the same, and its site hears of it") {
  ServerProcess server({"--sweep-ms", "200"});
  const Key key = make_key(server.db_path(), "tutor-site");
  const auto empty = http(server.port(), "POST", "/api/meetings", lesson(now_ms() - 60'000, now_ms() + 1000, 0), key.secret);
  REQUIRE(empty.status == 201);
  const std::string meeting = empty.body["meeting_id"];
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  CHECK(http(server.port(), "GET", "/api/meetings/" + meeting, std::nullopt, key.secret).body["status"] == "completed");
  const auto events = http(server.port(), "GET", "/api/meetings/" + meeting + "/events", std::nullopt, key.secret);
  REQUIRE(events.body["events"].size() == 1);
  CHECK(events.body["events"][0]["type"] == "meeting.ended");
  CHECK(events.body["events"][0]["body"]["data"]["reason"] == "meeting_over");
  CHECK(code_of(http(server.port(), "DELETE", "/api/meetings/" + meeting, std::nullopt, key.secret)) == "expired");
}

TEST_CASE("A meeting's tokens reach their own room alone") {
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site");
  const auto first = http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret);
  const auto second = http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret);
  REQUIRE(first.status == 201);
  REQUIRE(second.status == 201);
  const std::string host = first.body["host"]["token"];
  // The same tutor hosts both, yet the first meeting's token may not end the second, list rooms or make one.
  CHECK(code_of(http(server.port(), "DELETE", "/api/rooms/" + std::string(second.body["room_code"]), std::nullopt, host)) ==
        "unauthorized");
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, host).status == 403);
  CHECK(http(server.port(), "POST", "/api/rooms/create", json::object(), host).status == 403);
  CHECK(http(server.port(), "GET", "/api/rooms/" + std::string(first.body["room_code"]), std::nullopt, host).status == 200);
  WsClient socket(server.port(), host);
  CHECK(socket.join(second.body["room_code"])["code"] == "unauthorized");
}

TEST_CASE("Cancelling a meeting ends its room for whoever is in it and its link says so") {
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site");
  const auto made = http(server.port(), "POST", "/api/meetings", lesson(now_ms(), now_ms() + 3'600'000), key.secret);
  REQUIRE(made.status == 201);
  WsClient host(server.port(), made.body["host"]["token"]);
  REQUIRE(host.join(made.body["room_code"])["type"] == "room:joined");
  const std::string meeting = made.body["meeting_id"];
  const auto cancelled = http(server.port(), "DELETE", "/api/meetings/" + meeting, std::nullopt, key.secret);
  REQUIRE(cancelled.status == 200);
  CHECK(cancelled.body["status"] == "cancelled");
  CHECK(host.receive_type("room:closed"));
  CHECK(http(server.port(), "GET", "/api/meetings/" + meeting + "/access?passcode=" + std::string(made.body["passcode"]))
            .body["status"] == "cancelled");
}

TEST_CASE("A meeting request that does not read is refused with bad_request and makes nothing") {
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site");
  const std::int64_t t = now_ms();
  json no_host = lesson(t, t + 60'000);
  no_host.erase("host");
  json bad_id = lesson(t, t + 60'000);
  bad_id["host"]["id"] = "../etc";
  json twice = lesson(t, t + 60'000);
  twice["participants"][0]["id"] = "tutor-7";
  json crowd = lesson(t, t + 60'000);
  crowd["max_participants"] = 2;
  crowd["participants"].push_back({{"id", "s4"}, {"name", "Bo"}});
  json control = lesson(t, t + 60'000);
  control["title"] = "Lesson\u202e";
  const auto body = GENERATE_COPY(values<json>({no_host, bad_id, twice, crowd, control, lesson(t, t - 1), lesson(t, t + 25 * 3'600'000),
                                                lesson(t - 7'200'000, t - 3'600'000, 0), json{{"host", "tutor"}}}));
  CAPTURE(body);
  const auto result = http(server.port(), "POST", "/api/meetings", body, key.secret);
  CHECK(result.status == 400);
  CHECK(code_of(result) == "bad_request");
}

namespace {

// HMAC-SHA256 with OpenSSL (the server signs with libsodium: two implementations agreeing).
std::string hmac_hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &length);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += {digits[mac[i] >> 4], digits[mac[i] & 15]};
  return hex;
}

}  // namespace

TEST_CASE("Webhooks reach the site signed and in order, a 500 is tried again, and /events lists every delivery") {
  WebhookReceiver site({500});  // the first delivery is answered 500, the rest 200
  ServerProcess server;
  const Key key = make_key(server.db_path(), "tutor-site", site.url());
  const auto made = http(server.port(), "POST", "/api/meetings", lesson(now_ms() - 60'000, now_ms() + 3'600'000), key.secret);
  REQUIRE(made.status == 201);
  const std::string meeting = made.body["meeting_id"], room = made.body["room_code"];
  {
    WsClient host(server.port(), made.body["host"]["token"]);
    REQUIRE(host.join(room)["type"] == "room:joined");
    WsClient student(server.port(), made.body["participants"][0]["token"]);
    REQUIRE(student.join(room, std::string(made.body["passcode"]))["type"] == "room:joined");
    student.send({{"type", "room:leave"}, {"id", 2}});
    REQUIRE(student.receive_type("ack"));
    REQUIRE(http(server.port(), "DELETE", "/api/meetings/" + meeting, std::nullopt, key.secret).status == 200);
  }
  // started (500, then again), host joined, student joined, student left, host left, ended.
  const auto hooks = site.wait_for(7, std::chrono::milliseconds(15000));
  REQUIRE(hooks.size() == 7);
  std::vector<std::string> types;
  for (const ReceivedHook& hook : hooks) {
    const json body = json::parse(hook.body);
    types.push_back(body["type"]);
    CHECK(hook.headers.at("mehfil-event") == body["type"]);
    CHECK(hook.headers.at("mehfil-delivery") == body["id"]);
    CHECK(body["meeting_id"] == meeting);
    // Mehfil-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
    const std::string signature = hook.headers.at("mehfil-signature");
    const auto comma = signature.find(",v1=");
    REQUIRE(comma != std::string::npos);
    const std::string t = signature.substr(2, comma - 2);
    CHECK(signature.substr(comma + 4) == hmac_hex(key.webhook_secret, t + "." + hook.body));
    CHECK(std::abs(std::stoll(t) - now_ms() / 1000) < 60);
    CHECK(signature.substr(comma + 4) != hmac_hex(key.webhook_secret + "x", t + "." + hook.body));
  }
  CHECK(types == std::vector<std::string>{"meeting.started", "meeting.started", "participant.joined", "participant.joined",
                                          "participant.left", "participant.left", "meeting.ended"});
  CHECK(hooks[0].headers.at("mehfil-delivery") == hooks[1].headers.at("mehfil-delivery"));  // the same delivery, again
  CHECK(json::parse(hooks[2].body)["data"]["id"] == "tutor-7");
  CHECK(json::parse(hooks[3].body)["data"]["id"] == "student-3");
  CHECK(json::parse(hooks[4].body)["data"]["id"] == "student-3");
  CHECK(json::parse(hooks[6].body)["data"]["reason"] == "cancelled");

  const auto events = http(server.port(), "GET", "/api/meetings/" + meeting + "/events", std::nullopt, key.secret);
  REQUIRE(events.status == 200);
  REQUIRE(events.body["events"].size() == 6);
  CHECK(events.body["events"][0]["type"] == "meeting.started");
  CHECK(events.body["events"][0]["attempts"] == 2);
  for (const json& event : events.body["events"]) {
    CHECK(event["state"] == "delivered");
    CHECK(event["last_status"] == 200);
  }
  // A key with no webhook URL still gets the list, its events not sent.
  const Key quiet = make_key(server.db_path(), "quiet-site");
  const auto other = http(server.port(), "POST", "/api/meetings", lesson(now_ms() - 60'000, now_ms() + 3'600'000), quiet.secret);
  WsClient host(server.port(), other.body["host"]["token"]);
  REQUIRE(host.join(other.body["room_code"])["type"] == "room:joined");
  const auto quiet_events = http(server.port(), "GET", "/api/meetings/" + std::string(other.body["meeting_id"]) + "/events",
                                 std::nullopt, quiet.secret);
  REQUIRE(quiet_events.body["events"].size() == 2);
  CHECK(quiet_events.body["events"][1]["state"] == "not_sent");
  CHECK(code_of(http(server.port(), "GET", "/api/meetings/" + meeting + "/events", std::nullopt, quiet.secret)) == "not_found");
}
