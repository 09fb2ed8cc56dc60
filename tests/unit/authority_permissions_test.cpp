// The host-power table (wasm/core/authority/permissions.h), every cell of it: each actor role
// (host, co-host, ordinary member) × each power × each target (nobody, themselves, a member, a
// co-host, the host), with the exact refusal code and sentence.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "authority/permissions.h"

using namespace mehfil::authority;
using mehfil::protocol::ErrorCode;
using mehfil::protocol::to_string;

namespace {

enum class W { none, self, member, cohost, host };  // whom the power is used on

const Role host{true, false};
const Role cohost{false, true};
const Role member{};

std::string outcome(Role actor, Power power, W whom) {
  std::optional<Role> target;
  if (whom == W::member) target = member;
  if (whom == W::cohost) target = cohost;
  if (whom == W::host) target = host;
  if (whom == W::self) target = actor;
  const auto refusal = check_power(actor, power, target, whom == W::self);
  if (!refusal) return "allowed";
  return std::string(to_string(refusal->code)) + ": " + std::string(refusal->message);
}

std::string role_name(Role role) { return role.is_host ? "host" : role.is_cohost ? "co-host" : "member"; }

}  // namespace

TEST_CASE("Every actor, power and target gets the table's answer") {
  using P = Power;
  // W::host for the host as actor is someone else flagged host: it cannot happen, and is refused.
  const auto [actor, power, whom, expected] = GENERATE_COPY(table<Role, Power, W, std::string>({
      // mute
      {host, P::mute, W::none, "allowed"},
      {host, P::mute, W::self, "allowed"},
      {host, P::mute, W::member, "allowed"},
      {host, P::mute, W::cohost, "allowed"},
      {host, P::mute, W::host, "not_host: Nobody can mute the host."},
      {cohost, P::mute, W::none, "allowed"},
      {cohost, P::mute, W::self, "allowed"},
      {cohost, P::mute, W::member, "allowed"},
      {cohost, P::mute, W::cohost, "allowed"},
      {cohost, P::mute, W::host, "not_host: Nobody can mute the host."},
      {member, P::mute, W::none, "not_host: Only the host or a co-host can mute people."},
      {member, P::mute, W::self, "not_host: Only the host or a co-host can mute people."},
      {member, P::mute, W::member, "not_host: Only the host or a co-host can mute people."},
      {member, P::mute, W::cohost, "not_host: Only the host or a co-host can mute people."},
      {member, P::mute, W::host, "not_host: Only the host or a co-host can mute people."},
      // kick
      {host, P::kick, W::none, "allowed"},
      {host, P::kick, W::self, "bad_request: You cannot remove yourself; leave the room instead."},
      {host, P::kick, W::member, "allowed"},
      {host, P::kick, W::cohost, "allowed"},
      {host, P::kick, W::host, "not_host: Nobody can remove the host."},
      {cohost, P::kick, W::none, "allowed"},
      {cohost, P::kick, W::self, "bad_request: You cannot remove yourself; leave the room instead."},
      {cohost, P::kick, W::member, "allowed"},
      {cohost, P::kick, W::cohost, "allowed"},
      {cohost, P::kick, W::host, "not_host: Nobody can remove the host."},
      {member, P::kick, W::none, "not_host: Only the host or a co-host can remove people."},
      {member, P::kick, W::self, "not_host: Only the host or a co-host can remove people."},
      {member, P::kick, W::member, "not_host: Only the host or a co-host can remove people."},
      {member, P::kick, W::cohost, "not_host: Only the host or a co-host can remove people."},
      {member, P::kick, W::host, "not_host: Only the host or a co-host can remove people."},
      // make_cohost
      {host, P::make_cohost, W::none, "allowed"},
      {host, P::make_cohost, W::self, "bad_request: The host cannot be made a co-host."},
      {host, P::make_cohost, W::member, "allowed"},
      {host, P::make_cohost, W::cohost, "bad_request: That person is already a co-host."},
      {host, P::make_cohost, W::host, "bad_request: The host cannot be made a co-host."},
      {cohost, P::make_cohost, W::none, "not_host: Only the host can make co-hosts."},
      {cohost, P::make_cohost, W::self, "not_host: Only the host can make co-hosts."},
      {cohost, P::make_cohost, W::member, "not_host: Only the host can make co-hosts."},
      {cohost, P::make_cohost, W::cohost, "not_host: Only the host can make co-hosts."},
      {cohost, P::make_cohost, W::host, "not_host: Only the host can make co-hosts."},
      {member, P::make_cohost, W::none, "not_host: Only the host can make co-hosts."},
      {member, P::make_cohost, W::self, "not_host: Only the host can make co-hosts."},
      {member, P::make_cohost, W::member, "not_host: Only the host can make co-hosts."},
      {member, P::make_cohost, W::cohost, "not_host: Only the host can make co-hosts."},
      {member, P::make_cohost, W::host, "not_host: Only the host can make co-hosts."},
      // transfer_host
      {host, P::transfer_host, W::none, "allowed"},
      {host, P::transfer_host, W::self, "bad_request: You are already the host."},
      {host, P::transfer_host, W::member, "allowed"},
      {host, P::transfer_host, W::cohost, "allowed"},
      {host, P::transfer_host, W::host, "bad_request: You are already the host."},
      {cohost, P::transfer_host, W::none, "not_host: Only the host can hand over the room."},
      {cohost, P::transfer_host, W::self, "not_host: Only the host can hand over the room."},
      {cohost, P::transfer_host, W::member, "not_host: Only the host can hand over the room."},
      {cohost, P::transfer_host, W::cohost, "not_host: Only the host can hand over the room."},
      {cohost, P::transfer_host, W::host, "not_host: Only the host can hand over the room."},
      {member, P::transfer_host, W::none, "not_host: Only the host can hand over the room."},
      {member, P::transfer_host, W::self, "not_host: Only the host can hand over the room."},
      {member, P::transfer_host, W::member, "not_host: Only the host can hand over the room."},
      {member, P::transfer_host, W::cohost, "not_host: Only the host can hand over the room."},
      {member, P::transfer_host, W::host, "not_host: Only the host can hand over the room."},
      // lock
      {host, P::lock, W::none, "allowed"},
      {host, P::lock, W::self, "allowed"},
      {host, P::lock, W::member, "allowed"},
      {host, P::lock, W::cohost, "allowed"},
      {host, P::lock, W::host, "allowed"},
      {cohost, P::lock, W::none, "allowed"},
      {cohost, P::lock, W::self, "allowed"},
      {cohost, P::lock, W::member, "allowed"},
      {cohost, P::lock, W::cohost, "allowed"},
      {cohost, P::lock, W::host, "allowed"},
      {member, P::lock, W::none, "not_host: Only the host or a co-host can lock the room."},
      {member, P::lock, W::self, "not_host: Only the host or a co-host can lock the room."},
      {member, P::lock, W::member, "not_host: Only the host or a co-host can lock the room."},
      {member, P::lock, W::cohost, "not_host: Only the host or a co-host can lock the room."},
      {member, P::lock, W::host, "not_host: Only the host or a co-host can lock the room."},
      // change_settings
      {host, P::change_settings, W::none, "allowed"},
      {host, P::change_settings, W::self, "allowed"},
      {host, P::change_settings, W::member, "allowed"},
      {host, P::change_settings, W::cohost, "allowed"},
      {host, P::change_settings, W::host, "allowed"},
      {cohost, P::change_settings, W::none, "allowed"},
      {cohost, P::change_settings, W::self, "allowed"},
      {cohost, P::change_settings, W::member, "allowed"},
      {cohost, P::change_settings, W::cohost, "allowed"},
      {cohost, P::change_settings, W::host, "allowed"},
      {member, P::change_settings, W::none, "not_host: Only the host or a co-host can change the room's settings."},
      {member, P::change_settings, W::self, "not_host: Only the host or a co-host can change the room's settings."},
      {member, P::change_settings, W::member, "not_host: Only the host or a co-host can change the room's settings."},
      {member, P::change_settings, W::cohost, "not_host: Only the host or a co-host can change the room's settings."},
      {member, P::change_settings, W::host, "not_host: Only the host or a co-host can change the room's settings."},
      // end_room
      {host, P::end_room, W::none, "allowed"},
      {host, P::end_room, W::self, "allowed"},
      {host, P::end_room, W::member, "allowed"},
      {host, P::end_room, W::cohost, "allowed"},
      {host, P::end_room, W::host, "allowed"},
      {cohost, P::end_room, W::none, "not_host: Only the host can end the room."},
      {cohost, P::end_room, W::self, "not_host: Only the host can end the room."},
      {cohost, P::end_room, W::member, "not_host: Only the host can end the room."},
      {cohost, P::end_room, W::cohost, "not_host: Only the host can end the room."},
      {cohost, P::end_room, W::host, "not_host: Only the host can end the room."},
      {member, P::end_room, W::none, "not_host: Only the host can end the room."},
      {member, P::end_room, W::self, "not_host: Only the host can end the room."},
      {member, P::end_room, W::member, "not_host: Only the host can end the room."},
      {member, P::end_room, W::cohost, "not_host: Only the host can end the room."},
      {member, P::end_room, W::host, "not_host: Only the host can end the room."},
      // clear_board
      {host, P::clear_board, W::none, "allowed"},
      {host, P::clear_board, W::self, "allowed"},
      {host, P::clear_board, W::member, "allowed"},
      {host, P::clear_board, W::cohost, "allowed"},
      {host, P::clear_board, W::host, "allowed"},
      {cohost, P::clear_board, W::none, "allowed"},
      {cohost, P::clear_board, W::self, "allowed"},
      {cohost, P::clear_board, W::member, "allowed"},
      {cohost, P::clear_board, W::cohost, "allowed"},
      {cohost, P::clear_board, W::host, "allowed"},
      {member, P::clear_board, W::none, "not_host: Only the host or a co-host can clear the board."},
      {member, P::clear_board, W::self, "not_host: Only the host or a co-host can clear the board."},
      {member, P::clear_board, W::member, "not_host: Only the host or a co-host can clear the board."},
      {member, P::clear_board, W::cohost, "not_host: Only the host or a co-host can clear the board."},
      {member, P::clear_board, W::host, "not_host: Only the host or a co-host can clear the board."},
      // mute_all
      {host, P::mute_all, W::none, "allowed"},
      {host, P::mute_all, W::self, "allowed"},
      {host, P::mute_all, W::member, "allowed"},
      {host, P::mute_all, W::cohost, "allowed"},
      {host, P::mute_all, W::host, "allowed"},
      {cohost, P::mute_all, W::none, "allowed"},
      {cohost, P::mute_all, W::self, "allowed"},
      {cohost, P::mute_all, W::member, "allowed"},
      {cohost, P::mute_all, W::cohost, "allowed"},
      {cohost, P::mute_all, W::host, "allowed"},
      {member, P::mute_all, W::none, "not_host: Only the host or a co-host can mute everyone."},
      {member, P::mute_all, W::self, "not_host: Only the host or a co-host can mute everyone."},
      {member, P::mute_all, W::member, "not_host: Only the host or a co-host can mute everyone."},
      {member, P::mute_all, W::cohost, "not_host: Only the host or a co-host can mute everyone."},
      {member, P::mute_all, W::host, "not_host: Only the host or a co-host can mute everyone."},
      // lower_hand
      {host, P::lower_hand, W::none, "allowed"},
      {host, P::lower_hand, W::self, "allowed"},
      {host, P::lower_hand, W::member, "allowed"},
      {host, P::lower_hand, W::cohost, "allowed"},
      {host, P::lower_hand, W::host, "allowed"},
      {cohost, P::lower_hand, W::none, "allowed"},
      {cohost, P::lower_hand, W::self, "allowed"},
      {cohost, P::lower_hand, W::member, "allowed"},
      {cohost, P::lower_hand, W::cohost, "allowed"},
      {cohost, P::lower_hand, W::host, "allowed"},
      {member, P::lower_hand, W::none, "not_host: Only the host or a co-host can lower someone else's hand."},
      {member, P::lower_hand, W::self, "not_host: Only the host or a co-host can lower someone else's hand."},
      {member, P::lower_hand, W::member, "not_host: Only the host or a co-host can lower someone else's hand."},
      {member, P::lower_hand, W::cohost, "not_host: Only the host or a co-host can lower someone else's hand."},
      {member, P::lower_hand, W::host, "not_host: Only the host or a co-host can lower someone else's hand."},
      // admit
      {host, P::admit, W::none, "allowed"},
      {host, P::admit, W::self, "allowed"},
      {host, P::admit, W::member, "allowed"},
      {host, P::admit, W::cohost, "allowed"},
      {host, P::admit, W::host, "allowed"},
      {cohost, P::admit, W::none, "allowed"},
      {cohost, P::admit, W::self, "allowed"},
      {cohost, P::admit, W::member, "allowed"},
      {cohost, P::admit, W::cohost, "allowed"},
      {cohost, P::admit, W::host, "allowed"},
      {member, P::admit, W::none, "not_host: Only the host or a co-host can let people in."},
      {member, P::admit, W::self, "not_host: Only the host or a co-host can let people in."},
      {member, P::admit, W::member, "not_host: Only the host or a co-host can let people in."},
      {member, P::admit, W::cohost, "not_host: Only the host or a co-host can let people in."},
      {member, P::admit, W::host, "not_host: Only the host or a co-host can let people in."},
  }));
  CAPTURE(role_name(actor), std::string(to_string(power)), static_cast<int>(whom));
  CHECK(outcome(actor, power, whom) == expected);
}

TEST_CASE("A role with both flags is the host") {
  const Role both{true, true};
  for (const Power power : {Power::mute, Power::kick, Power::make_cohost, Power::transfer_host, Power::lock,
                            Power::change_settings, Power::end_room, Power::clear_board, Power::mute_all, Power::lower_hand, Power::admit}) {
    CAPTURE(std::string(to_string(power)));
    for (const W whom : {W::none, W::self, W::member, W::cohost, W::host}) {
      CHECK(outcome(both, power, whom) == outcome(host, power, whom));
    }
  }
}

TEST_CASE("Room-wide powers ignore a target, powers on someone are the five that name one") {
  CHECK(acts_on_someone(Power::mute));
  CHECK(acts_on_someone(Power::kick));
  CHECK(acts_on_someone(Power::make_cohost));
  CHECK(acts_on_someone(Power::transfer_host));
  CHECK(acts_on_someone(Power::lower_hand));
  for (const Power power : {Power::lock, Power::change_settings, Power::end_room, Power::clear_board, Power::mute_all, Power::admit}) {
    CAPTURE(std::string(to_string(power)));
    CHECK_FALSE(acts_on_someone(power));
    CHECK(check_power(cohost, power, host, false) == check_power(cohost, power));
  }
}

TEST_CASE("Powers have distinct spellings and every refusal is a sentence") {
  std::set<std::string> spellings;
  for (const Power power : {Power::mute, Power::kick, Power::make_cohost, Power::transfer_host, Power::lock,
                            Power::change_settings, Power::end_room, Power::clear_board, Power::mute_all, Power::lower_hand, Power::admit}) {
    spellings.insert(std::string(to_string(power)));
    for (const Role actor : {host, cohost, member}) {
      for (const std::optional<Role> target : {std::optional<Role>{}, std::optional<Role>{member}, std::optional<Role>{cohost},
                                               std::optional<Role>{host}}) {
        for (const bool self : {false, true}) {
          const auto refusal = check_power(actor, power, target, self);
          if (!refusal) continue;
          CHECK((refusal->code == ErrorCode::not_host || refusal->code == ErrorCode::bad_request));
          REQUIRE_FALSE(refusal->message.empty());
          CHECK(refusal->message.back() == '.');
        }
      }
    }
  }
  CHECK(spellings.size() == 11);
}
