import { getSystemPath, join, Path, PathFragment, virtualFs } from "@angular-devkit/core";
import { NodeJsSyncHost } from "@angular-devkit/core/node";
import type { Stats } from "node:fs";
import { relative } from "node:path";
import { defer, map, Observable } from "rxjs";
import { isInsideProject, realLocation } from "../commit/project-paths";

/** A path of an existing project that leads outside it (or into `.git/`) through a link. */
export class OutsideProjectError extends Error {}

/**
 * The devkit's file system host over an existing project, which is untrusted: the stock
 * host follows symbolic links, so a link to a file outside the project would be read (and
 * shown in a diff). Here a path whose real location is outside the project's real path, or
 * a link into its `.git/`, is no part of the project: any question about it by name fails
 * with a one-line error naming it, and listings leave it out (so a link such as `.env` to a
 * shared file elsewhere does not stop rules that list the project's files).
 */
export class ProjectHost extends NodeJsSyncHost {
  /** Paths asked about by name that lead outside, in order. */
  private readonly refused: OutsideProjectError[] = [];

  constructor(
    private readonly root: string,
    private readonly projectReal: string,
  ) {
    super();
  }

  override read(path: Path): Observable<virtualFs.FileBuffer> {
    return defer(() => {
      this.assertInside(path);
      return super.read(path);
    });
  }

  /** A listing leaves out the links that lead outside: they are no part of the project. */
  override list(path: Path): Observable<PathFragment[]> {
    return defer(() => {
      this.assertInside(path);
      return super.list(path).pipe(map((names) => names.filter((name) => this.isInside(join(path, name)))));
    });
  }

  override stat(path: Path): Observable<virtualFs.Stats<Stats>> {
    return defer(() => {
      this.assertInside(path);
      return super.stat(path);
    });
  }

  override exists(path: Path): Observable<boolean> {
    return defer(() => {
      this.assertInside(path);
      return super.exists(path);
    });
  }

  override isFile(path: Path): Observable<boolean> {
    return defer(() => {
      this.assertInside(path);
      return super.isFile(path);
    });
  }

  override isDirectory(path: Path): Observable<boolean> {
    return defer(() => {
      this.assertInside(path);
      return super.isDirectory(path);
    });
  }

  /**
   * Throws the first refusal of the run, if any. The devkit's tree turns a failing `exists`
   * into "absent" (its SafeReadonlyHost), so a rule would carry on as if the file were
   * missing: call this once the rules ran, whatever their outcome.
   */
  assertNothingRefused(): void {
    const [first] = this.refused;
    if (first !== undefined) {
      throw first;
    }
  }

  private assertInside(path: Path): void {
    if (!this.isInside(path)) {
      const refusal = new OutsideProjectError(
        `"${this.shown(path)}" leads outside the project (or into .git/) through a symbolic link; QuickScale does not read or write through it: replace the link with a real file or folder, then run again.`,
      );
      this.refused.push(refusal);
      throw refusal;
    }
  }

  /** Whether `path` really is in the project (links resolved); a path under `.git/` as named counts. */
  private isInside(path: Path): boolean {
    const system = getSystemPath(path);
    const shown = this.shown(path);
    const real = realLocation(system, shown);
    if (real === null || real === this.projectReal) {
      return true;
    }
    if (isInsideProject(this.projectReal, real)) {
      return true;
    }
    // Git's own folder, named as such (not reached through a link), is the project's.
    const named = shown.split("/")[0]?.toLowerCase() === ".git";
    return named && relative(this.projectReal, real).split("/")[0]?.toLowerCase() === ".git";
  }

  private shown(path: Path): string {
    return relative(this.root, getSystemPath(path)) || ".";
  }
}
