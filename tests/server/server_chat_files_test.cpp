// Files in chat on the real server with real ffmpeg and SQLite (server-stub/chat_files.h): a picture
// re-made and told to the room as a message, served to members only; a document served as a
// download under its name; bytes that are not their type, programs, web pages, bad names and big
// files refused with nothing kept; the budget per person; and the files gone when the room ends.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "server_fixture.h"

using namespace server_test;

namespace {

namespace fs = std::filesystem;

std::string code_of(const HttpResult& result) { return result.body["error"].value("code", ""); }




// POST /api/rooms/CODE/files with `bytes`; `name` goes as it is (already percent-encoded).
HttpResult share(unsigned short port, const User& user, const std::string& code, const std::string& name,
                 const std::string& type, const std::string& bytes, const std::string& draft = "d1") {
  return http_raw_body(port, "POST", "/api/rooms/" + code + "/files?name=" + name + "&client_msg_id=" + draft, bytes, user.token,
                       {{"Content-Type", type}});
}

fs::path files_of(const ServerProcess& server, const std::string& code) {
  return fs::path(server.db_path()).parent_path() / "chat-files" / code;
}

std::size_t count_files(const fs::path& folder) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

// The chat history a newcomer gets, as its messages.
std::vector<json> history_of(unsigned short port, const std::string& code) {
  const User late = new_user(port, "Late");
  WsClient socket(port, late.token);
  REQUIRE(socket.join(code)["type"] == "room:joined");
  std::vector<json> messages;
  while (auto frame = socket.receive(std::chrono::milliseconds(400))) {
    if ((*frame)["type"] == "chat:message") messages.push_back(*frame);
  }
  return messages;
}

}  // namespace

TEST_CASE("A picture shared in chat is re-made as a WebP without its metadata, told to the room with a thumbnail, and served to its members only") {
  ServerProcess server;
  const auto port = server.port();
  const User ann = new_user(port, "Ann"), bob = new_user(port, "Bob"), eve = new_user(port, "Eve");
  const std::string code = new_room(port, ann);
  WsClient ann_socket(port, ann.token), bob_socket(port, bob.token);
  REQUIRE(ann_socket.join(code)["type"] == "room:joined");
  REQUIRE(bob_socket.join(code)["type"] == "room:joined");

  const std::string photo = picture("photo.jpg", "1200x800", "-metadata comment=GPS-51.5N-0.12W");
  const auto shared = share(port, ann, code, "Holiday%20photo.jpg", "image/jpeg", photo, "draft-7");
  REQUIRE(shared.status == 200);
  const json file = shared.body["file"];
  CHECK(file["image"] == true);
  CHECK(file["content_type"] == "image/webp");
  CHECK(file["name"] == "Holiday photo.webp");  // what it is now
  CHECK(file["width"] == 1200);
  CHECK(file["height"] == 800);

  const auto told = bob_socket.receive_type("chat:message");
  REQUIRE(told);
  CHECK((*told)["from_user_id"] == ann.user_id);
  CHECK((*told)["text"] == "");
  CHECK((*told)["client_msg_id"] == "draft-7");
  CHECK((*told)["file"] == file);

  const std::string address = "/api/rooms/" + code + "/files/" + file["file_id"].get<std::string>();
  const auto served = http(port, "GET", address, std::nullopt, bob.token);
  REQUIRE(served.status == 200);
  CHECK(served.headers.at("Content-Type") == "image/webp");
  CHECK(served.headers.at("Content-Disposition").starts_with("inline; filename=\"Holiday photo.webp\""));
  CHECK(probed(served.raw) == "webp,1200,800");
  CHECK(served.raw.find("GPS-51.5N") == std::string::npos);
  CHECK(static_cast<std::int64_t>(served.raw.size()) == file["size"].get<std::int64_t>());
  const auto thumbnail = http(port, "GET", address + "/thumbnail", std::nullopt, bob.token);
  REQUIRE(thumbnail.status == 200);
  CHECK(probed(thumbnail.raw) == "webp,320,213");

  // Someone not in the room, no token, another room's id, a made-up id.
  const auto stranger = http(port, "GET", address, std::nullopt, eve.token);
  CHECK(stranger.status == 403);
  CHECK(code_of(stranger) == "not_member");
  CHECK(http(port, "GET", address).status == 401);
  CHECK(code_of(http(port, "GET", "/api/rooms/" + code + "/files/fNOSUCHFILE", std::nullopt, bob.token)) == "not_found");
  CHECK(code_of(share(port, eve, code, "x.png", "image/png", picture("eve.png", "32x32"))) == "not_in_room");

  // A newcomer finds it in the history; someone who leaves may no longer fetch it.
  const auto history = history_of(port, code);
  REQUIRE(history.size() == 1);
  CHECK(history[0]["file"] == file);
  bob_socket.send({{"type", "room:leave"}, {"id", "leave"}});
  REQUIRE(bob_socket.receive_type("ack"));
  CHECK(code_of(http(port, "GET", address, std::nullopt, bob.token)) == "not_member");
}

TEST_CASE("Documents are served as downloads under their name, and a file that is not its type, a program, a web page, a bad name or a big file is refused with nothing kept") {
  ServerProcess server({"--chat-file-max-bytes", "200000"});
  const auto port = server.port();
  const User ann = new_user(port, "Ann");
  const std::string code = new_room(port, ann);
  WsClient socket(port, ann.token);
  REQUIRE(socket.join(code)["type"] == "room:joined");

  const std::string pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  const auto kept = share(port, ann, code, "Notes%20%E2%80%93%20week%201.pdf", "application/pdf", pdf);
  REQUIRE(kept.status == 200);
  CHECK(kept.body["file"]["name"] == "Notes \u2013 week 1.pdf");
  CHECK(kept.body["file"]["image"] == false);
  const auto served = http(port, "GET", "/api/rooms/" + code + "/files/" + kept.body["file"]["file_id"].get<std::string>(),
                           std::nullopt, ann.token);
  REQUIRE(served.status == 200);
  CHECK(served.raw == pdf);
  CHECK(served.headers.at("Content-Type") == "application/pdf");
  CHECK(served.headers.at("Content-Disposition") ==
        "attachment; filename=\"Notes ___ week 1.pdf\"; filename*=UTF-8''Notes%20%E2%80%93%20week%201.pdf");
  CHECK(served.headers.at("X-Content-Type-Options") == "nosniff");
  CHECK(served.headers.at("Content-Security-Policy").starts_with("sandbox;"));
  // No thumbnail for a document; a type the browser left out comes from the name.
  CHECK(code_of(http(port, "GET", "/api/rooms/" + code + "/files/" + kept.body["file"]["file_id"].get<std::string>() + "/thumbnail",
                     std::nullopt, ann.token)) == "not_found");
  const auto markdown = share(port, ann, code, "todo.md", "", "# Todo\n- bring tea\n");
  REQUIRE(markdown.status == 200);
  CHECK(markdown.body["file"]["content_type"] == "text/markdown");

  const std::string png = picture("small.png", "32x32");
  const auto [what, name, type, bytes, expected] = GENERATE_COPY(table<std::string, std::string, std::string, std::string, std::string>({
      {"a PNG claiming to be a PDF", "report.pdf", "application/pdf", png, "file_type_mismatch"},
      {"text claiming to be a PNG", "cat.png", "image/png", "not a picture at all", "file_type_mismatch"},
      {"a Windows program", "setup.pdf", "application/pdf", std::string("MZ\x90\0\x03\0\0\0", 8), "file_type_not_allowed"},
      {"a shell script as text", "run.txt", "text/plain", "#!/bin/sh\nrm -rf ~\n", "file_type_not_allowed"},
      {"a web page as text", "page.txt", "text/plain", "  <html><script>alert(1)</script></html>", "file_type_not_allowed"},
      {"a web page's name on text", "invoice.html", "text/plain", "Hi <script>alert(1)</script>", "file_type_not_allowed"},
      {"an SVG", "logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>", "file_type_not_allowed"},
      {"a type the chat does not take", "song.mp3", "audio/mpeg", "ID3\x03", "file_type_not_allowed"},
      {"a name with a path", "..%2F..%2Fetc%2Fpasswd.txt", "text/plain", "root", "bad_request"},
      {"a name with a control character", "a%01b.txt", "text/plain", "hi", "bad_request"},
      {"a broken escape in the name", "a%2.txt", "text/plain", "hi", "bad_request"},
      {"no name", "", "text/plain", "hi", "bad_request"},
      {"an empty file", "empty.txt", "text/plain", "", "bad_request"},
      {"a file past the cap", "big.txt", "text/plain", std::string(200001, 'a'), "too_large"},
  }));
  INFO(what);
  const auto refused = share(port, ann, code, name, type, bytes);
  CHECK(code_of(refused) == expected);
  CHECK(count_files(files_of(server, code)) == 2);  // the PDF and the notes alone
  CHECK(history_of(port, code).size() == 2);
}

TEST_CASE("Sharing files is limited per person and follows the room's chat switch, and the room's files go when it ends") {
  ServerProcess server;
  const auto port = server.port();
  const User ann = new_user(port, "Ann");
  const std::string code = new_room(port, ann);
  WsClient socket(port, ann.token);
  REQUIRE(socket.join(code)["type"] == "room:joined");

  int kept = 0;
  HttpResult last;
  for (int i = 0; i < 25 && last.status != 429; ++i) {
    last = share(port, ann, code, "note-" + std::to_string(i) + ".txt", "text/plain", "note " + std::to_string(i));
    if (last.status == 200) ++kept;
  }
  CHECK(kept == 20);
  CHECK(code_of(last) == "rate_limited");
  CHECK(last.headers.count("Retry-After") == 1);
  CHECK(count_files(files_of(server, code)) == 20);

  socket.send({{"type", "room:settings"}, {"settings", {{"chat", false}, {"video", true}, {"audio", true}, {"screenshare", true}}}});
  REQUIRE(socket.receive_type("room:settings-changed"));
  const User bob = new_user(port, "Bob");
  WsClient bob_socket(port, bob.token);
  REQUIRE(bob_socket.join(code)["type"] == "room:joined");
  CHECK(code_of(share(port, bob, code, "hi.txt", "text/plain", "hi")) == "chat_disabled");

  REQUIRE(fs::exists(files_of(server, code)));
  REQUIRE(http(port, "DELETE", "/api/rooms/" + code, std::nullopt, ann.token).status == 200);
  CHECK_FALSE(fs::exists(files_of(server, code)));
}
