import { Tree } from "@angular-devkit/schematics";
import { QUICKSCALE_VERSION } from "../../../src/base/version";
import { filesOf, runner, treeOf } from "../support/schematic-trees";

describe("auth module", () => {
  let pristine: Record<string, string>;
  let project: Tree;
  beforeAll(async () => {
    const generated = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
    pristine = {};
    for (const path of generated.files) pristine[path.slice("/shop".length)] = generated.readText(path);
  });
  beforeEach(() => {
    project = treeOf(pristine);
  });

  it("adds allauth to settings, URLs, dependencies, .env.example and the README", async () => {
    const result = await runner.runSchematic("auth", {}, project);
    const base = result.readText("shop/settings/base.py");
    expect(base).toContain('    "django.contrib.staticfiles",\n    "allauth",\n    "allauth.account",\n');
    expect(base).toContain('ACCOUNT_EMAIL_VERIFICATION = "mandatory"');
    const urls = result.readText("shop/urls.py");
    expect(urls).toContain('path("accounts/", include("allauth.urls"))');
    expect(urls).toContain("from allauth.account.decorators import secure_admin_login\n");
    expect(urls).toContain("\nadmin.site.login = secure_admin_login(admin.site.login)\n\nurlpatterns = [");
    expect(result.readText("pyproject.toml")).toMatch(/"django-allauth>=[^"]+",\n/);
    expect(result.readText(".env.example")).toContain("EMAIL_HOST=");
    expect(result.readText("README.md")).toContain("## Authentication");
    expect(result.exists("tests/test_auth.py")).toBeTrue();
    expect(result.exists("tests/test_mfa.py")).toBeFalse();
    const manifest = JSON.parse(result.readText(".quickscale.json")) as { concerns: Record<string, string> };
    expect(manifest.concerns["auth"]).toBe(QUICKSCALE_VERSION);
  });

  it("changes nothing the second time", async () => {
    const once = await runner.runSchematic("auth", {}, project);
    const twice = await runner.runSchematic("auth", {}, once);
    expect(filesOf(twice)).toEqual(filesOf(once));
  });

  it("adds two-factor authentication with mfa, also on top of a first run without it", async () => {
    const once = await runner.runSchematic("auth", {}, project);
    const result = await runner.runSchematic("auth", { mfa: true }, once);
    expect(result.readText("shop/settings/base.py")).toContain(
      '    "allauth.account",\n    "allauth.mfa",\n',
    );
    expect(result.readText("pyproject.toml")).toContain('"django-allauth[mfa]>=');
    expect(result.readText("pyproject.toml")).not.toMatch(/"django-allauth>=/);
    expect(result.exists("tests/test_mfa.py")).toBeTrue();
    // The QR code to scan is a data: image, which the Content-Security-Policy then allows.
    expect(result.readText("shop/settings/base.py")).toContain(`"img-src": ["'self'", "data:"],`);
  });

  it("adds mfa's settings to the ACCOUNTS section a first run wrote, under its one header", async () => {
    const upgraded = await runner.runSchematic(
      "auth",
      { mfa: true },
      await runner.runSchematic("auth", {}, project),
    );
    const base = upgraded.readText("shop/settings/base.py");
    expect(base.split("\n").filter((line) => line === "# ACCOUNTS").length).toBe(1);
    // The same settings module as with mfa from the start.
    const direct = await runner.runSchematic("auth", { mfa: true }, project);
    expect(base).toBe(direct.readText("shop/settings/base.py"));
  });

  it("leaves the Content-Security-Policy alone without mfa, and a project without one", async () => {
    const plain = await runner.runSchematic("auth", {}, project);
    expect(plain.readText("shop/settings/base.py")).toContain(`"img-src": ["'self'"],`);

    const base = pristine["/shop/settings/base.py"] ?? "";
    const withoutPolicy = base.replace(/\nCONTENT_SECURITY_POLICY = \{[\s\S]*?\n\}\n/, "\n");
    expect(withoutPolicy).not.toMatch(/^CONTENT_SECURITY_POLICY = /m);
    project.overwrite("shop/settings/base.py", withoutPolicy);
    const result = await runner.runSchematic("auth", { mfa: true }, project);
    expect(result.readText("shop/settings/base.py")).not.toContain('"data:"');
    expect(result.readText("shop/settings/base.py")).toContain('    "allauth.mfa",\n');
  });

  it("keeps the user's changes to settings it edits", async () => {
    const base = pristine["/shop/settings/base.py"] ?? "";
    project.overwrite(
      "shop/settings/base.py",
      `${base.replace('    "shop.users",\n', '    "shop.users",\n    # Our own.\n    "shop.billing",\n')}\nACCOUNT_EMAIL_VERIFICATION = "optional"\n`,
    );
    const result = await runner.runSchematic("auth", {}, project);
    const edited = result.readText("shop/settings/base.py");
    expect(edited).toContain('    # Our own.\n    "shop.billing",\n');
    expect(edited).toContain('ACCOUNT_EMAIL_VERIFICATION = "optional"');
    expect(edited).not.toContain('ACCOUNT_EMAIL_VERIFICATION = "mandatory"');
  });

  it("refuses settings it cannot edit safely, naming file and line", async () => {
    const base = pristine["/shop/settings/base.py"] ?? "";
    project.overwrite(
      "shop/settings/base.py",
      base.replace(/INSTALLED_APPS = \[[^\]]*\]/, "INSTALLED_APPS = get_apps()"),
    );
    await expectAsync(runner.runSchematic("auth", {}, project)).toBeRejectedWithError(
      /^shop\/settings\/base\.py:\d+: expected .*INSTALLED_APPS.*, found a call to get_apps\.$/,
    );
  });

  it("puts its pages in the project's shell, which shows the messages and the account menu", async () => {
    const result = await runner.runSchematic("auth", {}, project);
    expect(result.readText("templates/allauth/layouts/base.html")).toMatch(/^{% extends "base\.html" %}/);
    expect(result.readText("templates/users/profile.html")).toMatch(/^{% extends "base\.html" %}/);
    // base.html shows the messages: the module's own copy would show them twice.
    expect(result.exists("templates/messages.html")).toBeFalse();
    expect(result.exists("templates/allauth/elements/h1.html")).toBeFalse();
  });

  it("refuses, in one line and writing nothing, a base.html without a block its pages fill", async () => {
    const base = pristine["/templates/base.html"] ?? "";
    expect(base).toContain("{% block content %}{% endblock content %}");
    project.overwrite(
      "templates/base.html",
      base.replace("{% block content %}{% endblock content %}", "{% block body %}{% endblock body %}"),
    );
    const before = filesOf(project);
    await expectAsync(runner.runSchematic("auth", {}, project)).toBeRejectedWithError(
      /^templates\/base\.html has no {% block content %}, which the auth module's pages fill: [^\n]+\.$/,
    );
    expect(filesOf(project)).toEqual(before);

    project.delete("templates/base.html");
    await expectAsync(runner.runSchematic("auth", {}, project)).toBeRejectedWithError(
      /^templates\/base\.html is missing: the auth module's pages extend it\. [^\n]+\.$/,
    );
  });

  it("refuses to run outside a QuickScale project", async () => {
    await expectAsync(runner.runSchematic("auth", {}, Tree.empty())).toBeRejectedWithError(
      /Not a QuickScale project/,
    );
  });
});
