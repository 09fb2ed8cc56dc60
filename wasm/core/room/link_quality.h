// LinkQuality: how one peer link is doing, from the raw counters of RTCPeerConnection.getStats(),
// rated good / fair / poor the way people know from other call apps (the bars on a card) and
// summed up for the "Connection info" panel: path (direct or relayed), round-trip time, bitrates
// and packet loss. It exists so that the thresholds live in one place, here, and not in JS: the
// executor only reads counters and shows the verdict.
//
// Counters are cumulative in getStats, so loss and bitrate are taken between two samples. A link
// is rated on its worst sign:
//   good  RTT < 200 ms, loss < 2 %, and (when the browser estimates it) >= 300 kbit/s available out
//   fair  RTT < 400 ms, loss < 8 %, >= 120 kbit/s
//   poor  anything worse, or nothing at all arrived in an interval after packets had been arriving
//         (a stalled path: no loss is counted until packets come again, so loss alone misses it)
// One bad sample does not flip the bars: a rating goes down at once but comes back up only after
// kRecoverSamples samples in a row as good (or fair), so the indicator does not flicker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mehfil::room {

enum class Quality { unknown, good, fair, poor };
std::string_view to_string(Quality quality);

// One reading of a pc's stats, as js-glue collects it (every LINK_STATS_MS).
struct StatsSample {
  std::int64_t at_ms = 0;
  std::optional<double> rtt_ms;                 // the selected candidate pair's currentRoundTripTime
  std::optional<double> available_out_bps;      // its availableOutgoingBitrate
  std::uint64_t packets_received = 0;           // summed over inbound-rtp (audio and video)
  std::int64_t packets_lost = 0;                // ditto (may go down: duplicates are subtracted)
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;                 // summed over outbound-rtp
  std::string local_candidate_type;             // host, srflx, prflx, relay; empty before a pair
  std::string remote_candidate_type;
};

// What the card and the panel show for one link.
struct LinkReport {
  Quality quality = Quality::unknown;
  bool relayed = false;      // either end of the selected pair is a TURN relay candidate
  std::string path;          // "direct", "relayed" or "" before a pair is selected
  std::optional<double> rtt_ms;
  double loss_percent = 0;   // over the last interval
  double in_bps = 0;
  double out_bps = 0;
};

inline constexpr double kGoodRttMs = 200;
inline constexpr double kFairRttMs = 400;
inline constexpr double kGoodLossPercent = 2;
inline constexpr double kFairLossPercent = 8;
inline constexpr double kGoodAvailableBps = 300'000;
inline constexpr double kFairAvailableBps = 120'000;
inline constexpr int kRecoverSamples = 2;

// The rating of one interval's figures, before smoothing.
Quality rate(std::optional<double> rtt_ms, double loss_percent, std::optional<double> available_out_bps);

class LinkQuality {
 public:
  // Takes the next sample of the same pc; returns the report to show.
  const LinkReport& update(const StatsSample& sample);
  const LinkReport& report() const { return report_; }

 private:
  std::optional<StatsSample> last_;
  LinkReport report_;
  int better_in_a_row_ = 0;
  bool had_traffic_ = false;  // an earlier interval received packets
};

}  // namespace mehfil::room
