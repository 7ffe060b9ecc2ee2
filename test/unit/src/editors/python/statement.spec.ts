import { addModuleStatement } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const SECURE_ADMIN = "admin.site.login = secure_admin_login(admin.site.login)";

describe("python editors: addModuleStatement", () => {
  it("adds the statement after the imports, before the first other statement, once", async () => {
    const urls = fixture("urls.py");
    const result = await addModuleStatement(urls, "urls.py", SECURE_ADMIN);
    expect(result).toBe(replaced(urls, "urlpatterns = [", `${SECURE_ADMIN}\n\nurlpatterns = [`));
    expect(await addModuleStatement(result, "urls.py", SECURE_ADMIN)).toBe(result);
    // The same code with other spacing counts as present.
    expect(
      await addModuleStatement(result, "urls.py", "admin.site.login=secure_admin_login( admin.site.login )"),
    ).toBe(result);
  });

  it("goes above the comments that belong to the next statement, not between an import and its comment", async () => {
    const source = "import x  # noqa: F401\n\n# Routes.\nurlpatterns = []\n";
    expect(await addModuleStatement(source, "urls.py", "x.setup()")).toBe(
      "import x  # noqa: F401\n\nx.setup()\n\n# Routes.\nurlpatterns = []\n",
    );
  });

  it("ends a module of imports only, or is the whole of an empty one", async () => {
    expect(await addModuleStatement('"""Doc."""\n\nimport x\n', "m.py", "x.setup()")).toBe(
      '"""Doc."""\n\nimport x\n\nx.setup()\n',
    );
    expect(await addModuleStatement("", "m.py", "x.setup()")).toBe("x.setup()\n");
    expect(await addModuleStatement("import x\r\n\r\nY = 1\r\n", "m.py", "x.setup()")).toBe(
      "import x\r\n\r\nx.setup()\r\n\r\nY = 1\r\n",
    );
  });

  it("refuses a module that does not parse, and a statement that is not one line of code", async () => {
    expect((await refusal(addModuleStatement("urlpatterns = [\n", "urls.py", SECURE_ADMIN))).line).toBe(1);
    await expectAsync(addModuleStatement("", "m.py", "a = 1; b = 2")).toBeRejectedWithError(/not a single/);
    await expectAsync(addModuleStatement("", "m.py", "# only a comment")).toBeRejectedWithError(
      /not a single/,
    );
  });
});
