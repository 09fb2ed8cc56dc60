// The small pure rules of the room: send caps by room size, reconnect backoff, host actions on
// offer, error screens.
#include <catch2/catch.hpp>

#include "room/bitrate.h"
#include "room/host_rules.h"
#include "room/reconnect_backoff.h"
#include "room/screens.h"

using namespace mehfil::room;
namespace protocol = mehfil::protocol;

TEST_CASE("The per-peer send cap shrinks with the room size, and from five people cameras go at half size and 15 fps") {
  const auto [people, bps, scale, fps] = GENERATE(table<int, int, int, int>({
      {1, 1'500'000, 1, 30}, {2, 1'500'000, 1, 30}, {3, 500'000, 1, 30}, {4, 500'000, 1, 30},
      {5, 300'000, 2, 15}, {7, 300'000, 2, 15}, {8, 200'000, 2, 15}, {10, 200'000, 2, 15}}));
  CAPTURE(people);
  CHECK(send_cap(people) == SendCap{bps, scale, fps});
}

TEST_CASE("A full mesh never uploads more than 2.5 Mbit/s") {
  const int people = GENERATE(range(2, 11));
  CAPTURE(people);
  CHECK(send_cap(people).max_bitrate_bps * (people - 1) <= kMeshUploadBudgetBps);
}

TEST_CASE("Reconnect waits 0.3·n² seconds, capped at 30 s") {
  const auto [attempt, base] = GENERATE(table<int, std::int64_t>({{-1, 0}, {0, 0}, {1, 300}, {2, 1200}, {3, 2700},
                                                                   {4, 4800}, {5, 7500}, {10, 30000}, {11, 30000},
                                                                   {1000, 30000}}));
  CAPTURE(attempt);
  CHECK(reconnect_base_delay_ms(attempt) == base);
  CHECK(reconnect_delay_ms(attempt, 0.0) == base);
}

TEST_CASE("Reconnect jitter stays within 100 ms plus a quarter of the wait") {
  const int attempt = GENERATE(0, 1, 4, 20);
  const std::int64_t base = reconnect_base_delay_ms(attempt);
  const std::int64_t most = base + 100 + base / 4;
  SECTION("in range") {
    const double jitter = GENERATE(0.0, 0.25, 0.5, 0.999);
    CHECK(reconnect_delay_ms(attempt, jitter) >= base);
    CHECK(reconnect_delay_ms(attempt, jitter) <= most);
  }
  SECTION("out of range values are clamped") {
    CHECK(reconnect_delay_ms(attempt, -3.0) == base);
    CHECK(reconnect_delay_ms(attempt, 7.0) <= most);
    CHECK(reconnect_delay_ms(attempt, std::nan("")) == base);
  }
}

TEST_CASE("Host actions offered follow the permission table for each role and target") {
  protocol::Participant guest;
  guest.user_id = "u2";
  protocol::Participant cohost = guest;
  cohost.is_cohost = true;
  protocol::Participant host = guest;
  host.is_host = true;
  using K = HostActionKind;
  using Ks = std::vector<K>;
  const Role as_host{true, false}, as_cohost{false, true}, as_guest{false, false};
  const auto [me, target, self, expected] = GENERATE_COPY(table<Role, protocol::Participant, bool, Ks>({
      {as_host, guest, false, Ks{K::mute, K::kick, K::make_cohost, K::transfer}},
      {as_host, cohost, false, Ks{K::mute, K::kick, K::transfer}},
      {as_host, host, true, Ks{K::mute}},  // their own tile: muting yourself is all
      // A co-host no longer makes co-hosts (the server refuses it), and never touches the host.
      {as_cohost, guest, false, Ks{K::mute, K::kick}},
      {as_cohost, cohost, false, Ks{K::mute, K::kick}},
      {as_cohost, host, false, Ks{}},
      {as_cohost, cohost, true, Ks{K::mute}},
      {as_guest, guest, false, Ks{}},
      {as_guest, cohost, false, Ks{}},
      {as_guest, host, false, Ks{}},
      {as_guest, guest, true, Ks{}},
  }));
  CAPTURE(me.is_host, me.is_cohost, target.is_host, target.is_cohost, self);
  CHECK(actions_on(me, target, self) == expected);
}

TEST_CASE("Lower hand is offered on someone else's raised hand to the host and co-hosts only") {
  protocol::Participant raised;
  raised.user_id = "u2";
  raised.hand_raised_at = 1000;
  protocol::Participant host_raised = raised;
  host_raised.is_host = true;
  using K = HostActionKind;
  using Ks = std::vector<K>;
  const Role as_host{true, false}, as_cohost{false, true}, as_guest{false, false};
  const auto [me, target, self, expected] = GENERATE_COPY(table<Role, protocol::Participant, bool, Ks>({
      {as_host, raised, false, Ks{K::mute, K::kick, K::make_cohost, K::transfer, K::lower_hand}},
      {as_cohost, raised, false, Ks{K::mute, K::kick, K::lower_hand}},
      {as_cohost, host_raised, false, Ks{K::lower_hand}},  // the host's hand too: it only tidies the queue
      {as_guest, raised, false, Ks{}},
      {as_host, host_raised, true, Ks{K::mute}},  // one's own hand goes down with the hand button
  }));
  CHECK(actions_on(me, target, self) == expected);
}

TEST_CASE("Room-wide actions: the host may end the room, a co-host may only lock, change settings, mute all and answer the door") {
  using K = HostActionKind;
  const Role as_host{true, false}, as_cohost{false, true}, as_guest{false, false};
  CHECK(room_actions(as_host) == std::vector<K>{K::lock, K::settings, K::mute_all, K::admit, K::deny, K::end});
  CHECK(room_actions(as_cohost) == std::vector<K>{K::lock, K::settings, K::mute_all, K::admit, K::deny});
  CHECK(room_actions(as_guest).empty());
  CHECK_FALSE(may_offer(as_cohost, K::transfer));
  CHECK_FALSE(may_offer(as_cohost, K::make_cohost));
  CHECK_FALSE(may_offer(as_cohost, K::end));
  CHECK(may_offer(as_cohost, K::kick));
  CHECK(may_offer(as_host, K::make_cohost));
}

TEST_CASE("Screen sharing switched off leaves the share button to the host and co-hosts") {
  const Role as_host{true, false}, as_cohost{false, true}, as_guest{false, false};
  protocol::RoomSettings settings;
  CHECK(may_share_screen(as_guest, settings));
  settings.screenshare = false;
  CHECK(may_share_screen(as_host, settings));
  CHECK(may_share_screen(as_cohost, settings));
  CHECK_FALSE(may_share_screen(as_guest, settings));
}

TEST_CASE("Join errors map to screens, the rest are toasts") {
  const auto [code, screen] = GENERATE(table<protocol::ErrorCode, std::optional<Screen>>({
      {protocol::ErrorCode::wrong_password, Screen::password},
      {protocol::ErrorCode::room_not_found, Screen::room_not_found},
      {protocol::ErrorCode::room_full, Screen::room_full},
      {protocol::ErrorCode::room_locked, Screen::room_locked},
      {protocol::ErrorCode::expired, Screen::expired},
      {protocol::ErrorCode::kicked, Screen::kicked},
      {protocol::ErrorCode::unauthorized, std::nullopt},
      {protocol::ErrorCode::rate_limited, std::nullopt},
      {protocol::ErrorCode::not_host, std::nullopt}}));
  CHECK(screen_for_join_error(code) == screen);
  CHECK(screen_for_room_closed("expired") == Screen::expired);
  CHECK(screen_for_room_closed("ended_by_host") == Screen::room_closed);
}
