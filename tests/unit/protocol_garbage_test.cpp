// Fuzz-like garbage in ordinary test runs: random bytes, and valid frames truncated, bit-flipped,
// spliced and re-typed. Decoding must never crash or throw, and whatever does decode must re-encode
// to bytes that decode to the same value (the libFuzzer target in tests/fuzz goes much further).
#include <catch2/catch.hpp>

#include <random>

#include "protocol/codec.h"
#include "protocol_test_support.h"

using namespace protocol_test;

namespace {

template <class Decoded, class Decode>
void check_stable(const Decoded& decoded, Decode decode) {
  if (!decoded.ok()) {
    CHECK_FALSE(decoded.error.message.empty());
    return;
  }
  const std::string once = encode(*decoded.message);
  const auto again = decode(once);
  REQUIRE(again.ok());
  CHECK(*again.message == *decoded.message);
  CHECK(encode(*again.message) == once);
}

void survives(const std::string& frame) {
  CAPTURE(frame.substr(0, 300));
  check_stable(decode_client(frame), decode_client);
  check_stable(decode_server(frame), decode_server);
}

std::vector<std::string> valid_frames() {
  std::vector<std::string> frames;
  for (const ClientMessage& m : every_client_message()) frames.push_back(encode(m, RequestId{"r1"}));
  for (const ServerMessage& m : every_server_message()) frames.push_back(encode(m));
  return frames;
}

}  // namespace

TEST_CASE("Random bytes never crash the decoder") {
  std::mt19937 rng(20240611);
  const std::string alphabet = "{}[]\":,\\ 0123456789.eE-+truefalsnl\xc3\xa9\xff\x80u";
  for (int i = 0; i < 3000; ++i) {
    std::string frame(rng() % 200, '\0');
    const bool structured = i % 2 == 0;
    for (char& c : frame) c = structured ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    survives(frame);
  }
}

TEST_CASE("Every prefix of every valid frame is handled") {
  for (const std::string& frame : valid_frames()) {
    for (std::size_t cut = 0; cut < frame.size(); cut += 1 + frame.size() / 80) survives(frame.substr(0, cut));
  }
}

TEST_CASE("Mutated valid frames never crash the decoder and decode stably when they decode") {
  std::mt19937 rng(7);
  const std::vector<std::string> frames = valid_frames();
  const std::string tokens[] = {"null", "true", "0", "-1", "1e999", "\"\"", "[]", "{}", "\"\\u0000\"", "18446744073709551616",
                                "\"chat:send\"", "\"type\"", "\"id\"", ",", ":", "\"\\ud83d\"", "1.5"};
  for (int i = 0; i < 4000; ++i) {
    std::string frame = frames[rng() % frames.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !frame.empty(); ++e) {
      const std::size_t at = rng() % frame.size();
      switch (rng() % 4) {
        case 0: frame[at] = static_cast<char>(frame[at] ^ (1 << (rng() % 8))); break;
        case 1: frame.erase(at, 1 + rng() % 8); break;
        case 2: frame.insert(at, tokens[rng() % std::size(tokens)]); break;
        default: frame.insert(at, frames[rng() % frames.size()].substr(0, rng() % 40)); break;
      }
    }
    survives(frame);
  }
}

TEST_CASE("Each message's fields swapped for values of the wrong type are refused, not crashed on") {
  const nlohmann::json wrong[] = {nullptr, true, 0, -1, 2.5, "", "x", nlohmann::json::array(), nlohmann::json::object()};
  for (const std::string& frame : valid_frames()) {
    const nlohmann::json original = nlohmann::json::parse(frame);
    for (const auto& item : original.items()) {
      if (item.key() == "type") continue;
      for (const nlohmann::json& value : wrong) {
        nlohmann::json changed = original;
        changed[item.key()] = value;
        survives(changed.dump());
      }
    }
  }
}
