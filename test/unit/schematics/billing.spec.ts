import { Tree } from "@angular-devkit/schematics";
import { QUICKSCALE_VERSION } from "../../../src/base/version";
import { projectNameProblem } from "../../../src/names/project-name";
import { filesOf, runner, treeOf } from "../support/schematic-trees";

describe("billing module", () => {
  let withoutAuth: Record<string, string>;
  let withAuth: Record<string, string>;
  let project: Tree;
  beforeAll(async () => {
    const generated = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
    withoutAuth = {};
    for (const path of generated.files) withoutAuth[path.slice("/shop".length)] = generated.readText(path);
    withAuth = filesOf(await runner.runSchematic("auth", {}, treeOf(withoutAuth)));
  });
  beforeEach(() => {
    project = treeOf(withAuth);
  });

  it("adds the app, the Stripe settings, the URLs, stripe, .env.example and the README", async () => {
    const result = await runner.runSchematic("billing", {}, project);
    const base = result.readText("shop/settings/base.py");
    expect(base).toContain('    "shop.users",\n    "shop.billing",\n]');
    expect(base).toContain('\nSTRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")\n');
    expect(base).toContain('\nSTRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")\n');
    expect(base).toContain('"id": env.str("STRIPE_PRICE_PRO_YEARLY", default=""),');
    expect(result.readText("shop/urls.py")).toContain(
      '    path("accounts/", include("allauth.urls")),\n    path("billing/", include("shop.billing.urls")),\n',
    );
    expect(result.readText("pyproject.toml")).toMatch(/\n {4}"stripe>=16\.1,<17\.0",\n/);
    const env = result.readText(".env.example");
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"]) {
      expect(env).toMatch(new RegExp(`^${name}=\\S+_live_|^${name}=whsec_`, "m"));
    }
    expect(result.readText("README.md")).toContain("## Billing");
    expect(result.readText("shop/billing/apps.py")).toContain('name = "shop.billing"');
    expect(result.readText("shop/billing/tests/factories.py")).toContain("from shop.users.tests.factories");
    expect(result.exists("tests/test_billing_checks.py")).toBeTrue();
    const manifest = JSON.parse(result.readText(".quickscale.json")) as { concerns: Record<string, string> };
    expect(manifest.concerns["billing"]).toBe(QUICKSCALE_VERSION);
  });

  it("changes nothing the second time", async () => {
    const once = await runner.runSchematic("billing", {}, project);
    const twice = await runner.runSchematic("billing", {}, once);
    expect(filesOf(twice)).toEqual(filesOf(once));
  });

  it("refuses, in one line naming add auth and writing nothing, a project without auth", async () => {
    project = Tree.empty();
    for (const [path, content] of Object.entries(withoutAuth)) project.create(path, content);
    const before = filesOf(project);
    await expectAsync(runner.runSchematic("billing", {}, project)).toBeRejectedWithError(
      /^billing needs auth, which this project does not have yet: run "quickscale add auth" first\.$/,
    );
    expect(filesOf(project)).toEqual(before);
  });

  it("keeps the user's plans and keys when they defined them", async () => {
    const base = project.readText("shop/settings/base.py");
    project.overwrite(
      "shop/settings/base.py",
      `${base}\n# Ours.\nBILLING_PLANS = [{"key": "gold", "name": "Gold"}]\nSTRIPE_API_BASE = "https://stripe.internal"\n`,
    );
    const edited = (await runner.runSchematic("billing", {}, project)).readText("shop/settings/base.py");
    expect(edited).toContain('BILLING_PLANS = [{"key": "gold", "name": "Gold"}]');
    expect(edited.match(/^BILLING_PLANS =/gm)?.length).toBe(1);
    expect(edited.match(/^STRIPE_API_BASE =/gm)?.length).toBe(1);
    expect(edited).toContain("\nSTRIPE_SECRET_KEY = ");
  });

  it("refuses settings it cannot edit safely, naming file and line", async () => {
    const base = project.readText("shop/settings/base.py");
    project.overwrite(
      "shop/settings/base.py",
      base.replace(/INSTALLED_APPS = \[[^\]]*\]/, "INSTALLED_APPS = apps()"),
    );
    await expectAsync(runner.runSchematic("billing", {}, project)).toBeRejectedWithError(
      /^shop\/settings\/base\.py:\d+: expected .*INSTALLED_APPS.*, found a call to apps\.$/,
    );
  });

  it("puts its pages in the shell, and the shell's nav, account menu and account page link to them", async () => {
    const result = await runner.runSchematic("billing", {}, project);
    for (const page of ["pricing", "success", "cancel", "account"]) {
      expect(result.readText(`templates/billing/${page}.html`)).toMatch(/^{% extends "base\.html" %}/);
    }
    // The shell's links, by the URL names billing's urls.py declares (looked up once by
    // the account_urls context processor).
    const lookups = result.readText("shop/context_processors.py");
    expect(lookups).toContain('"pricing": ("billing:pricing",)');
    expect(lookups).toContain('"subscription": ("billing:account",)');
    expect(result.readText("templates/base.html")).toContain('href="{{ account_urls.pricing }}"');
    expect(result.readText("templates/includes/account_menu.html")).toContain(
      'href="{{ account_urls.subscription }}"',
    );
    expect(result.readText("templates/users/profile.html")).toContain(
      '{% include "billing/includes/account_plan.html" %}',
    );
  });

  it("refuses, writing nothing, a base.html without a block its pages fill", async () => {
    const base = project.readText("templates/base.html");
    project.overwrite(
      "templates/base.html",
      base.replace("{% block content %}{% endblock content %}", "{% block body %}{% endblock body %}"),
    );
    const before = filesOf(project);
    await expectAsync(runner.runSchematic("billing", {}, project)).toBeRejectedWithError(
      /^templates\/base\.html has no {% block content %}, which the billing module's pages fill: [^\n]+\.$/,
    );
    expect(filesOf(project)).toEqual(before);
  });

  it("refuses to run outside a QuickScale project", async () => {
    await expectAsync(runner.runSchematic("billing", {}, Tree.empty())).toBeRejectedWithError(
      /Not a QuickScale project/,
    );
  });

  it("reserves the names of what it installs and of its app", () => {
    for (const name of ["stripe", "requests", "billing"]) {
      expect(projectNameProblem(name)).withContext(name).not.toBeNull();
    }
  });
});
