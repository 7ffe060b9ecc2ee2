import { addImport } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const BASE = fixture("base.py");
const URLS = fixture("urls.py");
const STARTPROJECT = fixture("startproject-urls.py");

describe("python editors: addImport", () => {
  it("merges a name into the existing from-import of its module, in isort's order", async () => {
    const result = await addImport(URLS, "urls.py", "from django.urls import include");
    expect(result).toBe(
      replaced(URLS, "from django.urls import path\n", "from django.urls import include, path\n"),
    );
    expect(await addImport(result, "urls.py", "from django.urls import include")).toBe(result);
    expect(await addImport(result, "urls.py", "from django.urls import path")).toBe(result);
    expect(await addImport(result, "urls.py", "from django.urls import re_path")).toBe(
      replaced(URLS, "from django.urls import path\n", "from django.urls import include, path, re_path\n"),
    );
  });

  it("sorts constants, then classes, then the rest, and gives an alias its own statement", async () => {
    const source = "from x import Thing, other\n";
    expect(await addImport(source, "s.py", "from x import CONSTANT")).toBe(
      "from x import CONSTANT, Thing, other\n",
    );
    expect(await addImport(source, "s.py", "from x import Alpha as A")).toBe(
      "from x import Alpha as A\nfrom x import Thing, other\n",
    );
    expect(await addImport("from x import b as c\n", "s.py", "from x import a")).toBe(
      "from x import a\nfrom x import b as c\n",
    );
    expect(await addImport(source, "s.py", "from x import zeta, alpha")).toBe(
      "from x import Thing, alpha, other, zeta\n",
    );
  });

  it("merges into a parenthesized multi-line import on its own line", async () => {
    const source = "from django.urls import (\n    path,  # routes\n    re_path,\n)\n";
    expect(await addImport(source, "urls.py", "from django.urls import include")).toBe(
      "from django.urls import (\n    include,\n    path,  # routes\n    re_path,\n)\n",
    );
    expect(await addImport(source, "urls.py", "from django.urls import register_converter")).toBe(
      "from django.urls import (\n    path,  # routes\n    re_path,\n    register_converter,\n)\n",
    );
  });

  it("parenthesizes an import that grows past 88 columns, one name per line", async () => {
    const source = "from django.urls import include, path, re_path, register_converter, reverse\n";
    expect(await addImport(source, "urls.py", "from django.urls import reverse_lazy")).toBe(
      "from django.urls import (\n    include,\n    path,\n    re_path,\n    register_converter,\n" +
        "    reverse,\n    reverse_lazy,\n)\n",
    );
  });

  it("adds a plain import after the last top-level import, keeping CRLF", async () => {
    const crlf = BASE.replace(/\n/g, "\r\n");
    const result = await addImport(crlf, "base.py", "import sentry_sdk");
    expect(result).toBe(replaced(crlf, "import environ\r\n", "import environ\r\nimport sentry_sdk\r\n"));
    expect(await addImport(result, "base.py", "import sentry_sdk")).toBe(result);
    expect(await addImport(BASE, "base.py", "import environ")).toBe(BASE);
  });

  it("adds a from-import of a new module among the imports of its package, in isort's order", async () => {
    expect(await addImport(URLS, "urls.py", "from django.conf import settings")).toBe(
      replaced(
        URLS,
        "from django.contrib import admin\n",
        "from django.conf import settings\nfrom django.contrib import admin\n",
      ),
    );
    expect(await addImport(URLS, "urls.py", "from django.views.generic import TemplateView")).toBe(
      replaced(
        URLS,
        "from django.urls import path\n",
        "from django.urls import path\nfrom django.views.generic import TemplateView\n",
      ),
    );
    expect(await addImport(URLS, "urls.py", "from allauth.account import views as account_views")).toBe(
      replaced(
        URLS,
        "from django.contrib import admin\n",
        "from allauth.account import views as account_views\nfrom django.contrib import admin\n",
      ),
    );
    expect(await addImport(URLS, "urls.py", "from .users import views as user_views")).toBe(
      replaced(
        URLS,
        "from . import views\n",
        "from . import views\nfrom .users import views as user_views\n",
      ),
    );
  });

  it("adds after Django's urls.py docstring, which is directly followed by imports", async () => {
    const result = await addImport(STARTPROJECT, "urls.py", "from django.urls import include");
    expect(result).toBe(
      replaced(STARTPROJECT, "from django.urls import path\n", "from django.urls import include, path\n"),
    );
  });

  it("adds the first import after the module docstring, one blank line on each side", async () => {
    const source = '"""Settings."""\n\nDEBUG = True\n';
    expect(await addImport(source, "s.py", "import os")).toBe(
      '"""Settings."""\n\nimport os\n\nDEBUG = True\n',
    );
    expect(await addImport("DEBUG = True\n", "s.py", "import os")).toBe("import os\n\nDEBUG = True\n");
    expect(await addImport("#!/usr/bin/env python\n\nmain()\n", "s.py", "import os")).toBe(
      "#!/usr/bin/env python\n\nimport os\n\nmain()\n",
    );
    expect(await addImport("", "s.py", "import os")).toBe("import os\n");
  });

  it("adds each name of import a, b as its own statement, and a star import once", async () => {
    expect(await addImport("import os\n", "s.py", "import os, sys")).toBe("import os\nimport sys\n");
    const local = "from .base import *\n\nDEBUG = True\n";
    expect(await addImport(local, "local.py", "from .base import *")).toBe(local);
  });

  it("does not count an import inside a function or a block as present", async () => {
    const source = "import os\n\nif DEBUG:\n    import debug_toolbar\n";
    expect(await addImport(source, "s.py", "import debug_toolbar")).toBe(
      "import os\n\nimport debug_toolbar\n\nif DEBUG:\n    import debug_toolbar\n",
    );
  });

  it("merges into a one-line parenthesized import, exploding it when it has a magic trailing comma", async () => {
    expect(await addImport("from x import (b, c)\n", "s.py", "from x import a")).toBe(
      "from x import (a, b, c)\n",
    );
    expect(await addImport("from x import (b, c,)\n", "s.py", "from x import a")).toBe(
      "from x import (\n    a,\n    b,\n    c,\n)\n",
    );
    expect(await addImport("from x import b, \\\n    c\n", "s.py", "from x import a")).toBe(
      "from x import (\n    a,\n    b,\n    c,\n)\n",
    );
  });

  it("opens the local section with a blank line for a first relative import", async () => {
    const source =
      '"""URLs."""\n\nfrom django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = []\n';
    const result = await addImport(source, "urls.py", "from .users.views import profile");
    expect(result).toBe(
      '"""URLs."""\n\nfrom django.contrib import admin\nfrom django.urls import path\n\nfrom .users.views import profile\n\nurlpatterns = []\n',
    );
    expect(await addImport(result, "urls.py", "from .users.views import profile")).toBe(result);
    const withLocal = "from django.urls import path\n\nfrom . import views\n\nurlpatterns = []\n";
    expect(await addImport(withLocal, "urls.py", "from .users.views import profile")).toBe(
      "from django.urls import path\n\nfrom . import views\nfrom .users.views import profile\n\nurlpatterns = []\n",
    );
  });

  it("puts a __future__ import first, in a section of its own", async () => {
    expect(await addImport(BASE, "base.py", "from __future__ import annotations")).toBe(
      replaced(
        BASE,
        "from pathlib import Path\n",
        "from __future__ import annotations\n\nfrom pathlib import Path\n",
      ),
    );
    const future = "from __future__ import annotations\n\nimport os\n";
    expect(await addImport(future, "s.py", "from __future__ import annotations")).toBe(future);
  });

  it("refuses a file that does not parse, and rejects a statement that is not an import", async () => {
    expect((await refusal(addImport("from x import (\n", "s.py", "import os"))).expected).toBe(
      "valid Python",
    );
    await expectAsync(addImport("", "s.py", "os = 1")).toBeRejectedWithError(
      /is not a single import statement/,
    );
  });
});
