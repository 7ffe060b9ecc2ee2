import { FlagSpec } from "./args";

/** The flags of each command; kept apart from the commands so `--help` loads no engine. */
export const INIT_FLAGS: Record<string, FlagSpec> = {
  directory: {
    type: "string",
    value: "path",
    description: "Folder to create (default: ./<name>); any relative or absolute path.",
  },
  "skip-git": { type: "boolean", description: "Do not initialise a git repository with a first commit." },
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

/** The concerns and modules `quickscale add` can add to, or refresh in, an existing project. */
export const ADDABLE_CONCERNS = ["auth", "billing", "ci", "docker", "quality"] as const;

export const ADD_FLAGS: Record<string, FlagSpec> = {
  overwrite: {
    type: "boolean",
    description: "Replace files you changed since QuickScale wrote them (otherwise: stop and show the diff).",
  },
  "dry-run": {
    type: "boolean",
    description: "Show every file that would change, with a diff; write nothing.",
  },
  "allow-dirty": {
    type: "boolean",
    description: "Run even if the git working tree has uncommitted changes.",
  },
  mfa: {
    type: "boolean",
    description: "auth only: add two-factor authentication (TOTP and recovery codes).",
  },
  help: { type: "boolean", description: "Show this help." },
};

/** What `quickscale add` was asked to do. */
export interface AddInput {
  concern: string;
  overwrite: boolean;
  dryRun: boolean;
  allowDirty: boolean;
  mfa: boolean;
}
