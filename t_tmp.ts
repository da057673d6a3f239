import { np, grad, vmap, random, nn, lax } from "./mod.ts";
const tries: [string, () => unknown][] = [
  ["zeros dtyp", () => np.zeros([2], { dtyp: "int32" } as any)],
  ["sum keepDims", () => np.sum(np.ones([2]), 0, { keepDims: true } as any)],
  ["grad argnum", () => grad((x: any) => x, { argnum: 1 } as any)],
  ["vmap in_axes", () => vmap((x: any) => x, { in_axes: 0 } as any)],
  ["uniform", () => random.uniform(random.key(0), [2], { minVal: 0 } as any)],
  ["linspace", () => np.linspace(0, 1, 5, { endPoint: false } as any)],
  ["scan", () => lax.scan((c: any, x: any) => [c, x], 0, null, { len: 3 } as any)],
  ["onehot", () => nn.oneHot(np.array([1], {dtype: "int32"}), 3, { dtpe: "int32" } as any)],
];
for (const [n, f] of tries) { try { f(); console.log(n, "NO THROW"); } catch (e) { console.log(n, "->", (e as Error).message); } }
