// Protocol codec benchmark: median throughput of decode (parse + validate into typed structs) and of
// decode + encode, for a typical signal:offer (a ~4 KB Chrome-style SDP with audio and video) and a
// short chat:send, beside a baseline in the same process: plain nlohmann::json::parse of the same
// bytes, no validation. Target: decoding >= 50 MB/s natively. `--quick` runs a few rounds only
// (the ctest smoke run).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/codec.h"

#include "median_time.h"

using namespace mehfil::protocol;

namespace {

volatile std::size_t sink;

// What Chrome offers for one microphone and one camera: BUNDLE, opus with RED, VP8/VP9/H264/AV1
// with RTX (about 4 KB), the usual header extensions, simulcast-free, one SSRC group.
std::string chrome_offer_sdp() {
  std::string sdp =
      "v=0\r\no=- 7614219274584779017 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
      "a=extmap-allow-mixed\r\na=msid-semantic: WMS 3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
      "a=ice-ufrag:Xk4d\r\na=ice-pwd:9Nq2cR0vVbT3mLzH7wYpK1sE\r\na=ice-options:trickle\r\n"
      "a=fingerprint:sha-256 4F:9A:0B:7C:2D:E1:55:38:A6:19:C3:8E:72:F4:0D:B5:61:2A:9E:C7:08:3B:D4:F1:6E:25:A9:C0:17:84:5B:E3\r\n"
      "a=setup:actpass\r\na=mid:0\r\n"
      "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
      "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
      "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=sendrecv\r\na=msid:3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42 8b0e6c1a-94f2-4d37-a5e8-1c7b2f9d6a30\r\n"
      "a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
      "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\n"
      "a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:13 CN/8000\r\n"
      "a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n"
      "a=ssrc:2741893372 cname:q2Vb7mXe9LkT4hRz\r\n"
      "a=ssrc:2741893372 msid:3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42 8b0e6c1a-94f2-4d37-a5e8-1c7b2f9d6a30\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101 112 113 116 117 118\r\n"
      "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk4d\r\na=ice-pwd:9Nq2cR0vVbT3mLzH7wYpK1sE\r\n"
      "a=ice-options:trickle\r\n"
      "a=fingerprint:sha-256 4F:9A:0B:7C:2D:E1:55:38:A6:19:C3:8E:72:F4:0D:B5:61:2A:9E:C7:08:3B:D4:F1:6E:25:A9:C0:17:84:5B:E3\r\n"
      "a=setup:actpass\r\na=mid:1\r\na=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n"
      "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
      "a=extmap:13 urn:3gpp:video-orientation\r\n"
      "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
      "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay\r\n"
      "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type\r\n"
      "a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing\r\n"
      "a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space\r\n"
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
      "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
      "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n"
      "a=sendrecv\r\na=msid:3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42 f1c7a9e2-3b6d-48a0-9e5f-7d2c4b8a1e63\r\n"
      "a=rtcp-mux\r\na=rtcp-rsize\r\n";
  const char* codecs[][2] = {{"96", "VP8/90000"},   {"98", "VP9/90000"},  {"102", "H264/90000"},
                             {"104", "H264/90000"}, {"39", "AV1/90000"}};
  int rtx = 97;
  for (const auto& [pt, name] : codecs) {
    sdp += std::string("a=rtpmap:") + pt + " " + name + "\r\n";
    for (const char* fb : {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}) {
      sdp += std::string("a=rtcp-fb:") + pt + " " + fb + "\r\n";
    }
    if (std::strncmp(name, "H264", 4) == 0) {
      sdp += std::string("a=fmtp:") + pt + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
    }
    sdp += "a=rtpmap:" + std::to_string(rtx) + " rtx/90000\r\na=fmtp:" + std::to_string(rtx) + " apt=" + pt + "\r\n";
    rtx = rtx == 97 ? 99 : rtx + 2;
  }
  sdp += "a=rtpmap:112 red/90000\r\na=rtpmap:113 rtx/90000\r\na=fmtp:113 apt=112\r\na=rtpmap:116 ulpfec/90000\r\n"
         "a=ssrc-group:FID 1593728461 3840291756\r\n"
         "a=ssrc:1593728461 cname:q2Vb7mXe9LkT4hRz\r\n"
         "a=ssrc:1593728461 msid:3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42 f1c7a9e2-3b6d-48a0-9e5f-7d2c4b8a1e63\r\n"
         "a=ssrc:3840291756 cname:q2Vb7mXe9LkT4hRz\r\n"
         "a=ssrc:3840291756 msid:3d2a7bd6-0c57-4a6e-b9d3-5a2c8b1f7e42 f1c7a9e2-3b6d-48a0-9e5f-7d2c4b8a1e63\r\n";
  return sdp;
}

void report(const char* what, std::size_t bytes, double ns, double baseline_ns) {
  std::printf("  %-28s %9.1f MB/s %11.0f msgs/s %8.2fx baseline time\n", what, static_cast<double>(bytes) * 1e3 / ns,
              1e9 / ns, ns / baseline_ns);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int rounds = quick ? 3 : 21;
  const struct {
    const char* name;
    std::string frame;
    int calls;
  } cases[] = {
      {"signal:offer", encode(client::SignalOffer{"p-7f3a9c", chrome_offer_sdp()}, RequestId{"req-42"}), quick ? 200 : 4000},
      {"chat:send", encode(client::ChatSend{"on my way, two minutes 🚲", "c-18f2a7"}, RequestId{std::int64_t{17}}),
       quick ? 2000 : 100000},
  };
  std::printf("protocol codec, native (median of %d rounds)\n", rounds);
  for (const auto& c : cases) {
    const auto check = decode_client(c.frame);
    if (!check.ok() || encode(*check.message, check.id) != c.frame) {
      std::fprintf(stderr, "the %s sample does not round-trip: %s\n", c.name, check.error.message.c_str());
      return 1;
    }
    const double parse_ns = median_ns(rounds, c.calls, [&] {
      sink = nlohmann::json::parse(c.frame, nullptr, false).size();
    });
    const double decode_ns = median_ns(rounds, c.calls, [&] { sink = decode_client(c.frame).message->index(); });
    const double round_trip_ns = median_ns(rounds, c.calls, [&] {
      const auto decoded = decode_client(c.frame);
      sink = encode(*decoded.message, decoded.id).size();
    });
    std::printf("%s, %zu bytes\n", c.name, c.frame.size());
    report("baseline json::parse", c.frame.size(), parse_ns, parse_ns);
    report("decode + validate", c.frame.size(), decode_ns, parse_ns);
    report("decode + validate + encode", c.frame.size(), round_trip_ns, parse_ns);
  }
  return 0;
}
