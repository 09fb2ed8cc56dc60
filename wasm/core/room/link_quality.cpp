// Rating a peer link from its stats (link_quality.h).
#include "room/link_quality.h"

#include <algorithm>

namespace mehfil::room {

std::string_view to_string(Quality quality) {
  switch (quality) {
    case Quality::unknown: return "unknown";
    case Quality::good: return "good";
    case Quality::fair: return "fair";
    case Quality::poor: return "poor";
  }
  return "unknown";
}

Quality rate(std::optional<double> rtt_ms, double loss_percent, std::optional<double> available_out_bps) {
  const auto rank = [](bool good, bool fair) { return good ? Quality::good : fair ? Quality::fair : Quality::poor; };
  Quality worst = Quality::good;
  const auto worsen = [&worst](Quality q) { worst = std::max(worst, q); };  // good < fair < poor
  if (rtt_ms) worsen(rank(*rtt_ms < kGoodRttMs, *rtt_ms < kFairRttMs));
  worsen(rank(loss_percent < kGoodLossPercent, loss_percent < kFairLossPercent));
  if (available_out_bps) worsen(rank(*available_out_bps >= kGoodAvailableBps, *available_out_bps >= kFairAvailableBps));
  return worst;
}

const LinkReport& LinkQuality::update(const StatsSample& sample) {
  report_.rtt_ms = sample.rtt_ms;
  const bool paired = !sample.local_candidate_type.empty() && !sample.remote_candidate_type.empty();
  report_.relayed = sample.local_candidate_type == "relay" || sample.remote_candidate_type == "relay";
  report_.path = !paired ? "" : report_.relayed ? "relayed" : "direct";

  // Rates need an earlier sample of the same counters; a pc whose counters went back (a new pc under
  // the same peer id) starts over.
  const bool comparable = last_ && sample.at_ms > last_->at_ms && sample.packets_received >= last_->packets_received &&
                          sample.bytes_received >= last_->bytes_received && sample.bytes_sent >= last_->bytes_sent;
  if (!comparable) {
    last_ = sample;
    return report_;
  }
  const double seconds = static_cast<double>(sample.at_ms - last_->at_ms) / 1000.0;
  report_.in_bps = 8.0 * static_cast<double>(sample.bytes_received - last_->bytes_received) / seconds;
  report_.out_bps = 8.0 * static_cast<double>(sample.bytes_sent - last_->bytes_sent) / seconds;
  const double received = static_cast<double>(sample.packets_received - last_->packets_received);
  const double lost = static_cast<double>(std::max<std::int64_t>(0, sample.packets_lost - last_->packets_lost));
  report_.loss_percent = received + lost > 0 ? 100.0 * lost / (received + lost) : 0.0;
  last_ = sample;

  if (!paired) {
    report_.quality = Quality::unknown;
    better_in_a_row_ = 0;
    return report_;
  }
  const bool stalled = received == 0 && had_traffic_;
  had_traffic_ = had_traffic_ || received > 0;
  const Quality now = stalled ? Quality::poor : rate(report_.rtt_ms, report_.loss_percent, sample.available_out_bps);
  if (report_.quality == Quality::unknown || now >= report_.quality) {
    report_.quality = now;  // worse (or the first rating): at once
    better_in_a_row_ = 0;
  } else if (++better_in_a_row_ >= kRecoverSamples) {
    report_.quality = now;  // better: only once it has held
    better_in_a_row_ = 0;
  }
  return report_;
}

}  // namespace mehfil::room
