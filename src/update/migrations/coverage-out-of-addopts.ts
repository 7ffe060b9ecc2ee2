import { Rule, Tree } from "@angular-devkit/schematics";
import { removeFromStringArray } from "../../editors/toml/toml-array";
import { PYPROJECT_PATH } from "../../editors/toml/pyproject-tables";
import type { Migration } from "../migration";

/**
 * 0.1.0 measured coverage in every pytest run (`addopts = [..., "--cov=<name>"]`), so a run
 * of one test failed the 90% threshold, and it measured the project package only. From
 * 0.2.0 coverage is the full run's (`pytest --cov`, as CI and the README run it) over the
 * whole project (`[tool.coverage.run] source = ["."]`, which the release's pyproject.toml
 * holds). Text merging cannot bring this to a project whose owner edited that line (or
 * whose history lacks the base): this removes the `--cov` options wherever they are.
 */
export const coverageOutOfAddopts: Migration = {
  version: "0.2.0",
  name: "coverage-out-of-addopts",
  description:
    'pytest no longer measures coverage in every run: "--cov" leaves [tool.pytest.ini_options] addopts',
  rule:
    (project): Rule =>
    (tree: Tree) => {
      if (project.skip.has(PYPROJECT_PATH) || !tree.exists(PYPROJECT_PATH)) {
        return;
      }
      const text = tree.readText(PYPROJECT_PATH);
      const edited = removeFromStringArray(
        text,
        PYPROJECT_PATH,
        "tool.pytest.ini_options",
        "addopts",
        (item) => /^--cov(=|$)/.test(item),
      );
      if (edited !== text) {
        tree.overwrite(PYPROJECT_PATH, edited);
      }
    },
};
