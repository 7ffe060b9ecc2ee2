import { SchematicTestRunner, UnitTestTree } from "@angular-devkit/schematics/testing";
import { Tree } from "@angular-devkit/schematics";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { PACKAGE_ROOT } from "../../../src/base/version";
import { topLevelBlocks } from "../../../src/rules/template-blocks";

const runner = new SchematicTestRunner("quickscale", join(PACKAGE_ROOT, "collection.json"));

/** htmx 2.0.11's dist/htmx.min.js as published on npm (htmx.org@2.0.11). */
const HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717";

describe("the UI shell of a generated project", () => {
  let tree: UnitTestTree;
  beforeAll(async () => {
    tree = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
  });
  const text = (path: string): string => tree.readText(`/shop/${path}`);
  const templates = (): string[] =>
    tree.files.filter((path) => path.startsWith("/shop/templates/")).map((path) => path.slice(6));

  it("lays every page out with a header and its navigation, the messages, the main content and a footer", () => {
    const base = text("templates/base.html");
    expect(base).toMatch(/<header class="site-header">/);
    expect(base).toMatch(/<nav [^>]*aria-label="Main"/);
    expect(base).toMatch(/<a class="skip-link" href="#content">/);
    expect(base).toContain('<main id="content" class="container">');
    // Only when there are messages: an include costs more than the if (the served home page).
    expect(base).toContain('{% if messages %}{% include "includes/messages.html" %}{% endif %}');
    expect(base).toContain('{% include "includes/account_menu.html" %}');
    expect(base).toMatch(/<footer class="site-footer">/);
    for (const block of ["title", "head", "nav", "account_menu", "content", "footer", "scripts"]) {
      expect(base)
        .withContext(block)
        .toMatch(new RegExp(`{% block ${block} %}`));
    }
  });

  it("shows sign-in and sign-up once allauth's URLs exist, and the signed-in user with a sign-out form", () => {
    const menu = text("templates/includes/account_menu.html");
    expect(menu).toContain('href="{{ account_urls.login }}"');
    expect(menu).toContain('href="{{ account_urls.signup }}"');
    expect(menu).toContain("{% if user.is_authenticated %}");
    expect(menu).toMatch(/<form method="post" action="{{ account_urls.logout }}"[^>]*>\s*{% csrf_token %}/);
    // The names are looked up once by the project's context processor, not on every page.
    expect(menu).not.toMatch(/{% url '(account_|profile)/);
    expect(text("shop/settings/base.py")).toContain('"shop.context_processors.account_urls",');
    expect(text("shop/context_processors.py")).toContain('"logout": ("account_logout", "admin:logout"),');
  });

  it("links the header, the footer and the home page with URLs looked up once, not with {% url %} on every page", () => {
    for (const page of ["base.html", "index.html", "includes/account_menu.html"]) {
      expect(text(`templates/${page}`))
        .withContext(page)
        .not.toContain("{% url ");
    }
    expect(text("templates/base.html")).toContain('<a class="brand" href="{{ account_urls.home }}">');
    expect(text("templates/index.html")).toContain('href="{{ account_urls.admin }}"');
    const lookups = text("shop/context_processors.py");
    expect(lookups).toContain('"home": ("index",),');
    expect(lookups).toContain('"admin": ("admin:index",),');
  });

  it("sends the Content-Security-Policy of the settings through django-csp's middleware with the header built once", () => {
    const middleware = text("shop/settings/base.py").match(/MIDDLEWARE = \[[^\]]*\]/)?.[0] ?? "";
    expect(middleware).toContain('"shop.middleware.ContentSecurityPolicyMiddleware",');
    expect(middleware).not.toContain('"csp.middleware.CSPMiddleware"');
    expect(text("shop/middleware.py")).toContain("class ContentSecurityPolicyMiddleware(CSPMiddleware):");
    expect(text("tests/test_middleware.py")).toContain("def test_it_sends_the_headers_django_csp_sends(");
  });

  it("has error pages, the 500 page standing alone (Django renders it without a request)", () => {
    for (const page of ["404.html", "403.html", "403_csrf.html"]) {
      expect(text(`templates/${page}`))
        .withContext(page)
        .toMatch(/^{% extends "base\.html" %}/);
    }
    const serverError = text("templates/500.html");
    expect(serverError).not.toContain("{% extends");
    // Only the tags (and the comment) outside the comment matter.
    const markup = serverError.replace(/{% comment %}[\s\S]*?{% endcomment %}/, "");
    expect(markup).not.toMatch(/{% (url|include|csrf_token)\b|{{ *(user|request)\b/);
    expect(serverError).toContain("{% static 'css/style.css' %}");
  });

  it("runs no inline script or style the Content-Security-Policy would block", () => {
    for (const path of templates()) {
      const html = text(path);
      expect(html)
        .withContext(path)
        .not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
      expect(html)
        .withContext(path)
        .not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    }
    // htmx adds an inline <style> for its indicators unless told not to.
    expect(text("templates/base.html")).toContain(
      `<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>`,
    );
  });

  it("vendors htmx, pinned, with its version and licence, and loads it with django-htmx", () => {
    const htmx = tree.read("/shop/static/vendor/htmx/htmx.min.js");
    expect(htmx).not.toBeNull();
    expect(
      createHash("sha256")
        .update(htmx ?? "")
        .digest("hex"),
    ).toBe(HTMX_SHA256);
    const licence = text("static/vendor/htmx/LICENSE");
    expect(licence).toContain("htmx 2.0.11");
    expect(licence).toContain(HTMX_SHA256);
    expect(licence).toContain("Zero-Clause BSD");
    expect(text("templates/base.html")).toContain(
      `<script src="{% static 'vendor/htmx/htmx.min.js' %}" defer></script>`,
    );
    const pyproject = parseToml(text("pyproject.toml")) as { project: { dependencies: string[] } };
    expect(pyproject.project.dependencies).toContain("django-htmx>=1.29,<2.0");
    const settings = text("shop/settings/base.py");
    expect(settings).toContain('    "django_htmx",\n');
    expect(settings).toContain('    "django_htmx.middleware.HtmxMiddleware",\n');
  });

  it("answers /robots.txt and /favicon.ico", () => {
    const urls = text("shop/urls.py");
    expect(urls).toContain('path("robots.txt", views.robots_txt, name="robots_txt")');
    expect(urls).toContain('path("favicon.ico", views.favicon, name="favicon")');
    expect(text("templates/robots.txt")).toContain("User-agent: *");
    expect(text("shop/views.py")).toContain('HttpResponseRedirect(static("images/favicon.svg"))');
    expect(tree.exists("/shop/static/images/favicon.svg")).toBeTrue();
  });

  it("documents every block of base.html in the README, where modules and users extend it", () => {
    const readme = text("README.md");
    const section = readme.slice(readme.indexOf("## The UI shell"), readme.indexOf("## Tests"));
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1] ?? "");
    const base = text("templates/base.html");
    const blocks = [...base.matchAll(/{% block (\w+) %}/g)].map((match) => match[1] ?? "");
    expect(documented).toEqual(blocks);
    expect(topLevelBlocks(base)).toEqual(blocks);
  });
});
