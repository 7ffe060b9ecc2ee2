import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addImport } from "../../../../../src/editors/python";
import { ensureVenv } from "../../../../e2e/support/python-env";
import { ruffBinary } from "./support";

/** What `ruff check --select I` (isort, ruff's defaults) would change in `source`, as `file` of a project with a `shop` package. */
function isortDiff(ruff: string, project: string, file: string, source: string): string {
  const result = spawnSync(
    ruff,
    ["check", "--isolated", "--select", "I", "--diff", "--stdin-filename", file, "-"],
    { cwd: project, input: source, encoding: "utf8" },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`ruff check failed: ${result.stderr}`);
  }
  return result.stdout;
}

const SETTINGS = '"""Settings."""\n\nfrom pathlib import Path\n\nimport environ\n\nDEBUG = True\n';
const URLS =
  '"""URLs."""\n\nfrom django.contrib import admin\nfrom django.urls import path\n\nfrom . import views\n\nurlpatterns = []\n';
const ONLY_THIRD_PARTY = "import environ\n\nenv = environ.Env()\n";
const ONLY_RELATIVE = "from .base import *  # noqa: F403\n\nDEBUG = True\n";
const FIRST_PARTY = "import os\n\nfrom shop.users.models import User\n\nX = 1\n";

/** Each import added to each source: every result must be what isort itself would write. */
const IMPORTS = [
  "import os",
  "import sys",
  "from decimal import Decimal",
  "from __future__ import annotations",
  "import sentry_sdk",
  "from allauth.account import views as account_views",
  "from django.conf import settings",
  "from zzz import last",
  "import shop.signals",
  "from shop.users import forms",
  "from . import admin_views",
  "from .. import parent",
  "from .users.views import profile",
];

describe("python editors: imports in isort's sections", () => {
  let project = "";
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "qs-isort-"));
    // The first-party package ruff finds in the project root (its default src is "."): ruff
    // looks for the imported modules themselves, so each one imported here exists.
    const modules = [
      "shop/__init__",
      "shop/signals",
      "shop/settings/__init__",
      "shop/users/__init__",
      "shop/users/models",
      "shop/users/forms",
      "billing/__init__",
      "billing/models",
      "tests/__init__",
      "tests/factories",
    ];
    for (const module of modules) {
      mkdirSync(join(project, module, ".."), { recursive: true });
      writeFileSync(join(project, `${module}.py`), "");
    }
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it("places stdlib, third-party, first-party and relative imports where isort would", async () => {
    const ruff = ruffBinary() ?? (await ensureVenv(["ruff==0.17.6"])).bin("ruff");
    const sources = { SETTINGS, URLS, ONLY_THIRD_PARTY, ONLY_RELATIVE, FIRST_PARTY };
    for (const [name, source] of Object.entries(sources)) {
      expect(isortDiff(ruff, project, "shop/settings/base.py", source))
        .withContext(name)
        .toBe("");
      for (const statement of IMPORTS) {
        const output = await addImport(source, "shop/settings/base.py", statement);
        expect(isortDiff(ruff, project, "shop/settings/base.py", output))
          .withContext(`${statement} into ${name}:\n${output}`)
          .toBe("");
      }
    }
  }, 120_000);

  it("agrees with ruff on aliases, other first-party packages, file headers and numbers in names", async () => {
    const ruff = ruffBinary() ?? (await ensureVenv(["ruff==0.17.6"])).bin("ruff");
    const firstParty = ["billing", "manage", "shop", "tests"];
    const cases: [string, string, string][] = [
      ["shop/urls.py", "from django.urls import include, path\n", "from django.urls import path as route"],
      ["shop/urls.py", "from django.urls import path as route\n", "from django.urls import include"],
      ["shop/urls.py", "from django.urls import include as inc\n", "from django.urls import include"],
      ["shop/urls.py", "from billing.models import Invoice\n\nX = 1\n", "from environ import Env"],
      ["shop/urls.py", "from billing.models import Invoice\n", "from django.urls import include, path"],
      [
        "tests/test_x.py",
        "import pytest\n\nfrom shop.users.models import User\n",
        "from django.urls import reverse",
      ],
      ["tests/test_x.py", "from shop.users.models import User\n", "from tests.factories import UserFactory"],
      ["shop/cli.py", "#!/usr/bin/env python\nimport sys\n", "import os"],
      ["shop/cli.py", "# -*- coding: utf-8 -*-\nimport sys\n", "import os"],
      ["shop/cli.py", "#!/usr/bin/env python\nfrom __future__ import annotations\n", "import os"],
      ["shop/cli.py", "import module10\n", "import module2"],
    ];
    for (const [file, source, statement] of cases) {
      const output = await addImport(source, file, statement, { firstParty });
      expect(output).withContext(`${statement} into ${file}`).not.toBe(source);
      expect(isortDiff(ruff, project, file, output))
        .withContext(`${statement} into ${file}:\n${output}`)
        .toBe("");
    }
  }, 120_000);

  it("adds a standard-library import in a section of its own, above third-party ones", async () => {
    expect(await addImport(ONLY_THIRD_PARTY, "shop/settings/base.py", "import os")).toBe(
      "import os\n\nimport environ\n\nenv = environ.Env()\n",
    );
    expect(await addImport(SETTINGS, "shop/settings/base.py", "import os")).toBe(
      '"""Settings."""\n\nimport os\nfrom pathlib import Path\n\nimport environ\n\nDEBUG = True\n',
    );
  });

  it("opens a third-party section between the standard library and the project's own imports", async () => {
    expect(await addImport(FIRST_PARTY, "shop/views.py", "import sentry_sdk")).toBe(
      "import os\n\nimport sentry_sdk\n\nfrom shop.users.models import User\n\nX = 1\n",
    );
  });
});
