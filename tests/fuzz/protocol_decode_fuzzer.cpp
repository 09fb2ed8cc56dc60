// libFuzzer target for the protocol codec: any bytes, as a client frame and as a server frame.
//
// Decoding must never crash, throw (run_protocol_fuzzer.sh builds without exceptions, like the wasm
// build, so a throw aborts) or trip ASan/UBSan. A refusal must carry a UTF-8 message, since it goes
// back on the wire. Whatever decodes must round-trip: encode it, decode that, get the same value,
// and encode it again to the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.h"
#include "protocol/validation.h"

using namespace mehfil::protocol;

namespace {

[[noreturn]] void fail(const char* what, std::string_view input, std::string_view detail) {
  std::fprintf(stderr, "protocol fuzzer: %s\n  input:  %.*s\n  detail: %.*s\n", what, static_cast<int>(input.size()),
               input.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

template <class Decoded>
void check_refusal(const Decoded& decoded, std::string_view input) {
  if (decoded.error.message.empty()) fail("a refusal without a message", input, "");
  if (!is_valid_utf8(decoded.error.message)) fail("an error message that is not UTF-8", input, decoded.error.message);
}

template <class Decoded, class Decode, class Encode>
void check_round_trip(const Decoded& decoded, std::string_view input, std::size_t max_bytes, Decode decode, Encode encode_it) {
  if (!decoded.ok()) return check_refusal(decoded, input);
  const std::string once = encode_it(decoded);
  const auto again = decode(once);
  if (!again.ok()) {
    // A number such as 1e5 is written back as 100000.0, so a frame near the limit may outgrow it.
    if (again.error.code == ErrorCode::too_large && once.size() > max_bytes) return;
    fail("re-encoded message does not decode", input, again.error.message + " in " + once);
  }
  if (!(*again.message == *decoded.message) || again.id != decoded.id) fail("decode(encode(m)) != m", input, once);
  const std::string twice = encode_it(again);
  if (twice != once) fail("encoding is not stable", input, once + " then " + twice);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);

  const auto client = decode_client(frame);
  check_round_trip(client, frame, kMaxClientFrameBytes, decode_client,
                   [](const Decoded<ClientMessage>& d) { return encode(*d.message, d.id); });
  if (!client.ok()) (void)encode(error_reply(client));  // the server's answer must encode too

  const auto server = decode_server(frame);
  check_round_trip(server, frame, kMaxServerFrameBytes, decode_server,
                   [](const Decoded<ServerMessage>& d) { return encode(*d.message); });
  return 0;
}
