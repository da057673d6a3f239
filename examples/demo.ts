// A first demo: the lead replaces this with a tour of nabla.
import { version } from "../mod.ts";

console.log(`nabla ${version}`);
