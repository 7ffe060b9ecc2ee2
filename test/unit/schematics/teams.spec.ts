import { Tree } from "@angular-devkit/schematics";
import { QUICKSCALE_VERSION } from "../../../src/base/version";
import { filesOf, runner, treeOf } from "../support/schematic-trees";

describe("teams module", () => {
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

  it("adds the teams app to the settings, its middleware after authentication's, its URLs and README section", async () => {
    const result = await runner.runSchematic("teams", {}, project);
    const base = result.readText("shop/settings/base.py");
    expect(base).toContain('    "shop.users",\n    "shop.teams",\n]');
    expect(base).toContain(
      '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n' +
        '    "shop.teams.middleware.TeamMiddleware",\n',
    );
    expect(base).toMatch(
      /\n# TEAMS\n# -+\n(#.*\n)+TEAMS_INVITATION_DAYS = 7\n\n(#.*\n)+TEAMS_INVITATIONS_PER_HOUR = 20\n$/,
    );
    expect(result.readText("shop/urls.py")).toContain('    path("teams/", include("shop.teams.urls")),\n');
    expect(result.readText("README.md")).toContain("## Teams");
    expect(result.readText("README.md")).toContain("from shop.teams.scoping import TeamScopedModel");
    const manifest = JSON.parse(result.readText(".quickscale.json")) as { concerns: Record<string, string> };
    expect(manifest.concerns["teams"]).toBe(QUICKSCALE_VERSION);
  });

  it("writes the app, its migration, its tests and its pages, which extend the shell", async () => {
    const result = await runner.runSchematic("teams", {}, project);
    for (const file of [
      "models.py",
      "middleware.py",
      "scoping.py",
      "admin.py",
      "tests/test_team_isolation.py",
    ]) {
      expect(result.exists(`shop/teams/${file}`))
        .withContext(file)
        .toBeTrue();
    }
    const migration = result.readText("shop/teams/migrations/0001_initial.py");
    expect(migration).toContain("default=shop.teams.models.invitation_token");
    expect(migration).not.toContain("<%");
    for (const page of [
      "team_list",
      "team_detail",
      "invite",
      "team_form",
      "team_confirm_delete",
      "invitation",
    ]) {
      expect(result.readText(`templates/teams/${page}.html`)).toMatch(/^{% extends "base\.html" %}/);
    }
    // base.html shows the messages: the module's pages do not render them again.
    expect(result.readText("templates/teams/team_detail.html")).not.toContain("messages");
  });

  it("changes nothing the second time", async () => {
    const once = await runner.runSchematic("teams", {}, project);
    const twice = await runner.runSchematic("teams", {}, once);
    expect(filesOf(twice)).toEqual(filesOf(once));
  });

  it("refuses, in one line naming add auth and writing nothing, a project without accounts", async () => {
    const plain = treeOf(withoutAuth);
    await expectAsync(runner.runSchematic("teams", {}, plain)).toBeRejectedWithError(
      /^Teams need user accounts: run "quickscale add auth" first, then "quickscale add teams"\.$/,
    );
    expect(filesOf(plain)).toEqual(withoutAuth);
  });

  it("keeps the user's changes to the settings and URLs it edits", async () => {
    const base = withAuth["/shop/settings/base.py"] ?? "";
    project.overwrite(
      "shop/settings/base.py",
      `${base.replace('    "shop.users",\n', '    "shop.users",\n    # Our own.\n    "shop.billing",\n')}\nTEAMS_INVITATION_DAYS = 2\n`,
    );
    const result = await runner.runSchematic("teams", {}, project);
    const edited = result.readText("shop/settings/base.py");
    expect(edited).toContain('    # Our own.\n    "shop.billing",\n    "shop.teams",\n');
    expect(edited).toContain("TEAMS_INVITATION_DAYS = 2\n");
    expect(edited).not.toContain("TEAMS_INVITATION_DAYS = 7");
    // The setting the owner did not define yet is still added: the views read it.
    expect(edited).toContain("TEAMS_INVITATIONS_PER_HOUR = 20\n");
  });

  it("refuses a MIDDLEWARE without Django's authentication middleware, naming file and line", async () => {
    const base = withAuth["/shop/settings/base.py"] ?? "";
    project.overwrite(
      "shop/settings/base.py",
      base.replace('    "django.contrib.auth.middleware.AuthenticationMiddleware",\n', ""),
    );
    // The CLI commits nothing of a run that fails (see the e2e specs).
    await expectAsync(runner.runSchematic("teams", {}, project)).toBeRejectedWithError(
      /^shop\/settings\/base\.py:\d+: .*AuthenticationMiddleware/,
    );
  });

  it("stops with a diff where the user changed one of its files, unless overwrite", async () => {
    const once = await runner.runSchematic("teams", {}, project);
    once.overwrite("shop/teams/permissions.py", "# ours\n");
    await expectAsync(runner.runSchematic("teams", {}, once)).toBeRejectedWithError(
      /changed since: shop\/teams\/permissions\.py\./,
    );
    const replaced = await runner.runSchematic("teams", { overwrite: true }, once);
    expect(replaced.readText("shop/teams/permissions.py")).toContain("ALLOWED = {");
  });

  it("refuses, writing nothing, a base.html without a block its pages fill", async () => {
    const base = withAuth["/templates/base.html"] ?? "";
    project.overwrite("templates/base.html", base.replace("{% block head %}{% endblock head %}", ""));
    const before = filesOf(project);
    await expectAsync(runner.runSchematic("teams", {}, project)).toBeRejectedWithError(
      /^templates\/base\.html has no {% block head %}, which the teams module's pages fill: [^\n]+\.$/,
    );
    expect(filesOf(project)).toEqual(before);
  });

  it("refuses to run outside a QuickScale project", async () => {
    await expectAsync(runner.runSchematic("teams", {}, Tree.empty())).toBeRejectedWithError(
      /Not a QuickScale project/,
    );
  });
});
