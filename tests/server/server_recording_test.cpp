// Recordings on the real server with real ffmpeg (server-stub/recordings.h): chunks uploaded while
// the room records, finished into a seekable WebM, listed, played with Range, deleted; and the
// refusals (authority/recording_rules.h) that leave what is stored untouched.
//
// The WebM uploaded here is made by ffmpeg writing to a pipe, so like MediaRecorder's it has no
// cues (no index to seek with): the finished file having them is the server's doing.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sqlite3.h>

#include "server_fixture.h"

using namespace server_test;

namespace {

namespace fs = std::filesystem;

// `seconds` of a test picture with a tone, VP8 + Opus in WebM, streamed (no duration, no cues).
std::string streamed_webm(int seconds) {
  const fs::path path = scratch_path("streamed-" + std::to_string(seconds) + ".webm");
  shell_output("ffmpeg -nostdin -v error -f lavfi -i testsrc=size=320x240:rate=15 -f lavfi -i sine=frequency=440 -t " +
      std::to_string(seconds) + " -c:v libvpx -b:v 200k -c:a libopus -f webm pipe:1 > " + path.string());
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Whether a WebM has its Cues element (EBML id 1C 53 BB 6B): the index a player seeks with.
bool has_cues(const std::string& bytes) { return bytes.find("\x1C\x53\xBB\x6B") != std::string::npos; }

// ffprobe's duration in seconds of a file's bytes, or "N/A".
std::string probed_duration(const std::string& bytes) {
  const fs::path path = scratch_path("probe.webm");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string out = shell_output("ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 " + path.string());
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

HttpResult put_chunk(unsigned short port, const User& who, const std::string& id, const std::string& segment,
                     std::size_t offset, const std::string& bytes, bool final = false) {
  return http_raw_body(port, "PUT", "/api/recordings/" + id + "/chunks?segment=" + segment + "&offset=" +
                                        std::to_string(offset) + (final ? "&final=1" : ""),
                       bytes, who.token);
}

// The room's recordings as `who` lists them, once the first is no longer being made.
json finished_list(unsigned short port, const User& who, const std::string& code) {
  json list;
  for (int i = 0; i < 300; ++i) {
    list = http(port, "GET", "/api/rooms/" + code + "/recordings", std::nullopt, who.token).body;
    const std::string state = list["recordings"].empty() ? "" : list["recordings"][0]["state"].get<std::string>();
    if (state == "ready" || state == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return list;
}

// Joins `code` on `socket` and starts a recording there: its id.
std::string join_and_record(WsClient& socket, const std::string& code) {
  REQUIRE(socket.join(code)["type"] == "room:joined");
  socket.send({{"type", "recording:start"}});
  return socket.receive_type("room:recording").value()["recording_id"];
}

// Stops the room's recording from `socket`; back once the room says it is off.
void stop_recording(WsClient& socket) {
  socket.send({{"type", "recording:stop"}});
  REQUIRE(socket.receive_type("room:recording").value()["state"] == "off");
}

// On `socket`, in the room it joined: records one finished recording of `webm`. Its id.
std::string record_one(WsClient& socket, unsigned short port, const User& who, const std::string& code, const std::string& webm) {
  socket.send({{"type", "recording:start"}});
  json started;
  do started = socket.receive_type("room:recording").value(); while (started["state"] != "recording");
  const std::string id = started["recording_id"];
  REQUIRE(put_chunk(port, who, id, "s1", 0, webm, true).status == 200);
  socket.send({{"type", "recording:stop"}});
  REQUIRE(finished_list(port, who, code)["recordings"][0]["state"] == "ready");
  return id;
}

}  // namespace

TEST_CASE("A recording uploaded in chunks is finished into a seekable file that the room's members play with Range, and only its host deletes") {
  ServerProcess server;
  const auto port = server.port();
  const User ana = new_user(port, "Ana"), ben = new_user(port, "Ben"), eve = new_user(port, "Eve");
  const std::string code = new_room(port, ana);
  WsClient a(port, ana.token), b(port, ben.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  REQUIRE(b.join(code)["type"] == "room:joined");
  a.send({{"type", "recording:start"}});
  const std::string id = a.receive_type("room:recording").value()["recording_id"];

  const std::string webm = streamed_webm(3);
  REQUIRE(webm.size() > 3000);
  REQUIRE_FALSE(has_cues(webm));  // as MediaRecorder makes it: a player cannot seek in it
  const std::size_t third = webm.size() / 3;
  const std::string first = webm.substr(0, third), second = webm.substr(third, third), last = webm.substr(2 * third);

  CHECK(put_chunk(port, ana, id, "s1", 0, first).body["size"] == third);
  const auto again = put_chunk(port, ana, id, "s1", 0, first);  // a retry after a lost answer
  CHECK(again.status == 200);
  CHECK(again.body["duplicate"] == true);
  const auto gap = put_chunk(port, ana, id, "s1", 2 * third, last);  // the second chunk was lost
  CHECK(gap.status == 409);
  CHECK(gap.body["error"]["code"] == "bad_offset");
  CHECK(gap.body["error"]["size"] == third);  // where to go on from
  CHECK(put_chunk(port, ben, id, "s1", third, second).body["error"]["code"] == "not_recorder");
  CHECK(put_chunk(port, ana, id, "s1", third, second).body["size"] == 2 * third);
  CHECK(put_chunk(port, ana, id, "s1", 2 * third, last, true).body["size"] == webm.size());
  a.send({{"type", "recording:stop"}});

  const json list = finished_list(port, ben, code);
  REQUIRE(list["recordings"].size() == 1);
  const json recording = list["recordings"][0];
  CHECK(recording["state"] == "ready");
  CHECK(recording["recording_id"] == id);
  CHECK(recording["started_by"] == ana.user_id);
  CHECK(recording["duration_ms"].get<int>() == Approx(3000).margin(300));
  CHECK(recording["has_poster"] == true);
  CHECK(http(port, "GET", "/api/rooms/" + code + "/recordings", std::nullopt, eve.token).body["error"]["code"] == "not_member");
  // Your Rooms → Recordings: every room's, with what each may do.
  const json bens = http(port, "GET", "/api/user/recordings", std::nullopt, ben.token).body["recordings"];
  REQUIRE(bens.size() == 1);
  CHECK(bens[0]["recording_id"] == id);
  CHECK(bens[0]["room_name"] == http(port, "GET", "/api/rooms/" + code, std::nullopt, ben.token).body["room_name"]);
  CHECK(bens[0]["can_delete"] == false);
  CHECK(http(port, "GET", "/api/user/recordings", std::nullopt, ana.token).body["recordings"][0]["can_delete"] == true);
  CHECK(http(port, "GET", "/api/user/recordings", std::nullopt, eve.token).body["recordings"].empty());

  // The member plays it: the whole file (with the recording's pass, as a <video> sends no header)...
  const auto whole = http(port, "GET", "/api/recordings/" + id + "?access=" + bens[0]["media_token"].get<std::string>());
  REQUIRE(whole.status == 200);
  CHECK(whole.headers.at("Content-Type") == "video/webm");
  CHECK(whole.raw.size() == recording["size_bytes"].get<std::size_t>());
  CHECK(has_cues(whole.raw));  // seekable now
  CHECK(std::stod(probed_duration(whole.raw)) == Approx(3.0).margin(0.3));
  // ...and a range of it, as a player seeking asks.
  const auto part = http(port, "GET", "/api/recordings/" + id, std::nullopt, ben.token, {{"Range", "bytes=100-199"}});
  CHECK(part.status == 206);
  CHECK(part.headers.at("Content-Range") == "bytes 100-199/" + std::to_string(whole.raw.size()));
  CHECK(part.raw == whole.raw.substr(100, 100));
  const auto past = http(port, "GET", "/api/recordings/" + id, std::nullopt, ben.token, {{"Range", "bytes=99999999-"}});
  CHECK(past.status == 416);
  const auto poster = http(port, "GET", "/api/recordings/" + id + "/poster", std::nullopt, ben.token);
  CHECK(poster.status == 200);
  CHECK(poster.raw.substr(0, 2) == "\xFF\xD8");  // a JPEG
  CHECK(http(port, "GET", "/api/recordings/" + id, std::nullopt, eve.token).body["error"]["code"] == "not_member");
  CHECK(http(port, "GET", "/api/recordings/" + id).status == 401);

  // Finished: more bytes are refused and change nothing.
  CHECK(put_chunk(port, ana, id, "s1", webm.size(), "more").body["error"]["code"] == "recording_stopped");
  CHECK(http(port, "GET", "/api/recordings/" + id, std::nullopt, ben.token).raw == whole.raw);

  CHECK(http(port, "DELETE", "/api/recordings/" + id, std::nullopt, eve.token).body["error"]["code"] == "not_member");
  CHECK(http(port, "DELETE", "/api/recordings/" + id, std::nullopt, ben.token).body["error"]["code"] == "not_host");
  CHECK(http(port, "DELETE", "/api/recordings/" + id, std::nullopt, ana.token).status == 200);
  CHECK(http(port, "GET", "/api/recordings/" + id, std::nullopt, ben.token).status == 404);
  CHECK(http(port, "GET", "/api/rooms/" + code + "/recordings", std::nullopt, ben.token).body["recordings"].empty());
}

TEST_CASE("Chunk uploads that are oversize, malformed or for an unknown recording get clear errors and the connection survives") {
  ServerProcess server;
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  WsClient a(port, ana.token);
  const std::string id = join_and_record(a, code);

  // Refused from its header, before the 8 MB come (so none are sent here).
  const auto huge = http_exchange(port, "PUT /api/recordings/" + id + "/chunks?segment=s1&offset=0 HTTP/1.1\r\n"
                                  "Host: 127.0.0.1\r\nAuthorization: Bearer " + ana.token + "\r\n"
                                  "Content-Length: " + std::to_string(8 * 1024 * 1024 + 1) + "\r\n\r\n");
  REQUIRE(huge);
  CHECK(huge->status == 413);
  CHECK(huge->body["error"]["code"] == "too_large");
  // Anything else is held to the ordinary limit.
  CHECK(http_raw_body(port, "POST", "/api/rooms/create", std::string(100 * 1024, ' '), ana.token).status == 413);
  CHECK(put_chunk(port, ana, code + "-1", "s1", 0, "abc").body["error"]["code"] == "not_found");
  CHECK(put_chunk(port, ana, "../../etc", "s1", 0, "abc").status == 404);
  CHECK(put_chunk(port, ana, id, "..", 0, "abc").body["error"]["code"] == "bad_request");
  CHECK(http_raw_body(port, "PUT", "/api/recordings/" + id + "/chunks?segment=s1", "abc", ana.token).status == 400);
  CHECK(put_chunk(port, ana, id, "s1", 0, "abc").body["size"] == 3);  // nothing above was kept
  a.send({{"type", "ping"}});
  CHECK(a.receive_type("pong").has_value());
}

TEST_CASE("When the recorder's tab dies mid-upload, what arrived is finished into a playable recording") {
  ServerProcess server({"--resume-grace-ms", "300", "--sweep-ms", "100"});
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  auto a = std::make_unique<WsClient>(port, ana.token);
  const std::string id = join_and_record(*a, code);
  const std::string webm = streamed_webm(4);
  const std::size_t cut = webm.size() * 3 / 4;  // the rest never came
  CHECK(put_chunk(port, ana, id, "s1", 0, webm.substr(0, cut)).status == 200);
  a.reset();  // the tab is gone: its place goes after the grace, the recording stops, the finishing grace runs out

  const json list = finished_list(port, ana, code);
  REQUIRE(list["recordings"].size() == 1);
  CHECK(list["recordings"][0]["state"] == "ready");
  const int kept = list["recordings"][0]["duration_ms"];
  CHECK(kept > 1500);
  CHECK(kept < 4000);
  const auto file = http(port, "GET", "/api/recordings/" + id, std::nullopt, ana.token);
  CHECK(std::stod(probed_duration(file.raw)) * 1000 == Approx(kept).margin(100));
}

TEST_CASE("A recorder still uploading after the stop is waited for, and its late chunks are kept") {
  // A busy page sends what it recorded seconds after the room stopped: 6 s, then 12 s after the stop,
  // past the 10 s a dead tab gets, but never 10 s apart.
  ServerProcess server;
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  WsClient a(port, ana.token);
  const std::string id = join_and_record(a, code);
  const std::string webm = streamed_webm(4);
  const std::size_t third = webm.size() / 3;
  CHECK(put_chunk(port, ana, id, "s1", 0, webm.substr(0, third)).status == 200);
  stop_recording(a);
  std::this_thread::sleep_for(std::chrono::seconds(6));
  CHECK(put_chunk(port, ana, id, "s1", third, webm.substr(third, third)).status == 200);
  std::this_thread::sleep_for(std::chrono::seconds(6));
  const auto last = put_chunk(port, ana, id, "s1", 2 * third, webm.substr(2 * third), true);
  CHECK(last.status == 200);  // was 409 recording_stopped: finished 10 s after the stop with a third of it
  const json list = finished_list(port, ana, code);
  REQUIRE(list["recordings"].size() == 1);
  CHECK(list["recordings"][0]["state"] == "ready");
  CHECK(list["recordings"][0]["duration_ms"].get<int>() == Approx(4000).margin(200));
}

TEST_CASE("A recording stopped before its first chunk arrived waits for that chunk and keeps it") {
  // A page busy loading the whiteboard sent its first second only after the host had pressed stop:
  // the server finished at once with "nothing was uploaded" and refused the chunk (409).
  ServerProcess server;
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  WsClient a(port, ana.token);
  const std::string id = join_and_record(a, code);
  stop_recording(a);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string webm = streamed_webm(2);
  CHECK(put_chunk(port, ana, id, "s1", 0, webm, true).status == 200);
  const json list = finished_list(port, ana, code);
  REQUIRE(list["recordings"].size() == 1);
  CHECK(list["recordings"][0]["state"] == "ready");
  CHECK(list["recordings"][0]["duration_ms"].get<int>() == Approx(2000).margin(200));
}

TEST_CASE("A server that stops mid-recording finishes what was uploaded when it starts again") {
  ServerProcess server;
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana);
  std::string id;
  const std::string webm = streamed_webm(3);
  {
    WsClient a(server.port(), ana.token);
    id = join_and_record(a, code);
    CHECK(put_chunk(server.port(), ana, id, "s1", 0, webm.substr(0, webm.size() / 2)).status == 200);
    server.kill_hard();  // mid-recording, nothing told
  }
  server.restart();
  const json list = finished_list(server.port(), ana, code);
  REQUIRE(list["recordings"].size() == 1);
  CHECK(list["recordings"][0]["state"] == "ready");
  CHECK(list["recordings"][0]["duration_ms"].get<int>() > 500);
}

TEST_CASE("A room's recordings may not pass the room's cap: the chunk past it is quota_exceeded and nothing of it is kept") {
  ServerProcess server({"--recording-bytes-per-room", "5000"});
  const User ana = new_user(server.port(), "Ana");
  const std::string code = new_room(server.port(), ana);
  WsClient a(server.port(), ana.token);
  const std::string id = join_and_record(a, code);
  CHECK(put_chunk(server.port(), ana, id, "s1", 0, std::string(4000, 'x')).status == 200);
  const auto over = put_chunk(server.port(), ana, id, "s1", 4000, std::string(2000, 'x'));
  CHECK(over.status == 429);
  CHECK(over.body["error"]["code"] == "quota_exceeded");
  CHECK(put_chunk(server.port(), ana, id, "s1", 4000, std::string(1000, 'x')).body["size"] == 5000);  // up to the cap
}

TEST_CASE("Recordings older than --recording-retention-days are deleted with their files, and newer ones stay") {
  ServerProcess server({"--recording-retention-days", "1", "--sweep-ms", "100"});
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  const std::string webm = streamed_webm(2);
  WsClient a(port, ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  const std::vector<std::string> ids{record_one(a, port, ana, code, webm), record_one(a, port, ana, code, webm)};
  const fs::path files = fs::path(server.db_path()).parent_path() / "recordings";
  REQUIRE(fs::exists(files / (ids[0] + ".webm")));

  // The first was made two days ago, as far as the database knows.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(server.db_path().c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 2000);
  const std::string age = "UPDATE recordings SET started_at = started_at - 2 * 24 * 3600 * 1000 WHERE recording_id = '" + ids[0] + "'";
  CHECK(sqlite3_exec(db, age.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  json list;
  for (int i = 0; i < 100 && (list = finished_list(port, ana, code))["recordings"].size() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(list["recordings"].size() == 1);
  CHECK(list["recordings"][0]["recording_id"] == ids[1]);
  CHECK(http(port, "GET", "/api/recordings/" + ids[0], std::nullopt, ana.token).status == 404);
  CHECK_FALSE(fs::exists(files / (ids[0] + ".webm")));
  CHECK_FALSE(fs::exists(files / (ids[0] + ".jpg")));
  CHECK(http(port, "GET", "/api/recordings/" + ids[1], std::nullopt, ana.token).status == 200);
  CHECK(fs::exists(files / (ids[1] + ".webm")));
}

TEST_CASE("A recording's media_token opens that recording alone, only to read it, and a session token in its URL opens nothing") {
  ServerProcess server;
  const auto port = server.port();
  const User ana = new_user(port, "Ana");
  const std::string code = new_room(port, ana);
  const std::string webm = streamed_webm(2);
  WsClient a(port, ana.token);
  REQUIRE(a.join(code)["type"] == "room:joined");
  const std::string first = record_one(a, port, ana, code, webm);
  const std::string second = record_one(a, port, ana, code, webm);
  json passes;
  const json list = finished_list(port, ana, code);
  for (const json& r : list["recordings"]) passes[r["recording_id"].get<std::string>()] = r["media_token"];
  const std::string pass = passes[first];

  CHECK(http(port, "GET", "/api/recordings/" + first + "?access=" + pass).status == 200);
  CHECK(http(port, "GET", "/api/recordings/" + first + "/poster?access=" + pass).status == 200);
  CHECK(http(port, "GET", "/api/recordings/" + first, std::nullopt, "", {{"Range", "bytes=0-9"}}).status == 401);
  const auto [what, target, method, body_token] = GENERATE_COPY(table<std::string, std::string, std::string, bool>({
      {"the other recording", "/api/recordings/" + second + "?access=" + pass, "GET", false},
      {"a chunk upload", "/api/recordings/" + first + "/chunks?segment=s2&offset=0&access=" + pass, "PUT", false},
      {"a delete", "/api/recordings/" + first + "?access=" + pass, "DELETE", false},
      {"the session's token in the URL", "/api/recordings/" + first + "?token=" + ana.token, "GET", false},
      {"the pass as a session", "/api/user/rooms", "GET", true},
  }));
  INFO(what);
  const auto answer = method == "PUT" ? http_raw_body(port, "PUT", target, "bytes", "")
                                      : http(port, method, target, std::nullopt, body_token ? pass : "");
  CHECK(answer.status == 401);
  CHECK(answer.body["error"]["code"] == "unauthorized");
  CHECK(http(port, "GET", "/api/recordings/" + first, std::nullopt, ana.token).status == 200);  // nothing went
}
