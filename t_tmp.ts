import { grad, np, vmap } from "./mod.ts";
const m = np.array([[1, 2], [3, 4]]);
try {
  console.log(np.linalg.norm(m, "f" as any).item());
} catch (e) {
  console.log((e as Error).message);
}
const x = np.array([10, 20, 30]);
const tryit = (n: string, f: () => any) => {
  try {
    console.log(n, JSON.stringify(f().tolist()));
  } catch (e) {
    console.log(n, "ERR", (e as Error).message);
  }
};
tryit("vmap get", () => vmap((i: any) => x.get(i))(np.array([0, 5], { dtype: "int32" })));
tryit("vmap get neg", () => vmap((i: any) => x.get(i))(np.array([0, -1, -5], { dtype: "int32" })));
tryit("vmap set", () => vmap((i: any) => x.at(i).set(0))(np.array([0, 5], { dtype: "int32" })));
tryit("vmap add", () => vmap((i: any) => x.at(i).add(1))(np.array([0, 3, -4], { dtype: "int32" })));
tryit("eager get 5", () => x.get(5));
tryit("eager get arr", () => x.get(np.array([0, 5], { dtype: "int32" })));
tryit("eager set arr", () => x.at(np.array([0, 5], { dtype: "int32" })).set(0));
tryit("take", () => np.take(x, np.array([0, 5], { dtype: "int32" })));
tryit(
  "grad vmap get",
  () =>
    grad((x: any) => np.sum(vmap((i: any) => x.get(i))(np.array([0, 5], { dtype: "int32" }))))(
      np.array([1., 2, 3]),
    ),
);
