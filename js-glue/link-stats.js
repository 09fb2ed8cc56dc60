// Reads one RTCPeerConnection's getStats() into the plain counters the core rates
// (wasm/core/room/link_quality.h, StatsSample): the selected candidate pair's round-trip time,
// available outgoing bitrate and candidate types, and the packets and bytes of every RTP stream.
// Only reading here; what the figures mean (good, fair, poor) is the core's to say.

export async function readLinkSample(pc, atMs) {
  const stats = await pc.getStats();
  const sample = {
    at_ms: atMs, packets_received: 0, packets_lost: 0, bytes_received: 0, bytes_sent: 0,
    local_candidate_type: '', remote_candidate_type: '',
  };
  let pair = null;
  stats.forEach((report) => {
    if (report.type === 'transport' && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId);
    if (report.type === 'inbound-rtp') {
      sample.packets_received += report.packetsReceived ?? 0;
      sample.packets_lost += report.packetsLost ?? 0;
      sample.bytes_received += report.bytesReceived ?? 0;
    }
    if (report.type === 'outbound-rtp') sample.bytes_sent += report.bytesSent ?? 0;
  });
  // Chrome names the selected pair on the transport; without one, the nominated succeeded pair.
  if (!pair) stats.forEach((report) => { if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') pair = report; });
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') sample.rtt_ms = pair.currentRoundTripTime * 1000;
    if (typeof pair.availableOutgoingBitrate === 'number') sample.available_out_bps = pair.availableOutgoingBitrate;
    sample.local_candidate_type = stats.get(pair.localCandidateId)?.candidateType ?? '';
    sample.remote_candidate_type = stats.get(pair.remoteCandidateId)?.candidateType ?? '';
  }
  return sample;
}

const TICK_MS = 1000;
// getStats on every link every 2 s (the quality bars and Connection info), and no more than one
// pc a second: a full mesh of ten would otherwise spend a busy machine's CPU on its own statistics.
const STATS_EVERY_TICKS = 2;

// Every link's report, refreshed in rounds: getStats on every pc, the samples to the core
// (RoomCore.linkStats, room/link_quality.h), its reports kept for connectionStats() and the cards'
// quality bars. One round at a time, however slow the machine.
export class LinkReports {
  #reports = {}; // peer id -> the core's LinkReport
  #sampling = false;
  #heartbeat = 0;

  report(peerId) { return this.#reports[peerId] ?? { quality: 'unknown', path: '' }; }
  get busy() { return this.#sampling; }

  // peers: PeerConnections; core: RoomCore. Resolves to the new reports, or null when a round was
  // already running.
  async refresh(peers, core, now) {
    if (this.#sampling) return null;
    this.#sampling = true;
    try {
      this.#reports = core.linkStats(await peers.sample((pc) => readLinkSample(pc, now())));
    } finally {
      this.#sampling = false;
    }
    return this.#reports;
  }

  // While in the room: `tick` every second (the core's links keep their own clocks: restarts,
  // deadlines) and `sample` every STATS_EVERY_TICKS ticks, or every `links()` ticks in a bigger mesh.
  heartbeat({ tick, sample, links }) {
    this.stopHeartbeat();
    let ticks = 0;
    this.#heartbeat = setInterval(() => {
      tick();
      if (++ticks % Math.max(STATS_EVERY_TICKS, links()) === 0) sample();
    }, TICK_MS);
  }

  stopHeartbeat() { clearInterval(this.#heartbeat); }
}
