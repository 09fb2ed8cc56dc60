// Reports on the real server and SQLite (server-stub/reports.h): a member reports another, the
// report is stored with the chat before it, the hosts hear of it without the reporter's name, and
// the operator lists and resolves it with an admin key and on the command line; reports of people
// not here, of oneself, with a made-up reason, and too many, are refused; no admin key, no list.
#include <algorithm>
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include "server_fixture.h"

using namespace server_test;

namespace {

std::string code_of(const HttpResult& result) { return result.body["error"].value("code", ""); }

// What `mehfil-server <args>` printed (stdout and stderr).
std::string run(const std::string& args) {
  FILE* pipe = popen((server_binary() + " " + args + " 2>&1").c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  if (pipe) pclose(pipe);
  return output;
}

std::string make_key(const std::string& db, const std::string& name, bool admin) {
  const std::string output = run("keys create --name " + name + " --db " + db + (admin ? " --admin" : ""));
  std::smatch secret;
  std::regex_search(output, secret, std::regex("(mk_[0-9a-f]{8}_[A-Za-z0-9_-]+)"));
  return secret.size() > 1 ? secret[1].str() : "";
}

// The answer to a request with an id: "ack" or the error's code. `before`: the frames that came first.
std::string answer(WsClient& socket, json message, const std::string& id, std::vector<json>* before = nullptr) {
  message["id"] = id;
  socket.send(message);
  for (int i = 0; i < 100; ++i) {  // what the room said meanwhile comes first
    const auto frame = socket.receive();
    if (!frame) return "timeout";
    if (before) before->push_back(*frame);
    if ((*frame)["type"] == "ack" && (*frame).value("id", "") == id) return "ack";
    if ((*frame)["type"] == "error" && (*frame).value("ref", "") == id) return (*frame)["code"].get<std::string>();
  }
  return "none";
}

}  // namespace

TEST_CASE("A report is stored with the chat before it, the hosts hear of it without the reporter's name, the reporter hears it was kept, and the operator lists and resolves it") {
  ServerProcess server;
  const auto port = server.port();
  const User ann = new_user(port, "Ann"), bob = new_user(port, "Bob"), cy = new_user(port, "Cy"), dee = new_user(port, "Dee");
  const std::string code = new_room(port, ann);
  WsClient ann_socket(port, ann.token), bob_socket(port, bob.token), cy_socket(port, cy.token), dee_socket(port, dee.token);
  for (WsClient* socket : {&ann_socket, &bob_socket, &cy_socket}) REQUIRE(socket->join(code)["type"] == "room:joined");

  REQUIRE(answer(bob_socket, {{"type", "chat:send"}, {"text", "buy cheap pills at example.org"}, {"client_msg_id", "c1"}}, "s1") == "ack");
  const auto said = cy_socket.receive_type("chat:message");
  REQUIRE(said);
  const std::string message_id = (*said)["id"];

  const json report = {{"type", "room:report"}, {"target_user_id", bob.user_id}, {"reason", "spam"},
                       {"note", "the same link again"}, {"message_id", message_id}};
  std::vector<json> to_cy;
  REQUIRE(answer(cy_socket, report, "r1", &to_cy) == "ack");
  // The reporter hears that it was kept (the page says "Report sent" only then).
  const auto taken = std::find_if(to_cy.begin(), to_cy.end(), [](const json& f) { return f["type"] == "room:report-taken"; });
  REQUIRE(taken != to_cy.end());
  CHECK((*taken)["target_user_id"] == bob.user_id);
  const auto told = ann_socket.receive_type("room:reported");
  REQUIRE(told);
  CHECK((*told)["target_user_id"] == bob.user_id);
  CHECK((*told)["target_name"] == "Bob");
  CHECK((*told)["reason"] == "spam");
  CHECK(told->dump().find("Cy") == std::string::npos);
  CHECK(told->dump().find(cy.user_id) == std::string::npos);
  CHECK_FALSE(bob_socket.receive_type("room:reported", std::chrono::milliseconds(500)));  // the one reported is not told

  // Refused, and nothing stored: someone not here, oneself, a made-up reason, a long note.
  REQUIRE(dee_socket.join(new_room(port, dee))["type"] == "room:joined");
  to_cy.clear();
  CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", dee.user_id}, {"reason", "spam"}}, "r2", &to_cy) == "not_reportable");
  CHECK(std::none_of(to_cy.begin(), to_cy.end(), [](const json& f) { return f["type"] == "room:report-taken"; }));
  CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", cy.user_id}, {"reason", "spam"}}, "r3") == "not_reportable");
  CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", bob.user_id}, {"reason", "rude"}}, "r4") == "bad_request");
  CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", bob.user_id}, {"reason", "other"}, {"note", std::string(501, 'x')}},
               "r5") == "bad_request");
  // Five in ten minutes, then rate_limited; the socket and the room carry on.
  for (int i = 0; i < 4; ++i) CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", ann.user_id}, {"reason", "other"}}, "f" + std::to_string(i)) == "ack");
  CHECK(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", ann.user_id}, {"reason", "other"}}, "f4") == "rate_limited");
  CHECK(answer(cy_socket, {{"type", "chat:send"}, {"text", "still here"}, {"client_msg_id", "c2"}}, "s2") == "ack");

  // The admin list: no key, a session, a booking site's key are refused; the operator's key reads it.
  const std::string admin = make_key(server.db_path(), "Moderation", true);
  const std::string site = make_key(server.db_path(), "Tutors", false);
  REQUIRE_FALSE(admin.empty());
  CHECK(http(port, "GET", "/api/admin/reports").status == 401);
  CHECK(code_of(http(port, "GET", "/api/admin/reports", std::nullopt, ann.token)) == "not_admin");
  CHECK(code_of(http(port, "GET", "/api/admin/reports", std::nullopt, site)) == "not_admin");
  CHECK(code_of(http(port, "POST", "/api/meetings", json::object(), admin)) == "unauthorized");  // and it makes no meetings
  const auto listed = http(port, "GET", "/api/admin/reports", std::nullopt, admin);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["reports"].size() == 5);
  const json first = listed.body["reports"].back();  // newest first
  CHECK(first["reporter_name"] == "Cy");
  CHECK(first["target_name"] == "Bob");
  CHECK(first["reason"] == "spam");
  CHECK(first["note"] == "the same link again");
  CHECK(first["message_id"] == message_id);
  CHECK(first["room_code"] == code);
  REQUIRE(first["context"].size() == 1);
  CHECK(first["context"][0]["text"] == "buy cheap pills at example.org");

  const std::string id = first["report_id"];
  CHECK(http(port, "POST", "/api/admin/reports/" + id + "/resolve", json{{"note", "warned Bob"}}, admin).status == 200);
  CHECK(code_of(http(port, "POST", "/api/admin/reports/" + id + "/resolve", json::object(), admin)) == "not_found");
  CHECK(http(port, "GET", "/api/admin/reports", std::nullopt, admin).body["reports"].size() == 4);
  const auto all = http(port, "GET", "/api/admin/reports?all=1", std::nullopt, admin);
  REQUIRE(all.body["reports"].size() == 5);
  CHECK(all.body["reports"].back()["resolution"] == "warned Bob");

  // The command line lists the open ones with their chat, and resolves.
  const std::string open = run("reports list --db " + server.db_path());
  CHECK(open.find(id) == std::string::npos);
  const std::string every = run("reports list --all --db " + server.db_path());
  CHECK(every.find(id) != std::string::npos);
  CHECK(every.find("Cy reported Bob (" + bob.user_id + ") for spam") != std::string::npos);
  CHECK(every.find("> Bob: buy cheap pills at example.org") != std::string::npos);
  const std::string other = all.body["reports"][0]["report_id"];
  CHECK(run("reports resolve " + other + " --note done --db " + server.db_path()).find("resolved " + other) != std::string::npos);
  CHECK(http(port, "GET", "/api/admin/reports", std::nullopt, admin).body["reports"].size() == 3);
  CHECK(run("reports resolve nosuch --db " + server.db_path()).find("no open report") != std::string::npos);
}

TEST_CASE("A report of a message far back in the chat is kept with the lines up to it, not the newest ones") {
  ServerProcess server;
  const auto port = server.port();
  const User ann = new_user(port, "Ann"), bob = new_user(port, "Bob"), cy = new_user(port, "Cy");
  const std::string code = new_room(port, ann);
  WsClient ann_socket(port, ann.token), bob_socket(port, bob.token), cy_socket(port, cy.token);
  for (WsClient* socket : {&ann_socket, &bob_socket, &cy_socket}) REQUIRE(socket->join(code)["type"] == "room:joined");

  REQUIRE(answer(bob_socket, {{"type", "chat:send"}, {"text", "before it"}, {"client_msg_id", "b0"}}, "b0") == "ack");
  REQUIRE(answer(bob_socket, {{"type", "chat:send"}, {"text", "the rude one"}, {"client_msg_id", "b1"}}, "b1") == "ack");
  std::string rude_id;
  for (int i = 0; i < 4 && rude_id.empty(); ++i) {
    const auto said = cy_socket.receive_type("chat:message");
    REQUIRE(said);
    if ((*said)["text"] == "the rude one") rude_id = (*said)["id"];
  }
  REQUIRE_FALSE(rude_id.empty());
  for (int i = 0; i < 25; ++i) {  // more than the 20 lines a report keeps
    REQUIRE(answer(ann_socket, {{"type", "chat:send"}, {"text", "later " + std::to_string(i)}, {"client_msg_id", "a" + std::to_string(i)}},
                   "a" + std::to_string(i)) == "ack");
  }
  REQUIRE(answer(cy_socket, {{"type", "room:report"}, {"target_user_id", bob.user_id}, {"reason", "harassment"}, {"message_id", rude_id}}, "r") ==
          "ack");

  const std::string admin = make_key(server.db_path(), "Moderation", true);
  const auto listed = http(port, "GET", "/api/admin/reports", std::nullopt, admin);
  REQUIRE(listed.body["reports"].size() == 1);
  const json context = listed.body["reports"][0]["context"];
  REQUIRE(context.size() == 2);  // all there was up to it
  CHECK(context[0]["text"] == "before it");
  CHECK(context[1]["message_id"] == rude_id);
  CHECK(context[1]["text"] == "the rude one");
}
