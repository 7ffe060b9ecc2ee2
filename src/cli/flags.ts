import { FlagSpec } from "./args";

/**
 * The flags of our commands themselves, besides the options of the schematic they run
 * (which come from its schema.json); kept apart from the commands so `--help` loads no engine.
 */
export const INIT_FLAGS: Record<string, FlagSpec> = {
  "dry-run": { type: "boolean", description: "List every file that would be created; write nothing." },
  help: { type: "boolean", description: "Show this help." },
};

/** What `quickscale init` was asked to do. */
export interface InitInput {
  name: string | undefined;
  directory: string | undefined;
  skipGit: boolean;
  dryRun: boolean;
}

export const ADD_FLAGS: Record<string, FlagSpec> = {
  "dry-run": {
    type: "boolean",
    description: "Show every file that would change, with a diff; write nothing.",
  },
  "allow-dirty": {
    type: "boolean",
    description: "Run even if files it would change have uncommitted changes.",
  },
  help: { type: "boolean", description: "Show this help." },
};

/** What `quickscale add` was asked to do. */
export interface AddInput {
  concern: string;
  /** The schematic's options, validated against its schema.json, defaults filled in. */
  options: Record<string, unknown>;
  dryRun: boolean;
  allowDirty: boolean;
}

export const UPDATE_FLAGS: Record<string, FlagSpec> = {
  check: {
    type: "boolean",
    description: "Exit 1 when the project is behind this QuickScale, one line per concern; write nothing.",
  },
  "dry-run": {
    type: "boolean",
    description: "Show every file that would change, with a diff; write nothing.",
  },
  "allow-dirty": {
    type: "boolean",
    description: "Run even if the git working tree has uncommitted changes.",
  },
  help: { type: "boolean", description: "Show this help." },
};
