/**
 * A spectrogram with `np.fft.rfft`: a signal sampled at 1 kHz — a steady
 * 50 Hz tone plus a chirp sweeping from 100 Hz to 400 Hz — is cut into
 * overlapping frames, each frame is multiplied by a Hann window and
 * transformed with one batched `rfft`, and the power of each frequency bin
 * is printed in decibels for a few frames: the chirp's peak moves up while the
 * tone stays put. Then the spectrogram is differentiated: gradient descent on
 * the amplitudes of a two-tone model recovers those of a target signal from
 * its spectrogram alone (a real loss of complex intermediates).
 *
 * Run: `deno run examples/spectrogram.ts`
 *
 * @module
 */

import { type Array, grad, np } from "../mod.ts";

const rate = 1000; // samples per second
const n = 1000; // one second
const frame = 128;
const hop = 64;
const t = np.arange(n).div(rate);

// 50 Hz tone + chirp with instantaneous frequency 100 + 300 t Hz (phase 2π(100 t + 150 t²)).
const chirpPhase = np.multiply(2 * Math.PI, np.add(t.mul(100), np.square(t).mul(150)));
const signal = np.add(np.sin(t.mul(2 * Math.PI * 50)).mul(0.5), np.sin(chirpPhase));

/** Hann-windowed frames `[count, frame]` of a 1-D signal, then their power spectra. */
function spectrogram(x: Array): Array {
  const count = Math.floor((x.shape[0] - frame) / hop) + 1;
  const frames = np.stack(
    globalThis.Array.from({ length: count }, (_, i) => x.get(`${i * hop}:${i * hop + frame}`)),
  );
  const hann = np.subtract(0.5, np.cos(np.arange(frame).mul((2 * Math.PI) / frame)).mul(0.5));
  const spectra = np.fft.rfft(np.multiply(frames, hann)); // [count, frame / 2 + 1], complex
  return np.square(np.abs(spectra));
}

const power = spectrogram(signal);
const freqs = np.fft.rfftfreq(frame, 1 / rate);
console.log(`spectrogram: ${power.shape[0]} frames × ${power.shape[1]} bins of ${rate / frame} Hz`);
const binOf = (hz: number) => Math.round(hz / (rate / frame));
for (const i of [0, 4, 8, 12]) {
  const row = power.get(i);
  // The chirp's peak: the strongest bin above 80 Hz (the tone sits at 50 Hz).
  const above = row.get(`${binOf(80)}:`);
  const peak = binOf(80) + (np.argmax(above).item() as number);
  const centre = (i * hop + frame / 2) / rate;
  const db = (v: number) => (10 * Math.log10(v)).toFixed(1);
  console.log(
    `  frame ${i} (t = ${centre.toFixed(3)} s): chirp peak ${
      (freqs.get(peak).item() as number).toFixed(1)
    } Hz (expected ${(100 + 300 * centre).toFixed(1)} Hz), tone ${
      db(row.get(binOf(50)).item() as number)
    } dB`,
  );
}

// Fit the amplitudes of two tones (60 Hz and 220 Hz) to a target's spectrogram by gradient descent.
const tone = (hz: number) => np.sin(t.mul(2 * Math.PI * hz));
const target = spectrogram(np.add(tone(62.5).mul(0.8), tone(218.75).mul(0.3)));
const model = (a: Array) =>
  spectrogram(np.add(np.multiply(a.get(0), tone(62.5)), np.multiply(a.get(1), tone(218.75))));
const loss = (a: Array) => np.mean(np.square(np.subtract(np.sqrt(model(a)), np.sqrt(target))));
const dloss = grad(loss);
let a = np.array([0.5, 0.5]);
for (let step = 0; step < 100; step++) a = np.subtract(a, dloss(a).mul(0.002));
const [a0, a1] = a.tolist() as number[];
console.log(`recovered amplitudes: ${a0.toFixed(4)} ${a1.toFixed(4)} (target 0.8 0.3)`);
console.log(`final loss: ${(loss(a).item() as number).toExponential(2)}`);
