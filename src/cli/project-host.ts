import { getSystemPath, Path, PathFragment, virtualFs } from "@angular-devkit/core";
import { NodeJsSyncHost } from "@angular-devkit/core/node";
import type { Stats } from "node:fs";
import { relative } from "node:path";
import { defer, Observable, of } from "rxjs";
import { isInsideProject, realLocation } from "../commit/project-paths";

/**
 * The devkit's file system host over an existing project, which is untrusted: the stock
 * host follows symbolic links, so a link to a file outside the project would be read (and
 * shown in a diff). Here a path whose real location is outside the project's real path, or
 * a link into its `.git/`, is no part of the project: reading, listing or stat-ing it fails
 * with a one-line error naming it, and it is neither a file nor a folder for the rules
 * (which then cannot change it: the committer refuses to write through links).
 */
export class ProjectHost extends NodeJsSyncHost {
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

  override list(path: Path): Observable<PathFragment[]> {
    return defer(() => {
      this.assertInside(path);
      return super.list(path);
    });
  }

  override stat(path: Path): Observable<virtualFs.Stats<Stats>> {
    return defer(() => {
      this.assertInside(path);
      return super.stat(path);
    });
  }

  override exists(path: Path): Observable<boolean> {
    return this.isInside(path) ? super.exists(path) : of(false);
  }

  override isFile(path: Path): Observable<boolean> {
    return this.isInside(path) ? super.isFile(path) : of(false);
  }

  override isDirectory(path: Path): Observable<boolean> {
    return this.isInside(path) ? super.isDirectory(path) : of(false);
  }

  private assertInside(path: Path): void {
    if (!this.isInside(path)) {
      throw new Error(
        `"${this.shown(path)}" leads outside the project (or into .git/) through a symbolic link; QuickScale does not read through it: replace the link with a real file or folder, then run again.`,
      );
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
