import { addUrlPattern } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const URLS = fixture("urls.py");
const STARTPROJECT = fixture("startproject-urls.py");
const SPLIT = fixture("urls-split.py");
const ALLAUTH = 'path("accounts/", include("allauth.urls"))';

describe("python editors: addUrlPattern", () => {
  it("adds a pattern last in the generated urls.py, once", async () => {
    const result = await addUrlPattern(URLS, "urls.py", ALLAUTH);
    expect(result).toBe(
      replaced(
        URLS,
        '    path("admin/", admin.site.urls),\n]',
        `    path("admin/", admin.site.urls),\n    ${ALLAUTH},\n]`,
      ),
    );
    expect(await addUrlPattern(result, "urls.py", "path('accounts/',include('allauth.urls'),)")).toBe(result);
  });

  it("keeps the single quotes of Django's default urls.py", async () => {
    const result = await addUrlPattern(STARTPROJECT, "urls.py", "path('accounts/', include('allauth.urls'))");
    expect(result).toBe(
      replaced(
        STARTPROJECT,
        "    path('admin/', admin.site.urls),\n]",
        `    path('admin/', admin.site.urls),\n    ${ALLAUTH},\n]`,
      ),
    );
    expect(await addUrlPattern(STARTPROJECT, "urls.py", 'path("admin/", admin.site.urls)')).toBe(
      STARTPROJECT,
    );
  });

  it("adds to the main list of a urls.py split into includes, knowing its += extensions", async () => {
    const result = await addUrlPattern(SPLIT, "urls.py", ALLAUTH);
    expect(result).toBe(
      replaced(
        SPLIT,
        '    path("api/", include("myapp.api.urls")),\n]',
        `    path("api/", include("myapp.api.urls")),\n    ${ALLAUTH},\n]`,
      ),
    );
    expect(await addUrlPattern(SPLIT, "urls.py", 'path("__debug__/", include(debug_toolbar.urls))')).toBe(
      SPLIT,
    );
  });

  it("lays out a pattern too long for its line as ruff would", async () => {
    const long = 'path("accounts/social/connections/", include("allauth.socialaccount.urls"), name="social")';
    expect(await addUrlPattern(URLS, "urls.py", long)).toBe(
      replaced(
        URLS,
        '    path("admin/", admin.site.urls),\n]',
        '    path("admin/", admin.site.urls),\n' +
          "    path(\n" +
          '        "accounts/social/connections/",\n' +
          '        include("allauth.socialaccount.urls"),\n' +
          '        name="social",\n' +
          "    ),\n]",
      ),
    );
    const hugged = 'path("accounts/social/connections/", include("allauth.socialaccount.urls"))';
    expect(await addUrlPattern("urlpatterns = []\n", "urls.py", hugged)).toBe(
      'urlpatterns = [\n    path("accounts/social/connections/", include("allauth.socialaccount.urls"))\n]\n',
    );
  });

  it("adds to the list of urlpatterns = [...] + static(...), as Django's docs write it", async () => {
    const source =
      'urlpatterns = [\n    path("admin/", admin.site.urls),\n] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)\n';
    expect(await addUrlPattern(source, "urls.py", ALLAUTH)).toBe(
      source.replace("admin.site.urls),\n]", `admin.site.urls),\n    ${ALLAUTH},\n]`),
    );
  });

  describe("refuses, with the line of the offending code", () => {
    it("urlpatterns that is not a list literal", async () => {
      const i18n = 'urlpatterns = i18n_patterns(\n    path("admin/", admin.site.urls),\n)\n';
      expect((await refusal(addUrlPattern(i18n, "urls.py", ALLAUTH))).message).toBe(
        "urls.py:1: expected a top-level urlpatterns = [...], found a call to i18n_patterns.",
      );
      const tuple = 'urlpatterns = (\n    path("admin/", admin.site.urls),\n)\n';
      expect((await refusal(addUrlPattern(tuple, "urls.py", ALLAUTH))).found).toBe("a tuple");
    });

    it("a urls.py without urlpatterns, or with two", async () => {
      expect((await refusal(addUrlPattern('"""No URLs."""\n', "urls.py", ALLAUTH))).found).toBe(
        "no assignment",
      );
      const twice = "urlpatterns = []\nurlpatterns = []\n";
      expect((await refusal(addUrlPattern(twice, "urls.py", ALLAUTH))).line).toBe(2);
    });
  });

  it("adds a pattern right before the one named by before", async () => {
    const once = await addUrlPattern(URLS, "urls.py", ALLAUTH);
    const teams = 'path("teams/", include("shop.teams.urls"))';
    const result = await addUrlPattern(once, "urls.py", teams, { before: ALLAUTH });
    expect(result).toBe(replaced(once, `    ${ALLAUTH},\n]`, `    ${teams},\n    ${ALLAUTH},\n]`));
    expect(await addUrlPattern(result, "urls.py", teams, { before: ALLAUTH })).toBe(result);
    const elsewhere = 'path("payments/", include("shop.billing.urls"))';
    await expectAsync(addUrlPattern(URLS, "urls.py", teams, { before: elsewhere })).toBeRejectedWithError(
      /expected path\("payments\/".* found no such entry/,
    );
    expect(await addUrlPattern(URLS, "urls.py", teams, { before: elsewhere, orAtEnd: true })).toBe(
      await addUrlPattern(URLS, "urls.py", teams),
    );
  });
});
