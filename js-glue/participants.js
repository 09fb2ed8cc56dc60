// A call's people and room as the embed API shows them (mehfil.d.ts Participant, Room): the core's
// participant with is_local and speaking added, everyone in the stage's order (the layout's join
// order), ourselves with what our own media sends, and the room with its link.

export function publicParticipant(p, isLocal, speaking) {
  return {
    user_id: p.user_id, peer_id: p.peer_id, display_name: p.display_name, is_host: p.is_host, is_cohost: p.is_cohost,
    audio: p.audio, video: p.video, screen: p.screen, is_local: isLocal, speaking: speaking.has(p.peer_id),
    hand_raised_at: p.hand_raised_at ?? null,
  };
}

// `others`: the core's participants; `self`: the local one, already public (or null).
export function inStageOrder(stage, self, others, speaking) {
  const byPeer = new Map(others.map((p) => [p.peer_id, publicParticipant(p, false, speaking)]));
  const order = stage.tiles.filter((t) => t.content === 'camera').map((t) => t.peer_id);
  if (!order.length) return [...byPeer.values(), ...(self ? [self] : [])];
  return order.map((id) => (id === self?.peer_id ? self : byPeer.get(id))).filter(Boolean);
}

// Those with a hand up, in the order they raised it (the server's clock); ties keep the given order.
export function raisedHands(people) {
  return people.filter((p) => p.hand_raised_at != null).sort((a, b) => a.hand_raised_at - b.hand_raised_at);
}

// Ourselves from the core's snapshot; `media`: LocalMedia (what we send now). Null before joining.
export function publicSelf(snapshot, media, speaking) {
  const self = snapshot?.self;
  if (!self) return null;
  return {
    user_id: self.user_id, peer_id: self.peer_id, display_name: self.display_name,
    is_host: !!snapshot.role?.is_host, is_cohost: !!snapshot.role?.is_cohost,
    audio: media.sendsAudio, video: media.sendsVideo, screen: !!media.screen,
    is_local: true, speaking: speaking.has(self.peer_id), hand_raised_at: self.hand_raised_at ?? null,
  };
}

// The room from the core's snapshot, with the link that opens it on `server`. Null before joining.
export function publicRoom(snapshot, server) {
  const room = snapshot?.room;
  if (!room) return null;
  return { ...room, settings: { ...room.settings }, link: new URL(`/room/${room.room_code}`, server).href };
}

// Per person in the call: how the link to them is doing (the core's link state and LinkReports'
// figures), for the "Connection info" panel and the `connection-stats` event.
export function connectionRows(others, snapshot, links) {
  return others.map((p) => ({
    user_id: p.user_id, peer_id: p.peer_id, display_name: p.display_name,
    link_state: snapshot?.links?.[p.peer_id]?.state ?? null,
    ...links.report(p.peer_id),
  }));
}
