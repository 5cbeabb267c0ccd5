/**
 * Sounds generated with Web Audio (no files): a soft click per call, a low buzz for a rejection, a
 * falling pair for a failure and a 963 Hz chime (the seed's frequency) when the goal is reached.
 * The AudioContext is created on the first sound after a user gesture, as browsers require.
 */
export type Sound = "call" | "reject" | "failure" | "success";

let ctx: AudioContext | null = null;

function tone(at: number, freq: number, length: number, type: OscillatorType, gain: number): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const amp = ctx.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, at);
  amp.gain.setValueAtTime(0.0001, at);
  amp.gain.exponentialRampToValueAtTime(gain, at + 0.01);
  amp.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(amp).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + length + 0.02);
}

/** Plays a sound; silently does nothing where Web Audio is unavailable. */
export function play(sound: Sound): void {
  try {
    ctx ??= new AudioContext();
  } catch {
    return;
  }
  const t = ctx.currentTime;
  switch (sound) {
    case "call":
      tone(t, 660, 0.08, "triangle", 0.05);
      break;
    case "reject":
      tone(t, 140, 0.25, "square", 0.04);
      break;
    case "failure":
      tone(t, 392, 0.15, "sawtooth", 0.03);
      tone(t + 0.15, 262, 0.25, "sawtooth", 0.03);
      break;
    case "success":
      // 963 Hz with its fifth and octave, a bell-like decay.
      tone(t, 963, 1.6, "sine", 0.12);
      tone(t + 0.08, 963 * 1.5, 1.2, "sine", 0.05);
      tone(t + 0.16, 963 * 2, 0.9, "sine", 0.03);
      break;
  }
}
