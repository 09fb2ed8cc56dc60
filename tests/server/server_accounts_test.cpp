// Accounts on the real server (accounts.h): registering with a verification mail read from a real
// SMTP server on loopback, signing in on a second device, the session list, revoking a session (its
// open socket closes) and logging out everywhere, refresh-token rotation and reuse, password reset by
// email, a guest who registers keeping their things, and the limits on guessing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "account_rules.h"
#include "server_fixture.h"
#include "smtp_sink.h"

using namespace server_test;

namespace {

constexpr const char* kPassword = "violet-kettle-drum-42";
constexpr const char* kLaptop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
constexpr const char* kPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";

HttpResult register_account(unsigned short port, const std::string& email, const std::string& name,
                            const std::string& password = kPassword, const std::string& guest_token = {}) {
  return http(port, "POST", "/api/auth/register", json{{"email", email}, {"display_name", name}, {"password", password}},
              guest_token, {{"User-Agent", kLaptop}});
}

HttpResult login(unsigned short port, const std::string& email, const std::string& password = kPassword,
                 const std::string& agent = kPhone) {
  return http(port, "POST", "/api/auth/login", json{{"email", email}, {"password", password}}, {}, {{"User-Agent", agent}});
}

std::string code_of(const HttpResult& result) { return result.body["error"].value("code", ""); }

}  // namespace

TEST_CASE("Someone registers, confirms their address from the mail a real SMTP server got, and signs in on a second device") {
  SmtpSink smtp;
  ServerProcess server({"--smtp-url", smtp.url(), "--mail-from", "no-reply@mehfil.test"});
  const auto registered = register_account(server.port(), "Ann.Lee@Example.org", "Ann Lee");
  REQUIRE(registered.status == 201);
  CHECK(registered.body["email"] == "ann.lee@example.org");
  CHECK(registered.body["email_verified"] == false);
  const std::string laptop = registered.body["token"];
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, laptop).body["email_verified"] == false);

  const auto mail = smtp.wait_for("ann.lee@example.org", "Confirm your email address");
  REQUIRE(mail);
  CHECK(mail->find("From: Mehfil <no-reply@mehfil.test>") != std::string::npos);
  CHECK(mail->find("Hi Ann Lee,") != std::string::npos);
  const std::string token = link_token(*mail, "verify");
  REQUIRE(token.size() >= 40);
  CHECK(http(server.port(), "POST", "/api/auth/verify", json{{"token", token}}).status == 200);
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, laptop).body["email_verified"] == true);
  CHECK(code_of(http(server.port(), "POST", "/api/auth/verify", json{{"token", token}})) == "invalid_link");

  const auto phone = login(server.port(), "ann.lee@example.org");
  REQUIRE(phone.status == 200);
  CHECK(phone.body["user_id"] == registered.body["user_id"]);
  CHECK(phone.body["email_verified"] == true);
  const auto sessions = http(server.port(), "GET", "/api/auth/sessions", std::nullopt, phone.body["token"]);
  REQUIRE(sessions.status == 200);
  REQUIRE(sessions.body["sessions"].size() == 2);
  std::vector<std::string> devices;
  for (const json& s : sessions.body["sessions"]) {
    devices.push_back(s["device"]);
    CHECK(s["address"] == "127.0.0.1");
    CHECK(s["current"] == (s["session_id"] == phone.body["session_id"]));
  }
  std::sort(devices.begin(), devices.end());
  CHECK(devices == std::vector<std::string>{"Chrome on Linux", "Safari on iPhone"});
}

TEST_CASE("Revoking a session refuses its tokens at once and closes its open socket, and Log out everywhere ends the rest") {
  ServerProcess server;
  REQUIRE(register_account(server.port(), "bela@example.org", "Bela").status == 201);
  const auto laptop = login(server.port(), "bela@example.org", kPassword, kLaptop);
  const auto phone = login(server.port(), "bela@example.org");
  REQUIRE(laptop.status == 200);
  REQUIRE(phone.status == 200);
  const User host = new_user(server.port(), "Host");
  const std::string room = new_room(server.port(), host);

  WsClient laptop_socket(server.port(), laptop.body["token"]);
  REQUIRE(laptop_socket.join(room)["type"] == "room:joined");
  WsClient phone_socket(server.port(), phone.body["token"]);

  // From the phone, end the laptop's session.
  const std::string laptop_session = laptop.body["session_id"];
  REQUIRE(http(server.port(), "DELETE", "/api/auth/sessions/" + laptop_session, std::nullopt, phone.body["token"]).status == 200);
  const auto told = laptop_socket.receive_type("error");
  REQUIRE(told);
  CHECK((*told)["code"] == "session_revoked");
  CHECK_FALSE(laptop_socket.receive(std::chrono::milliseconds(2000)));
  CHECK(laptop_socket.closed());
  REQUIRE(laptop_socket.close_reason());
  CHECK(std::string(laptop_socket.close_reason()->reason) == "session_revoked");
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, laptop.body["token"]).status == 401);
  CHECK_THROWS(WsClient(server.port(), laptop.body["token"]));
  CHECK(code_of(http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", laptop.body["refresh_token"]}})) ==
        "session_revoked");
  // The host's room saw the laptop leave like any dropped member; the phone's socket is untouched.
  phone_socket.send({{"type", "ping"}, {"id", 1}});
  CHECK_FALSE(phone_socket.closed());
  CHECK(http(server.port(), "GET", "/api/auth/sessions", std::nullopt, phone.body["token"]).body["sessions"].size() == 2);
  CHECK(code_of(http(server.port(), "DELETE", "/api/auth/sessions/" + laptop_session, std::nullopt, phone.body["token"])) == "not_found");

  // Someone else's session is not theirs to end.
  REQUIRE(register_account(server.port(), "cy@example.org", "Cy").status == 201);
  const auto cy = login(server.port(), "cy@example.org");
  CHECK(code_of(http(server.port(), "DELETE", "/api/auth/sessions/" + std::string(phone.body["session_id"]), std::nullopt,
                     cy.body["token"])) == "not_found");

  const auto everywhere = http(server.port(), "POST", "/api/auth/logout-all", std::nullopt, phone.body["token"]);
  REQUIRE(everywhere.status == 200);
  CHECK(everywhere.body["revoked"] == 2);  // the phone and the registration's own session
  CHECK(phone_socket.receive_type("error").value()["code"] == "session_revoked");
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, phone.body["token"]).status == 401);
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, cy.body["token"]).status == 200);
}

TEST_CASE("Refresh tokens rotate: each works once, a lost reply's is taken within the grace, and a stale copy ends the session") {
  ServerProcess server;
  const auto account = register_account(server.port(), "dee@example.org", "Dee");
  REQUIRE(account.status == 201);
  const std::string first = account.body["refresh_token"];
  // A made-up secret for the real session id (readable in any access token) is refused and ends
  // nothing: only a token the session itself issued and traded in does.
  const std::string session_id = account.body["session_id"];
  CHECK(code_of(http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", session_id + ".guessed"}})) ==
        "session_revoked");
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, account.body["token"]).status == 200);
  const auto second = http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", first}});
  REQUIRE(second.status == 200);
  CHECK(second.body["refresh_token"] != first);
  CHECK(second.body["session_id"] == account.body["session_id"]);
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, second.body["token"]).status == 200);
  const auto third = http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", second.body["refresh_token"]}});
  REQUIRE(third.status == 200);
  // The reply carrying `third` was lost: `second` (the one before) works again, once, within a minute.
  const auto again = http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", second.body["refresh_token"]}});
  REQUIRE(again.status == 200);
  // `first` is two rotations old: someone copied it. The whole session ends.
  CHECK(code_of(http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", first}})) == "session_revoked");
  CHECK(code_of(http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", again.body["refresh_token"]}})) ==
        "session_revoked");
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, again.body["token"]).status == 401);
  CHECK(server.log_text().find("used refresh token") != std::string::npos);
  // Made-up refresh tokens are refused the same way.
  for (const char* made_up : {"", "nodot", "s123.abc", "../../etc.x", "s\x01.y"}) {
    const auto result = http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", made_up}});
    CHECK(result.status == (std::string(made_up).empty() ? 400u : 401u));
  }
}

TEST_CASE("Tokens of the wrong shape are refused and the server answers every one of them") {
  ServerProcess server;
  const User user = new_user(server.port(), "Tess");
  // {"alg":1} as the header; bytes outside base64url; four parts; a header that is not JSON.
  for (const std::string token : {"eyJhbGciOjF9.e30.c2ln", "eyJhbGciOiJIUzI1NiJ9.\xff\xfe.c2ln", "a.b.c.d",
                                  "bm90IGpzb24.e30.c2ln", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}) {
    CAPTURE(token);
    CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, token).status == 401);
    CHECK_THROWS(WsClient(server.port(), token));
  }
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, user.token).status == 200);
  WsClient socket(server.port(), user.token);
  const std::string room = new_room(server.port(), user);
  REQUIRE(socket.join(room)["type"] == "room:joined");
  socket.send({{"type", "room:join"}, {"room_code", room}, {"resume_token", "eyJhbGciOjF9.e30.c2ln"}, {"id", 9}});
  CHECK(socket.receive_type("ack", std::chrono::milliseconds(3000)));
}

TEST_CASE("An access token expires after --access-token-seconds and a refresh brings a new one") {
  ServerProcess server({"--access-token-seconds", "1"});
  const auto account = register_account(server.port(), "eve@example.org", "Eve");
  REQUIRE(account.status == 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, account.body["token"]).status == 401);
  const auto fresh = http(server.port(), "POST", "/api/auth/refresh", json{{"refresh_token", account.body["refresh_token"]}});
  REQUIRE(fresh.status == 200);
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, fresh.body["token"]).status == 200);
}

TEST_CASE("A password reset by mail sets the new password, ends every session, and its link works once") {
  SmtpSink smtp;
  ServerProcess server({"--smtp-url", smtp.url()});
  REQUIRE(register_account(server.port(), "fay@example.org", "Fay").status == 201);
  const auto signed_in = login(server.port(), "fay@example.org");
  WsClient socket(server.port(), signed_in.body["token"]);

  // Known or not, the answer is the same, and only the account's address gets mail.
  const auto asked = http(server.port(), "POST", "/api/auth/reset-request", json{{"email", "FAY@example.org"}});
  const auto unknown = http(server.port(), "POST", "/api/auth/reset-request", json{{"email", "nobody@example.org"}});
  CHECK(asked.status == 202);
  CHECK(unknown.status == 202);
  CHECK(asked.body == unknown.body);
  const auto mail = smtp.wait_for("fay@example.org", "Reset your Mehfil password");
  REQUIRE(mail);
  CHECK_FALSE(smtp.wait_for("nobody@example.org", "", std::chrono::milliseconds(500)));
  const std::string token = link_token(*mail, "reset");
  REQUIRE_FALSE(token.empty());

  // A weak new password is refused and the link still works.
  CHECK(code_of(http(server.port(), "POST", "/api/auth/reset", json{{"token", token}, {"password", "password123"}})) ==
        "weak_password");
  const std::string fresh = "amber-lantern-ocean-7";
  REQUIRE(http(server.port(), "POST", "/api/auth/reset", json{{"token", token}, {"password", fresh}}).status == 200);
  CHECK(socket.receive_type("error").value()["code"] == "session_revoked");
  CHECK(http(server.port(), "GET", "/api/auth/me", std::nullopt, signed_in.body["token"]).status == 401);
  CHECK(code_of(login(server.port(), "fay@example.org")) == "invalid_credentials");
  const auto after = login(server.port(), "fay@example.org", fresh);
  REQUIRE(after.status == 200);
  CHECK(after.body["email_verified"] == true);  // the mail reached them
  CHECK(code_of(http(server.port(), "POST", "/api/auth/reset", json{{"token", token}, {"password", "another-lantern-9x"}})) ==
        "invalid_link");
  CHECK(code_of(http(server.port(), "POST", "/api/auth/reset", json{{"token", "made-up"}, {"password", fresh}})) == "invalid_link");
}

TEST_CASE("A guest who registers keeps their user id, rooms and friends, and their guest token stops working") {
  ServerProcess server;
  const User guest = new_user(server.port(), "Gus");
  const User pal = new_user(server.port(), "Pal");
  const std::string room = new_room(server.port(), guest);
  {
    WsClient a(server.port(), guest.token), b(server.port(), pal.token);  // friends meet in a call first
    REQUIRE(a.join(room)["type"] == "room:joined");
    REQUIRE(b.join(room)["type"] == "room:joined");
    REQUIRE(make_friends(server.port(), guest, pal));
  }
  const auto account = register_account(server.port(), "gus@example.org", "Gus", kPassword, guest.token);
  REQUIRE(account.status == 201);
  CHECK(account.body["user_id"] == guest.user_id);
  const std::string token = account.body["token"];
  const auto rooms = http(server.port(), "GET", "/api/user/rooms", std::nullopt, token);
  REQUIRE(rooms.status == 200);
  REQUIRE(rooms.body["created"].size() == 1);
  CHECK(rooms.body["created"][0]["room_code"] == room);
  const auto friends = http(server.port(), "GET", "/api/friends", std::nullopt, token);
  REQUIRE(friends.body["friends"].size() == 1);
  CHECK(friends.body["friends"][0]["user_id"] == pal.user_id);
  // The account's sessions rule now: the old guest token is refused, on REST and on /ws.
  CHECK(http(server.port(), "GET", "/api/user/rooms", std::nullopt, guest.token).status == 401);
  CHECK_THROWS(WsClient(server.port(), guest.token));
  // Another guest registering gets an id of their own; nobody can take over an account's id.
  const auto other = register_account(server.port(), "pal@example.org", "Pal", kPassword, pal.token);
  CHECK(other.body["user_id"] == pal.user_id);
  const auto third = register_account(server.port(), "third@example.org", "Third", kPassword, token);
  CHECK(third.body["user_id"] != guest.user_id);
}

TEST_CASE("Guessing passwords is rate_limited per account and per address, and an unknown email reads like a wrong password") {
  ServerProcess server({"--login-failures-per-account", "3", "--logins-per-10-minutes", "8"});
  REQUIRE(register_account(server.port(), "hal@example.org", "Hal").status == 201);
  const auto wrong = login(server.port(), "hal@example.org", "not-the-password");
  const auto unknown = login(server.port(), "nobody@example.org", "not-the-password");
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(wrong.body == unknown.body);
  CHECK(code_of(wrong) == "invalid_credentials");
  CHECK(login(server.port(), "hal@example.org", "still-wrong").status == 401);
  CHECK(login(server.port(), "hal@example.org", "wrong-again").status == 401);
  // Three wrong for this account: even the right password waits now.
  const auto blocked = login(server.port(), "hal@example.org");
  CHECK(code_of(blocked) == "rate_limited");
  CHECK(blocked.status == 429);
  CHECK(std::stoi(blocked.headers.at("Retry-After")) >= 1);
  // Per address: 8 logins in ten minutes whatever the accounts (5 used above, the blocked one too).
  for (int i = 0; i < 3; ++i) CHECK(login(server.port(), "other" + std::to_string(i) + "@example.org", "x-y-z-1-2-3").status == 401);
  CHECK(code_of(login(server.port(), "fresh@example.org", "x-y-z-1-2-3")) == "rate_limited");
}

TEST_CASE("Registration refuses bad input with its own code and keeps nothing") {
  ServerProcess server({"--registrations-per-hour", "3"});
  using Row = std::tuple<json, unsigned, std::string>;
  const auto [body, status, code] = GENERATE(table<json, unsigned, std::string>({
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", "password1"}}, 400, "weak_password"},
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", "short1!"}}, 400, "weak_password"},
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", "ivy-example-ivy"}}, 400, "weak_password"},
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", std::string(129, 'k') + "9"}}, 400, "weak_password"},
      Row{{{"email", "not-an-address"}, {"display_name", "Ivy"}, {"password", kPassword}}, 400, "bad_request"},
      Row{{{"email", "ivy@example.org\r\nBcc: x@y.z"}, {"display_name", "Ivy"}, {"password", kPassword}}, 400, "bad_request"},
      Row{{{"email", "ivy@example.org"}, {"display_name", ""}, {"password", kPassword}}, 400, "bad_request"},
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", 12345678}}, 400, "bad_request"},
      Row{{{"email", "ivy@example.org"}, {"password", kPassword}}, 400, "bad_request"},
      Row{{{"email", "ivy@example.org"}, {"display_name", "Ivy"}, {"password", std::string(600, 'x')}}, 413, "too_large"},
  }));
  CAPTURE(body);
  const auto result = http(server.port(), "POST", "/api/auth/register", body);
  CHECK(result.status == status);
  CHECK(code_of(result) == code);
  CHECK(code_of(login(server.port(), "ivy@example.org")) == "invalid_credentials");
}

TEST_CASE("An address already registered is email_taken in any letter case, and registrations per address are limited") {
  ServerProcess server({"--registrations-per-hour", "3"});  // a taken address counts too: it is one guess
  REQUIRE(register_account(server.port(), "jo@example.org", "Jo").status == 201);
  const auto again = register_account(server.port(), "JO@Example.ORG", "Jo Two");
  CHECK(again.status == 409);
  CHECK(code_of(again) == "email_taken");
  REQUIRE(register_account(server.port(), "kim@example.org", "Kim").status == 201);
  CHECK(code_of(register_account(server.port(), "lou@example.org", "Lou")) == "rate_limited");
}

TEST_CASE("Without --smtp-url accounts work unverified and the log says why no mail goes out") {
  ServerProcess server;
  const auto account = register_account(server.port(), "max@example.org", "Max");
  REQUIRE(account.status == 201);
  CHECK(account.body["email_verified"] == false);
  CHECK(login(server.port(), "max@example.org").status == 200);
  CHECK(server.log_text().find("no --smtp-url") != std::string::npos);
}

TEST_CASE("Account rules: email addresses and passwords") {
  using mehfil::server::normalized_email;
  using mehfil::server::password_problem;
  CHECK(normalized_email("  Ann@Example.ORG ") == "ann@example.org");
  for (const char* bad : {"", "a@b", "@example.org", "ann@", "ann@example.", "a b@example.org", "ann@@example.org",
                          "ann@exa\nmple.org"}) {
    CAPTURE(bad);
    CHECK_FALSE(normalized_email(bad));
  }
  for (const char* common : {"password", "password1", "12345678", "qwertyuiop", "iloveyou1", "Password123!", "letmein2024",
                             "monkey123", "Summer2023!", "aaaaaaaaaaaa"}) {
    CAPTURE(common);
    CHECK(password_problem(common, "zed@example.org", "Zed"));
  }
  for (const char* good : {"correct horse battery", "Tr0ub4dor&3", "violet-kettle-drum-42", "q8#Lm2!x"}) {
    CAPTURE(good);
    CHECK_FALSE(password_problem(good, "zed@example.org", "Zed"));
  }
  // Their own details are what an attacker tries first.
  CHECK_FALSE(password_problem("zorbulaxquintrel", "zed@example.org", "Zed"));
  CHECK(password_problem("zorbulaxquintrel", "zorbulax@example.org", "Zorbulax Quintrel"));
}
