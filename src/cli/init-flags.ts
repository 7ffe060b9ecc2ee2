import { FlagSpec } from "./args";

/** The flags of `quickscale init`; kept apart from the command so `--help` loads no engine. */
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
