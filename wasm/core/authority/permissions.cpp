// The host-power table (permissions.h).
#include "authority/permissions.h"

namespace mehfil::authority {
namespace {

using protocol::ErrorCode;

constexpr Refusal refuse(std::string_view message) { return {ErrorCode::not_host, message}; }
constexpr Refusal nonsense(std::string_view message) { return {ErrorCode::bad_request, message}; }

bool host_only(Power power) {
  return power == Power::make_cohost || power == Power::transfer_host || power == Power::end_room;
}

// Said when the actor's role lacks the power: what the power is, in words.
std::string_view lacking(Power power) {
  switch (power) {
    case Power::mute: return "Only the host or a co-host can mute people.";
    case Power::kick: return "Only the host or a co-host can remove people.";
    case Power::make_cohost: return "Only the host can make co-hosts.";
    case Power::transfer_host: return "Only the host can hand over the room.";
    case Power::lock: return "Only the host or a co-host can lock the room.";
    case Power::change_settings: return "Only the host or a co-host can change the room's settings.";
    case Power::end_room: return "Only the host can end the room.";
    case Power::clear_board: return "Only the host or a co-host can clear the board.";
    case Power::mute_all: return "Only the host or a co-host can mute everyone.";
    case Power::lower_hand: return "Only the host or a co-host can lower someone else's hand.";
    case Power::admit: return "Only the host or a co-host can let people in.";
  }
  return "Only the host can do that.";
}

}  // namespace

std::string_view to_string(Power power) {
  switch (power) {
    case Power::mute: return "mute";
    case Power::kick: return "kick";
    case Power::make_cohost: return "make_cohost";
    case Power::transfer_host: return "transfer_host";
    case Power::lock: return "lock";
    case Power::change_settings: return "change_settings";
    case Power::end_room: return "end_room";
    case Power::clear_board: return "clear_board";
    case Power::mute_all: return "mute_all";
    case Power::lower_hand: return "lower_hand";
    case Power::admit: return "admit";
  }
  return "?";
}

bool acts_on_someone(Power power) {
  return power == Power::mute || power == Power::kick || power == Power::make_cohost || power == Power::transfer_host ||
         power == Power::lower_hand;
}

std::optional<Refusal> check_power(Role actor, Power power, std::optional<Role> target, bool target_is_self) {
  const bool holds = actor.is_host || (actor.is_cohost && !host_only(power));
  if (!holds) return refuse(lacking(power));
  if (!acts_on_someone(power) || (!target && !target_is_self)) return std::nullopt;

  const Role whom = target_is_self ? actor : *target;
  switch (power) {
    case Power::mute:
      // Muting yourself is harmless; muting the host is what a co-host must not do.
      if (whom.is_host && !target_is_self) return refuse("Nobody can mute the host.");
      return std::nullopt;
    case Power::kick:
      if (target_is_self) return nonsense("You cannot remove yourself; leave the room instead.");
      if (whom.is_host) return refuse("Nobody can remove the host.");
      return std::nullopt;
    case Power::make_cohost:
      if (target_is_self || whom.is_host) return nonsense("The host cannot be made a co-host.");
      if (whom.is_cohost) return nonsense("That person is already a co-host.");
      return std::nullopt;
    case Power::transfer_host:
      if (target_is_self || whom.is_host) return nonsense("You are already the host.");
      return std::nullopt;
    case Power::lower_hand:  // lowering a hand, even the host's, only tidies the queue
    case Power::lock:
    case Power::change_settings:
    case Power::end_room:
    case Power::clear_board:
    case Power::mute_all:
    case Power::admit:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Refusal> check_screen_share(Role actor, bool room_allows) {
  if (room_allows || actor.is_host || actor.is_cohost) return std::nullopt;
  return Refusal{ErrorCode::screenshare_disabled, "The host has turned screen sharing off."};
}

std::optional<Refusal> check_recording(Role actor) {
  if (actor.is_host || actor.is_cohost) return std::nullopt;
  return Refusal{ErrorCode::not_host, "Only the host or a co-host can record the room."};
}

}  // namespace mehfil::authority
