import { addSettingsSection } from "../../../../../src/editors/python/settings-sections";

const RULE = `# ${"-".repeat(78)}`;

const SECTION = {
  title: "ACCOUNTS",
  comment: "About accounts.",
  settings: [
    { name: "ACCOUNT_A", value: "1", comment: "A's docs." },
    { name: "ACCOUNT_B", value: "2", comment: "B's docs." },
  ],
};

describe("addSettingsSection", () => {
  it("writes the section's header before the first setting it adds, once", async () => {
    const result = await addSettingsSection("DEBUG = False\n", "base.py", SECTION);
    expect(result).toBe(
      [
        "DEBUG = False",
        "",
        "# ACCOUNTS",
        RULE,
        "# About accounts.",
        "#",
        "# A's docs.",
        "ACCOUNT_A = 1",
        "",
        "# B's docs.",
        "ACCOUNT_B = 2",
        "",
      ].join("\n"),
    );
    expect(await addSettingsSection(result, "base.py", SECTION)).toBe(result);
  });

  it("adds missing settings at the end of the section already there, without a second header", async () => {
    const head = [
      "DEBUG = False",
      "",
      "# ACCOUNTS",
      RULE,
      "# About accounts.",
      "#",
      "# A's docs.",
      "ACCOUNT_A = 1",
    ];
    const tail = ["# EMAIL", RULE, 'EMAIL_HOST = "localhost"', ""];
    const source = [...head, "", "", ...tail].join("\n");
    expect(await addSettingsSection(source, "base.py", SECTION)).toBe(
      [...head, "", "# B's docs.", "ACCOUNT_B = 2", "", "", ...tail].join("\n"),
    );
    // The section last in the file.
    const last = [...head, ""].join("\n");
    expect(await addSettingsSection(last, "base.py", SECTION)).toBe(
      [...head, "", "# B's docs.", "ACCOUNT_B = 2", ""].join("\n"),
    );
  });

  it("ends the section at the next header, even one without a rule line after a comment", async () => {
    const source = ["# ACCOUNTS", RULE, "ACCOUNT_A = 1", "", "# ---", "# Overrides", "X = 1", ""].join("\n");
    expect(await addSettingsSection(source, "base.py", SECTION)).toBe(
      [
        "# ACCOUNTS",
        RULE,
        "ACCOUNT_A = 1",
        "",
        "# B's docs.",
        "ACCOUNT_B = 2",
        "",
        "# ---",
        "# Overrides",
        "X = 1",
        "",
      ].join("\n"),
    );
  });

  it("puts a new section right before the section named by before, and at the end without it", async () => {
    const billing = ["# BILLING", RULE, "# BILLING_X's docs.", "BILLING_X = 1", ""];
    const source = ["DEBUG = False", "", "", ...billing].join("\n");
    const result = await addSettingsSection(source, "base.py", SECTION, { before: "BILLING" });
    expect(result).toBe(
      [
        "DEBUG = False",
        "",
        "# ACCOUNTS",
        RULE,
        "# About accounts.",
        "#",
        "# A's docs.",
        "ACCOUNT_A = 1",
        "",
        "# B's docs.",
        "ACCOUNT_B = 2",
        "",
        "",
        ...billing,
      ].join("\n"),
    );
    expect(await addSettingsSection(result, "base.py", SECTION, { before: "BILLING" })).toBe(result);
    expect(await addSettingsSection("DEBUG = False\n", "base.py", SECTION, { before: "BILLING" })).toBe(
      await addSettingsSection("DEBUG = False\n", "base.py", SECTION),
    );
  });
});
