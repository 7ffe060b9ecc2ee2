// Removes dist/ so a deleted template can never survive in a build.
import { rmSync } from "node:fs";
import { join } from "node:path";

rmSync(join(import.meta.dirname, "..", "dist"), { recursive: true, force: true });
