import { compareVersions } from "../../../src/manifest";

describe("compareVersions", () => {
  it("orders dotted versions numerically", () => {
    expect(compareVersions("0.10.0", "0.9.1")).toBe(1);
    expect(compareVersions("0.1.0", "0.1.0")).toBe(0);
    expect(compareVersions("0.1", "0.1.0")).toBe(0);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBe(0);
    expect(compareVersions("0.1.0", "2.0.0")).toBe(-1);
  });
});
