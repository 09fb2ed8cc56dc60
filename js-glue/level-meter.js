// How loud one microphone (or a remote person's audio track) is right now: the root mean square of
// its latest samples, 0 for silence, about 0.7 for a full-scale sine. One measure for the room
// page's preview bars and the call's speaking meters, whose levels the core turns into "who is
// speaking" (it counts 0.03 and up as a voice), so the two always read the same sound alike.
//
//   const meter = new LevelMeter(audioContext, track);
//   meter.level();    // sample now; 0 while the track is disabled (muted)
//   meter.dispose();  // disconnect from the context (closing the context does it too)
//
// Sampling is on demand: the caller decides how often (a timer), and a meter nobody asks costs
// nothing but the analyser node.
export class LevelMeter {
  #source;
  #analyser;
  #samples;

  constructor(context, track) {
    this.track = track;
    this.#source = context.createMediaStreamSource(new MediaStream([track]));
    this.#analyser = context.createAnalyser();
    this.#analyser.fftSize = 512;  // about 11 ms at 48 kHz: short enough to follow syllables
    this.#source.connect(this.#analyser);
    this.#samples = new Float32Array(this.#analyser.fftSize);
  }

  level() {
    if (!this.track.enabled || this.track.readyState !== 'live') return 0;
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const v of this.#samples) sum += v * v;
    return Math.sqrt(sum / this.#samples.length);
  }

  dispose() {
    this.#source.disconnect();
  }
}
