// The profile on the real server with real ffmpeg and SQLite (server-stub/profiles.h): a new name
// that every device joins under, a picture re-made as a small WebP and served to anyone, pictures
// that are not pictures refused with the old one kept, and the room history with its times.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "server_fixture.h"

using namespace server_test;

namespace {

namespace fs = std::filesystem;
constexpr const char* kPassword = "violet-kettle-drum-42";

struct Account {
  std::string user_id;
  std::string token;
};

Account register_account(unsigned short port, const std::string& email, const std::string& name,
                         const std::string& guest_token = {}) {
  const auto result = http(port, "POST", "/api/auth/register",
                           json{{"email", email}, {"display_name", name}, {"password", kPassword}}, guest_token);
  REQUIRE(result.status == 201);
  return {result.body["user_id"], result.body["token"]};
}

std::string login(unsigned short port, const std::string& email) {
  const auto result = http(port, "POST", "/api/auth/login", json{{"email", email}, {"password", kPassword}});
  REQUIRE(result.status == 200);
  return result.body["token"];
}

std::string code_of(const HttpResult& result) { return result.body["error"].value("code", ""); }




HttpResult put_avatar(unsigned short port, const std::string& token, const std::string& bytes) {
  return http_raw_body(port, "PUT", "/api/profile/avatar", bytes, token);
}

}  // namespace

TEST_CASE("A new display name is what the account's other devices join rooms under, and a guest keeps theirs") {
  ServerProcess server;
  const auto port = server.port();
  const Account ann = register_account(port, "ann@example.org", "Ann");
  const std::string phone = login(port, "ann@example.org");  // minted while she was still "Ann"
  WsClient open_before(port, phone);  // the home page's socket, open through the rename

  const auto renamed = http(port, "PATCH", "/api/profile", json{{"display_name", "  Ann Lee  "}}, ann.token);
  REQUIRE(renamed.status == 200);
  CHECK(renamed.body["display_name"] == "Ann Lee");
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, phone).body["display_name"] == "Ann Lee");
  const std::string code = new_room(port, {ann.user_id, "Ann Lee", phone});
  WsClient socket(port, phone);
  const json joined = socket.join(code);
  REQUIRE(joined["type"] == "room:joined");
  CHECK(joined["self"]["display_name"] == "Ann Lee");  // was "Ann": the name in the phone's token
  // The socket opened before the rename acts under the new name, and never writes the old one back.
  const json joined_early = open_before.join(new_room(port, {ann.user_id, "Ann Lee", phone}));
  REQUIRE(joined_early["type"] == "room:joined");
  CHECK(joined_early["self"]["display_name"] == "Ann Lee");
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["display_name"] == "Ann Lee");

  for (const json& bad : {json{{"display_name", ""}}, json{{"display_name", std::string(65, 'x')}},
                          json{{"display_name", "Ann\u202Eeel"}}, json{{"display_name", 7}}, json::object()}) {
    CHECK(code_of(http(port, "PATCH", "/api/profile", bad, ann.token)) == "bad_request");
  }
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["display_name"] == "Ann Lee");

  const User guest = new_user(port, "Gus");
  const auto refused = http(port, "PATCH", "/api/profile", json{{"display_name", "Gustav"}}, guest.token);
  CHECK(refused.status == 403);
  CHECK(code_of(refused) == "account_required");
  CHECK(code_of(put_avatar(port, guest.token, picture("guest.png", "64x64"))) == "account_required");
  CHECK(code_of(http(port, "PATCH", "/api/profile", json{{"display_name", "X"}})) == "unauthorized");
}

TEST_CASE("An uploaded picture is re-made as a 256x256 WebP without its metadata, served to anyone, and removed for the initials") {
  ServerProcess server;
  const auto port = server.port();
  const Account ann = register_account(port, "ann@example.org", "Ann");
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["avatar_url"].is_null());

  // A wide JPEG with a comment where a camera puts the place it was taken.
  const std::string photo = picture("photo.jpg", "1200x800", "-metadata comment=GPS-51.5N-0.12W");
  REQUIRE(probed(photo) == "mjpeg,1200,800");
  const auto uploaded = put_avatar(port, ann.token, photo);
  REQUIRE(uploaded.status == 200);
  const std::string url = uploaded.body["avatar_url"];
  CHECK(url.starts_with("/api/avatars/" + ann.user_id + "?v="));
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["avatar_url"] == url);

  const auto served = http(port, "GET", url);  // no token: an <img> sends none
  REQUIRE(served.status == 200);
  CHECK(served.headers.at("Content-Type") == "image/webp");
  CHECK(served.headers.at("Cache-Control") == "public, max-age=31536000, immutable");  // this version never changes
  CHECK(probed(served.raw) == "webp,256,256");
  CHECK(served.raw.size() < 40'000);
  CHECK(served.raw.find("GPS-51.5N") == std::string::npos);

  // A PNG replaces it, under a new version.
  const auto again = put_avatar(port, ann.token, picture("square.png", "300x300"));
  REQUIRE(again.status == 200);
  CHECK(again.body["avatar_url"] != url);
  CHECK(probed(http(port, "GET", again.body["avatar_url"]).raw) == "webp,256,256");
  const auto old_address = http(port, "GET", url);  // the picture of now, and not to be kept
  CHECK(old_address.raw != served.raw);
  CHECK(old_address.headers.at("Cache-Control") == "private, no-store");

  const auto removed = http(port, "DELETE", "/api/profile/avatar", std::nullopt, ann.token);
  CHECK(removed.status == 200);
  CHECK(removed.body["avatar_url"].is_null());
  CHECK(http(port, "GET", url).status == 404);
  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["avatar_url"].is_null());
  CHECK(code_of(http(port, "GET", "/api/avatars/../../mehfil.db")) == "not_found");
}

TEST_CASE("Uploads that are not pictures get bad_image, one too big too_large, and the picture before stays") {
  ServerProcess server;
  const auto port = server.port();
  const Account ann = register_account(port, "ann@example.org", "Ann");
  const auto first = put_avatar(port, ann.token, picture("first.png", "200x200"));
  REQUIRE(first.status == 200);
  const std::string url = first.body["avatar_url"];
  const std::string before = http(port, "GET", url).raw;
  REQUIRE(!before.empty());

  std::string png_header_then_garbage = picture("cut.png", "200x200").substr(0, 40);
  png_header_then_garbage += std::string(2000, '\x7f');
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>";
  // 8000×6000: 48 million pixels in a few kilobytes, past what the decoder is let to open.
  const std::string enormous = picture("enormous.png", "8000x6000", "-vf format=gray");
  REQUIRE(enormous.size() < 1024 * 1024);
  for (const auto& [what, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"text", "hello, I am a picture"}, {"nothing", ""}, {"an SVG", svg},
           {"a PNG's header with noise after it", png_header_then_garbage}, {"48 megapixels", enormous}}) {
    INFO(what);
    const auto refused = put_avatar(port, ann.token, bytes);
    CHECK(refused.status == 400);
    CHECK(code_of(refused) == "bad_image");
  }
  const auto huge = http_exchange(port, "PUT /api/profile/avatar HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                            ann.token + "\r\nContent-Length: " + std::to_string(6 * 1024 * 1024) + "\r\n\r\n");
  REQUIRE(huge);
  CHECK(huge->status == 413);
  CHECK(huge->body["error"]["code"] == "too_large");

  CHECK(http(port, "GET", "/api/auth/me", std::nullopt, ann.token).body["avatar_url"] == url);
  CHECK(http(port, "GET", url).raw == before);
}

TEST_CASE("The room history lists the rooms someone made and was in, with when and for how long") {
  ServerProcess server;
  const auto port = server.port();
  const Account ann = register_account(port, "ann@example.org", "Ann");
  const Account bo = register_account(port, "bo@example.org", "Bo");
  const std::string talk = new_room(port, {ann.user_id, "Ann", ann.token}, json{{"room_name", "Tuesday talk"}});
  const std::string unused = new_room(port, {ann.user_id, "Ann", ann.token}, json{{"room_name", "Never used"}});

  WsClient a(port, ann.token);
  REQUIRE(a.join(talk)["type"] == "room:joined");
  for (int stay = 0; stay < 2; ++stay) {  // Bo comes twice, 1.2 s each time
    WsClient b(port, bo.token);
    REQUIRE(b.join(talk)["type"] == "room:joined");
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    b.send({{"type", "room:leave"}, {"id", 1}});
    REQUIRE(b.receive_type("ack").has_value());
  }

  const auto bos = http(port, "GET", "/api/profile/history", std::nullopt, bo.token);
  REQUIRE(bos.status == 200);
  REQUIRE(bos.body["rooms"].size() == 1);
  const json& visit = bos.body["rooms"][0];
  CHECK(visit["room_code"] == talk);
  CHECK(visit["room_name"] == "Tuesday talk");
  CHECK(visit["kind"] == "room");
  CHECK(visit["created"] == false);
  CHECK(visit["in_room_now"] == false);
  CHECK(visit["time_in_room_ms"].get<std::int64_t>() >= 2400);
  CHECK(visit["time_in_room_ms"].get<std::int64_t>() < 4000);
  CHECK(visit["first_joined_at"].get<std::int64_t>() < visit["last_joined_at"].get<std::int64_t>());
  CHECK(visit["left_at"].get<std::int64_t>() > visit["last_joined_at"].get<std::int64_t>());

  const auto anns = http(port, "GET", "/api/profile/history", std::nullopt, ann.token);
  REQUIRE(anns.body["rooms"].size() == 2);
  json by_code;
  for (const json& room : anns.body["rooms"]) by_code[room["room_code"].get<std::string>()] = room;
  CHECK(by_code[talk]["created"] == true);
  CHECK(by_code[talk]["in_room_now"] == true);  // her stay so far counts
  CHECK(by_code[talk]["time_in_room_ms"].get<std::int64_t>() >= 2400);
  CHECK(by_code[talk]["left_at"].is_null());
  CHECK(by_code[unused]["created"] == true);
  CHECK(by_code[unused]["first_joined_at"].is_null());
  CHECK(by_code[unused]["time_in_room_ms"] == 0);

  // A guest who registers keeps their history.
  const User guest = new_user(port, "Cy");
  WsClient c(port, guest.token);
  REQUIRE(c.join(talk)["type"] == "room:joined");
  const Account cy = register_account(port, "cy@example.org", "Cy", guest.token);
  CHECK(cy.user_id == guest.user_id);
  const auto cys = http(port, "GET", "/api/profile/history", std::nullopt, cy.token);
  REQUIRE(cys.body["rooms"].size() == 1);
  CHECK(cys.body["rooms"][0]["in_room_now"] == true);
}
