import {
  apply,
  callSource,
  empty,
  Rule,
  schematic,
  SchematicContext,
  SchematicsException,
  Tree,
} from "@angular-devkit/schematics";
import { lastValueFrom } from "rxjs";
import { MANIFEST_PATH, startManifest } from "../rules/manifest";
import { isSecretKey } from "../templates/secret-key";

/** What this QuickScale writes for a project, path by path, and which concerns write each file. */
export interface ReleaseRender {
  files: Map<string, Buffer>;
  owners: Map<string, string[]>;
}

/** A concern's options, as recorded by the manifest and the files it lists. */
export type ConcernOptionsOf = (concern: string) => Record<string, unknown>;

/**
 * Renders the project afresh in a virtual tree, as `init` and then `add` would have made it
 * with the recorded options: the recorded concerns, in `order`. Nothing is read from the
 * project: the result is what this release writes, the "theirs" of a three-way merge.
 */
export async function renderRelease(
  options: Record<string, string>,
  concerns: readonly string[],
  optionsOf: ConcernOptionsOf,
  context: SchematicContext,
): Promise<ReleaseRender> {
  const owners = new Map<string, string[]>();
  let seen = new Map<string, Buffer>();
  const noteOwners =
    (concern: string): Rule =>
    (tree: Tree) => {
      const now = new Map<string, Buffer>();
      tree.visit((path, entry) => {
        if (entry) {
          now.set(path.slice(1), entry.content);
          const before = seen.get(path.slice(1));
          if (before === undefined || !before.equals(entry.content)) {
            owners.set(path.slice(1), [...(owners.get(path.slice(1)) ?? []), concern]);
          }
        }
      });
      seen = now;
    };
  const source = apply(empty(), [
    startManifest(options),
    ...concerns.flatMap((concern) => [schematic(concern, optionsOf(concern)), noteOwners(concern)]),
  ]);
  let tree: Tree;
  try {
    tree = await lastValueFrom(callSource(source, context));
  } catch (error) {
    throw new SchematicsException(
      `This QuickScale cannot render the project's recorded concerns (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const files = new Map<string, Buffer>();
  tree.visit((path, entry) => {
    if (entry && path !== `/${MANIFEST_PATH}`) {
      files.set(path.slice(1), entry.content);
    }
  });
  owners.delete(MANIFEST_PATH);
  return { files, owners };
}

const DEVELOPMENT_KEY = /(SECRET_KEY = "django-insecure-)([^"]{50})(")/;

/**
 * The release's file with the project's own development key in place of the fresh render's
 * random one: the key is the project's, not a change of the release (and a second update
 * must change nothing).
 */
export function keepDevelopmentKey(theirs: Buffer, ours: Buffer | null): Buffer {
  const key = ours === null ? undefined : DEVELOPMENT_KEY.exec(ours.toString("utf8"))?.[2];
  const text = theirs.toString("utf8");
  if (key === undefined || !isSecretKey(key) || !DEVELOPMENT_KEY.test(text)) {
    return theirs;
  }
  return Buffer.from(
    text.replace(
      DEVELOPMENT_KEY,
      (_all, before: string, _old: string, after: string) => `${before}${key}${after}`,
    ),
  );
}
