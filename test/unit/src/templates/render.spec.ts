import { normalize } from "@angular-devkit/core";
import { renderEntry, renderPath } from "../../../../src/templates/render";

describe("templates", () => {
  it("replaces only path parts that name a value, so __init__.py survives", () => {
    expect(renderPath("/__name__/settings/__init__.py", { name: "shop" })).toBe("/shop/settings/__init__.py");
    expect(renderPath("/__main__.py", { name: "shop" })).toBe("/__main__.py");
  });

  it("names dot files __dot__<name>, which npm pack keeps (it drops every .gitignore)", () => {
    expect(renderPath("/__dot__gitignore", { name: "shop" })).toBe("/.gitignore");
    expect(renderPath("/__dot__gitignore", { dot: "x" })).toBe("/xgitignore");
  });

  it("renders .template files and strips the suffix", () => {
    const entry = renderEntry({ name: "shop" })({
      path: normalize("/__name__/index.html.template"),
      content: Buffer.from("Welcome to <%= name %>"),
    });
    expect(entry.path).toBe(normalize("/shop/index.html"));
    expect(entry.content.toString()).toBe("Welcome to shop");
  });

  it("leaves other files untouched, even with markers", () => {
    const content = Buffer.from("<%= name %>");
    const entry = renderEntry({ name: "shop" })({ path: normalize("/a.txt"), content });
    expect(entry.content).toBe(content);
  });

  it("names the failing template file", () => {
    const render = renderEntry({ name: "shop" });
    expect(() =>
      render({ path: normalize("/broken.py.template"), content: Buffer.from("<%= missing %>") }),
    ).toThrowError(/Template "\/broken\.py\.template" failed to render: .*missing/);
  });
});
