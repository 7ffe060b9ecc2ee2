import { parse } from "smol-toml";
import { baseEnv, run } from "./process";

/** One `[[package]]` of a uv.lock, the fields the specs read. */
export interface LockedPackage {
  name: string;
  version: string;
  source: Record<string, unknown>;
  /** The sha256 of the sdist and of each wheel (empty for the editable project). */
  hashes: string[];
}

/** The packages of a uv.lock. */
export function lockedPackages(text: string): LockedPackage[] {
  const lock = parse(text) as { package?: Record<string, unknown>[] };
  return (lock.package ?? []).map((entry) => {
    const wheels: unknown[] = Array.isArray(entry["wheels"]) ? (entry["wheels"] as unknown[]) : [];
    const files: unknown[] = [entry["sdist"], ...wheels];
    const hashes = files.flatMap((file) => {
      const hash = (file as { hash?: unknown } | undefined)?.hash;
      return typeof hash === "string" ? [hash] : [];
    });
    return {
      name: String(entry["name"]),
      version: String(entry["version"]),
      source: (entry["source"] ?? {}) as Record<string, unknown>,
      hashes,
    };
  });
}

/** PEP 503's normalized form, as uv.lock names packages. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The distributions installed in the environment of `python`: normalized name → version. */
export async function installedVersions(python: string, cwd: string): Promise<Map<string, string>> {
  const result = await run(
    python,
    [
      "-c",
      "import importlib.metadata as m; print('\\n'.join(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions()))",
    ],
    { cwd, env: baseEnv(), timeoutMs: 60_000 },
  );
  if (result.code !== 0) {
    throw new Error(`${python}: cannot list its distributions:\n${result.stderr}`);
  }
  return new Map(
    result.stdout
      .split("\n")
      .filter((line) => line.includes("=="))
      .map((line) => {
        const [name = "", version = ""] = line.split("==");
        return [normalizedName(name), version] as const;
      }),
  );
}
