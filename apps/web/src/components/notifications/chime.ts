// The alert sound: a short two-note chime made with Web Audio, so there is no
// file to load. Browsers keep an AudioContext silent until the page has had a
// user gesture, so the context is created (or resumed) on the agent's first
// click or key press, before any alert needs it.

let context: AudioContext | null = null;
let lastChime = 0;
/** A burst of messages chimes once. */
const QUIET_MS = 2_000;

/** Unlocks audio on the first user gesture; returns the cleanup. */
export function unlockAudioOnGesture(): () => void {
  const unlock = () => {
    context ??= new AudioContext();
    void context.resume();
  };
  const events = ["pointerdown", "keydown"] as const;
  for (const e of events) window.addEventListener(e, unlock, { once: true, capture: true });
  return () => {
    for (const e of events) window.removeEventListener(e, unlock, { capture: true });
  };
}

export function playChime(now = Date.now()): void {
  if (now - lastChime < QUIET_MS) return;
  lastChime = now;
  context ??= new AudioContext();
  const start = context.currentTime;
  for (const [i, frequency] of [880, 1320].entries()) {
    const at = start + i * 0.12;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.32);
  }
}
