import { Tree } from "@angular-devkit/schematics";
import { missingBaseBlocks, topLevelBlocks } from "../../../../src/rules/template-blocks";

describe("topLevelBlocks", () => {
  it("names the blocks a child template fills, not the blocks nested in them", () => {
    const child = [
      '{% extends "base.html" %}',
      "{% block title %}{% block head_title %}{% endblock head_title %}{% endblock title %}",
      "{%block content%}<p>{% block inner %}{% endblock %}</p>{% endblock %}",
      "{# {% block commented %} #}",
      "{% comment %}{% block in_comment %}{% endblock %}{% endcomment %}",
    ].join("\n");
    expect(topLevelBlocks(child)).toEqual(["title", "content"]);
  });

  it("stops at a delimiter left open, as Django would refuse the template", () => {
    expect(topLevelBlocks("{% block a %}{% endblock %}{% block b ")).toEqual(["a"]);
    expect(topLevelBlocks("{% block a %}{% endblock %}{# {% block b %}")).toEqual(["a"]);
    expect(topLevelBlocks("{% comment %}{% block a %}{% endblock %}")).toEqual([]);
  });
});

describe("missingBaseBlocks", () => {
  const base = (text: string): Tree => {
    const tree = Tree.empty();
    tree.create("templates/base.html", text);
    return tree;
  };

  it("finds every block at any depth of base.html", () => {
    const tree = base(
      "{% block title %}t{% endblock %}<main>{% block content %}{% endblock content %}</main>",
    );
    expect(missingBaseBlocks(tree, ["title", "content"])).toEqual([]);
  });

  it("names the blocks base.html lacks, in the order asked", () => {
    const tree = base("{% block page %}{% endblock %}");
    expect(missingBaseBlocks(tree, ["title", "content"])).toEqual(["title", "content"]);
  });

  it("follows base.html's own extends to the templates it builds on", () => {
    const tree = base('{% extends "layout/site.html" %}{% block title %}t{% endblock %}');
    tree.create(
      "templates/layout/site.html",
      "{% block title %}{% endblock %}{% block content %}{% endblock %}",
    );
    expect(missingBaseBlocks(tree, ["title", "content"])).toEqual([]);
  });

  it("stops at a parent outside the project's templates folder, and on a loop", () => {
    const tree = base("{% extends 'base.html' %}{% block title %}t{% endblock %}");
    expect(missingBaseBlocks(tree, ["title", "content"])).toEqual(["content"]);
  });

  it("treats a missing base.html as lacking every block", () => {
    expect(missingBaseBlocks(Tree.empty(), ["content"])).toEqual(["content"]);
  });
});
