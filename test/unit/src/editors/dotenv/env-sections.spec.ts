import { addEnvSection } from "../../../../../src/editors/dotenv/env-sections";

const EXAMPLE = "# --- Django ----\n\n# The key.\nSECRET_KEY=\n";
const EMAIL = {
  title: "Email (production)",
  variables: [
    { name: "EMAIL_HOST", value: "smtp.example.com", comment: "The SMTP server." },
    { name: "EMAIL_PORT", value: "587", comment: "" },
  ],
};

describe("addEnvSection", () => {
  it("appends a header and the missing variables with their comments", () => {
    const result = addEnvSection(EXAMPLE, EMAIL);
    expect(result.startsWith(EXAMPLE)).toBeTrue();
    expect(result.slice(EXAMPLE.length)).toBe(
      `\n# --- Email (production) ${"-".repeat(85 - 25)}\n\n# The SMTP server.\nEMAIL_HOST=smtp.example.com\n\nEMAIL_PORT=587\n`,
    );
  });

  it("is idempotent and keeps the user's values, even commented out", () => {
    const once = addEnvSection(EXAMPLE, EMAIL);
    expect(addEnvSection(once, EMAIL)).toBe(once);
    const own = `${EXAMPLE}# EMAIL_HOST=mail.internal\nEMAIL_PORT=25\n`;
    expect(addEnvSection(own, EMAIL)).toBe(own);
  });

  it("keeps CRLF line endings", () => {
    const crlf = EXAMPLE.split("\n").join("\r\n");
    expect(addEnvSection(crlf, EMAIL).replace(/\r\n/g, "")).not.toContain("\n");
  });
});
