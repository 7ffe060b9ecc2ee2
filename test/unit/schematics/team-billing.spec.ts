import { virtualFs } from "@angular-devkit/core";
import { HostTree, Tree } from "@angular-devkit/schematics";
import { ChangedFilesError } from "../../../src/rules/concern";
import { filesOf, runner, treeOf } from "../support/schematic-trees";

const TEAM_FILES = [
  "/shop/billing/migrations/0002_customer_team.py",
  "/shop/billing/tests/test_team_customer.py",
];

/** The teams and billing modules together: the team is billing's customer, in either order. */
describe("teams and billing together", () => {
  let withAuth: Record<string, string>;
  beforeAll(async () => {
    const generated = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
    const project = Tree.empty();
    for (const path of generated.files)
      project.create(path.slice("/shop".length), generated.readContent(path));
    withAuth = filesOf(await runner.runSchematic("auth", {}, project));
  });

  const add = async (modules: readonly string[], from = treeOf(withAuth)): Promise<Tree> => {
    let tree = from;
    for (const module of modules) {
      tree = await runner.runSchematic(module, {}, tree);
    }
    return tree;
  };

  it("gives the same project, byte for byte, whichever module is added second", async () => {
    const teamsFirst = filesOf(await add(["teams", "billing"]));
    const billingFirst = filesOf(await add(["billing", "teams"]));
    expect(billingFirst).toEqual(teamsFirst);
    const base = teamsFirst["/shop/settings/base.py"] ?? "";
    expect(base).toContain('    "shop.teams",\n    "shop.billing",\n]');
    expect(base.indexOf("\n# TEAMS\n")).toBeLessThan(base.indexOf("\n# BILLING\n"));
    const urls = teamsFirst["/shop/urls.py"] ?? "";
    expect(urls.indexOf('path("teams/"')).toBeLessThan(urls.indexOf('path("billing/"'));
    const readme = teamsFirst["/README.md"] ?? "";
    expect(readme.indexOf("\n## Teams\n")).toBeLessThan(readme.indexOf("\n## Billing\n"));
  });

  it("makes the team the customer: its field, migration, owners and tests come with teams only", async () => {
    const alone = filesOf(await add(["billing"]));
    for (const path of TEAM_FILES) {
      expect(alone[path]).withContext(path).toBeUndefined();
    }
    expect(alone["/shop/billing/models.py"]).not.toContain("team = models.");
    expect(alone["/shop/billing/owners.py"]).toContain("Customer.objects.filter(user=request.user)");

    const both = filesOf(await add(["billing", "teams"]));
    for (const path of TEAM_FILES) {
      expect(both[path]).withContext(path).toBeDefined();
    }
    expect(both["/shop/billing/models.py"]).toContain(
      '    team = models.OneToOneField(\n        "teams.Team",',
    );
    expect(both["/shop/billing/owners.py"]).toContain("Customer.objects.filter(team=team)");
    expect(both["/shop/billing/owners.py"]).toContain("MANAGING_ROLES = {Role.OWNER}");
    expect(both["/shop/billing/migrations/0002_customer_team.py"]).toContain("('teams', '0001_initial')");
    for (const [path, text] of Object.entries(both)) {
      expect(text).withContext(path).not.toContain("<%");
    }
  });

  it("changes nothing when either module is added again", async () => {
    const both = await add(["billing", "teams"]);
    const files = filesOf(both);
    expect(filesOf(await add(["billing", "teams"], both))).toEqual(files);
  });

  it("stops with the diff (the CLI then writes nothing) when billing's owner changed a file teams would render for the team", async () => {
    const billed = filesOf(await add(["billing"]));
    const owners = `${billed["/shop/billing/owners.py"] ?? ""}\n# The owner's own note.\n`;
    // Read from a host, as the CLI reads the project: no file counts as written by this run.
    const changed = new HostTree(
      new virtualFs.test.TestHost({ ...billed, "/shop/billing/owners.py": owners }),
    );
    const failure = runner.runSchematic("teams", {}, changed);
    await expectAsync(failure).toBeRejectedWithError(
      ChangedFilesError,
      /^A file QuickScale wrote changed since: shop\/billing\/owners\.py\. /,
    );
  });
});
