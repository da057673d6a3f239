/**
 * A small convolutional network learns to tell horizontal bars from vertical
 * ones in noisy 10×10 images. Two 3×3 convolutions (`lax.conv` in NCHW
 * layout) with ReLU, a 2×2 max pooling and a global average pooling (both
 * `lax.reduceWindow`) feed a linear read-out; `valueAndGrad` differentiates
 * the cross-entropy through all of them (the convolutions' gradients are
 * convolutions, max pooling's goes to each window's maximum), and gradient
 * descent with momentum trains it on 256 generated images in a few seconds.
 * Accuracy is measured on 256 fresh images.
 *
 * Run: `deno run examples/cnn.ts`
 *
 * @module
 */

import { type Array, lax, np, tree, valueAndGrad } from "../mod.ts";

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(3);
const int = (n: number) => Math.floor(rand() * n);

const SIZE = 10;

/** `n` images [n, 1, SIZE, SIZE]: a bar of length 4–7 at a random place, plus noise; label 1 = vertical. */
function dataset(n: number): [Array, Array] {
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const vertical = i % 2;
    const img = globalThis.Array.from({ length: SIZE * SIZE }, () => 0.3 * (rand() - 0.5));
    const len = 4 + int(4);
    const along = int(SIZE - len + 1), across = int(SIZE);
    for (let t = 0; t < len; t++) {
      const [r, c] = vertical ? [along + t, across] : [across, along + t];
      img[r * SIZE + c] += 1;
    }
    pixels.push(...img);
    labels.push(vertical);
  }
  return [np.array(pixels).reshape([n, 1, SIZE, SIZE]), np.array(labels)];
}

const [trainX, trainY] = dataset(256);
const [testX, testY] = dataset(256);

type Params = { k1: Array; b1: Array; k2: Array; b2: Array; w: Array; b: Array };

function init(): Params {
  const normalish = (shape: number[], fanIn: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = globalThis.Array.from({ length: n }, () => (rand() * 2 - 1) * Math.sqrt(3 / fanIn));
    return np.array(v).reshape(shape);
  };
  return {
    k1: normalish([6, 1, 3, 3], 9), // OIHW
    b1: np.zeros([1, 6, 1, 1]),
    k2: normalish([8, 6, 3, 3], 54),
    b2: np.zeros([1, 8, 1, 1]),
    w: normalish([8], 8),
    b: np.zeros([]),
  };
}

const relu = (x: Array) => np.maximum(x, 0);

/** The logit of "vertical" for each image. */
function predict(p: Params, x: Array): Array {
  let h = relu(np.add(lax.conv(x, p.k1, [1, 1], "SAME"), p.b1)); // [n, 6, 10, 10]
  h = lax.reduceWindow(h, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2]); // [n, 6, 5, 5]
  h = relu(np.add(lax.conv(h, p.k2, [1, 1], "VALID"), p.b2)); // [n, 8, 3, 3]
  const pooled = lax.reduceWindow(h, 0, lax.add, [1, 1, 3, 3]).reshape([-1, 8]); // global sum
  return np.add(np.matmul(np.divide(pooled, 9), p.w), p.b);
}

/** Binary cross-entropy from logits: mean of softplus(z) − y z. */
function loss(p: Params): Array {
  const z = predict(p, trainX);
  const softplus = np.add(np.maximum(z, 0), np.log1p(np.exp(np.negative(np.abs(z)))));
  return np.mean(np.subtract(softplus, np.multiply(trainY, z)));
}

const accuracy = (p: Params, x: Array, y: Array) =>
  (np.mean(np.equal(np.greater(predict(p, x), 0), np.greater(y, 0.5))).item() as number) * 100;

const lr = 0.1;
const beta = 0.9;
const steps = 150;
let params = init();
let velocity = tree.map((x: Array) => np.zerosLike(x), params) as Params;
const step = valueAndGrad(loss);
const start = performance.now();
for (let i = 0; i <= steps; i++) {
  const [value, g] = step(params);
  if (i % 25 === 0) {
    console.log(
      `step ${String(i).padStart(3)}  loss ${(value.item() as number).toFixed(4)}  test accuracy ${
        accuracy(params, testX, testY).toFixed(1)
      }%`,
    );
  }
  if (i === steps) break;
  velocity = tree.map((v: Array, dv: Array) => np.add(np.multiply(beta, v), dv), velocity, g);
  params = tree.map((x: Array, v: Array) => np.subtract(x, np.multiply(lr, v)), params, velocity);
}
const seconds = (performance.now() - start) / 1000;
console.log(`trained ${steps} steps on 256 images in ${seconds.toFixed(1)} s`);
console.log(`final test accuracy ${accuracy(params, testX, testY).toFixed(1)}%`);
