import { HostTree } from "@angular-devkit/schematics";
import { compareVersions, isSemver, MANIFEST_PATH, readManifest } from "../../../../src/rules/manifest";

describe("compareVersions", () => {
  it("orders dotted versions numerically", () => {
    expect(compareVersions("0.10.0", "0.9.1")).toBe(1);
    expect(compareVersions("0.1.0", "0.1.0")).toBe(0);
    expect(compareVersions("0.1", "0.1.0")).toBe(0);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBe(0);
    expect(compareVersions("0.1.0", "2.0.0")).toBe(-1);
  });
});

describe("isSemver", () => {
  it("accepts Semantic Versioning 2.0.0 versions", () => {
    for (const version of [
      "0.1.0",
      "1.0.0",
      "10.20.30",
      "1.0.0-rc.1",
      "1.0.0-alpha.beta+exp.sha.5114f85",
      "2.0.0+20130313",
    ]) {
      expect(isSemver(version)).withContext(version).toBeTrue();
    }
  });

  it("refuses anything else", () => {
    for (const version of [
      "banana",
      "",
      "1",
      "1.0",
      "01.0.0",
      "1.0.0.0",
      "v1.0.0",
      "1.0.0-",
      "1.0.0-01",
      " 1.0.0",
      "1.0.0\n",
    ]) {
      expect(isSemver(version)).withContext(JSON.stringify(version)).toBeFalse();
    }
  });
});

describe("readManifest", () => {
  const treeWith = (manifest: Record<string, unknown>): HostTree => {
    const tree = new HostTree();
    tree.create(MANIFEST_PATH, JSON.stringify({ options: {}, concerns: {}, files: {}, ...manifest }));
    return tree;
  };

  it("reads a manifest QuickScale wrote", () => {
    const manifest = readManifest(treeWith({ quickscale: "0.1.0", options: { name: "shop" } }));
    expect(manifest.options["name"]).toBe("shop");
  });

  for (const [name, reason] of [
    ["django", /would shadow the "django" package/],
    ["allauth", /would shadow the "allauth" package that "quickscale add auth" installs/],
    ["../x", /is not a Python package name/],
    ["", /the project name is empty/],
  ] as const) {
    it(`refuses a project named ${JSON.stringify(name)} in one line, saying what to do`, () => {
      expect(() => readManifest(treeWith({ quickscale: "0.1.0", options: { name } }))).toThrowError(
        new RegExp(
          `^\\.quickscale\\.json names the project ${JSON.stringify(name).replace(/[.]/g, "\\.")}, which is not a valid project name \\(.*${reason.source}.*\\): restore it from version control\\.$`,
        ),
      );
    });
  }

  it("refuses a version that is not a semver, in one line, saying what to do", () => {
    for (const version of ["banana", "1.0", "01.0.0"]) {
      expect(() => readManifest(treeWith({ quickscale: version, options: { name: "shop" } })))
        .withContext(version)
        .toThrowError(
          `.quickscale.json records QuickScale version "${version}", which is not a version (major.minor.patch): restore it from version control.`,
        );
    }
  });
});
