// A call's people as the embed API shows them (mehfil.d.ts Participant): the core's participant with
// is_local and speaking added, and everyone in the stage's order (the layout's join order).

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
