// LinkQuality (wasm/core/room/link_quality.h): the bars on a card and the figures of the
// "Connection info" panel, from getStats counters.
#include <catch2/catch.hpp>

#include "room/link_quality.h"

using namespace mehfil::room;

TEST_CASE("A link is rated on its worst sign: round-trip time, loss, or the bitrate it can send") {
  using Row = std::tuple<std::optional<double>, double, std::optional<double>, Quality>;
  const auto [rtt, loss, available, expected] = GENERATE(table<std::optional<double>, double, std::optional<double>, Quality>({
      Row{40.0, 0.0, 2'000'000.0, Quality::good},
      Row{199.0, 1.9, 300'000.0, Quality::good},
      Row{std::nullopt, 0.0, std::nullopt, Quality::good},  // nothing measured yet is nothing wrong
      Row{200.0, 0.0, 2'000'000.0, Quality::fair},
      Row{40.0, 2.0, 2'000'000.0, Quality::fair},
      Row{40.0, 0.0, 299'000.0, Quality::fair},
      Row{399.0, 7.9, 120'000.0, Quality::fair},
      Row{400.0, 0.0, 2'000'000.0, Quality::poor},
      Row{40.0, 8.0, 2'000'000.0, Quality::poor},
      Row{40.0, 0.0, 119'000.0, Quality::poor},
  }));
  CAPTURE(rtt, loss, available);
  CHECK(rate(rtt, loss, available) == expected);
}

namespace {

StatsSample sample(std::int64_t at, std::uint64_t received, std::int64_t lost, std::uint64_t bytes, double rtt,
                   std::string local = "host", std::string remote = "srflx") {
  StatsSample s;
  s.at_ms = at;
  s.rtt_ms = rtt;
  s.available_out_bps = 1'500'000;
  s.packets_received = received;
  s.packets_lost = lost;
  s.bytes_received = bytes;
  s.bytes_sent = bytes / 2;
  s.local_candidate_type = std::move(local);
  s.remote_candidate_type = std::move(remote);
  return s;
}

}  // namespace

TEST_CASE("Loss and bitrate are taken between two samples, and the path says whether a relay carries it") {
  LinkQuality link;
  CHECK(link.update(sample(0, 1000, 0, 100'000, 30)).quality == Quality::unknown);  // one sample: no rates yet
  const LinkReport& report = link.update(sample(2000, 1950, 50, 350'000, 30));
  CHECK(report.loss_percent == Approx(5.0));            // 50 of 1000 packets in the interval
  CHECK(report.in_bps == Approx(1'000'000));            // 250 kB in 2 s
  CHECK(report.out_bps == Approx(500'000));
  CHECK(report.quality == Quality::fair);
  CHECK(report.path == "direct");
  CHECK_FALSE(report.relayed);
  CHECK(link.update(sample(4000, 2950, 50, 600'000, 30, "relay", "srflx")).path == "relayed");
  CHECK(link.update(sample(6000, 3950, 50, 850'000, 30, "", "")).quality == Quality::unknown);  // no pair: no rating
}

TEST_CASE("The bars drop at once but come back only after two good samples in a row") {
  LinkQuality link;
  link.update(sample(0, 0, 0, 0, 30));
  CHECK(link.update(sample(1000, 1000, 0, 100'000, 30)).quality == Quality::good);
  CHECK(link.update(sample(2000, 1500, 500, 200'000, 30)).quality == Quality::poor);  // half lost: at once
  CHECK(link.update(sample(3000, 2500, 500, 300'000, 30)).quality == Quality::poor);  // one good sample: held
  CHECK(link.update(sample(4000, 3500, 500, 400'000, 30)).quality == Quality::good);  // the second: back
}

TEST_CASE("Counters that go back (a new pc for the same peer) start the rates over instead of going negative") {
  LinkQuality link;
  link.update(sample(0, 5000, 0, 500'000, 30));
  const LinkReport& report = link.update(sample(1000, 10, 0, 1000, 30));
  CHECK(report.in_bps == 0);
  CHECK(report.loss_percent == 0);
  CHECK(link.update(sample(2000, 1010, 0, 101'000, 30)).in_bps == Approx(800'000));
}

TEST_CASE("A link on which nothing arrives any more is poor, though no loss is counted yet") {
  LinkQuality link;
  link.update(sample(0, 0, 0, 0, 30));
  CHECK(link.update(sample(1000, 0, 0, 0, 30)).quality == Quality::good);  // nothing yet, nothing wrong
  CHECK(link.update(sample(2000, 800, 0, 90'000, 30)).quality == Quality::good);
  CHECK(link.update(sample(3000, 800, 0, 90'000, 30)).quality == Quality::poor);  // stalled
  link.update(sample(4000, 1600, 0, 180'000, 30));
  CHECK(link.update(sample(5000, 2400, 0, 270'000, 30)).quality == Quality::good);
}
