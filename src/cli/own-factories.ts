import { RuleFactory } from "@angular-devkit/schematics";
import type { FileSystemCollectionDesc } from "@angular-devkit/schematics/tools/description";
import { NodeModulesEngineHost } from "@angular-devkit/schematics/tools/node-module-engine-host";
import auth from "../../schematics/auth";
import billing from "../../schematics/billing";
import ci from "../../schematics/ci";
import core from "../../schematics/core";
import docker from "../../schematics/docker";
import docs from "../../schematics/docs";
import frontend from "../../schematics/frontend";
import init from "../../schematics/init";
import pytest from "../../schematics/pytest";
import quality from "../../schematics/quality";
import settings from "../../schematics/settings";
import users from "../../schematics/users";

/**
 * Our schematics' factories, linked into the bin. The engine still reads collection.json
 * (names, schemas, the folders where templates live) but takes each factory from here
 * rather than `require`-ing it by path: the bin then runs as one bundle, with a single copy
 * of the devkit shared by the engine and the rules.
 */
const FACTORIES: Record<string, (options: never) => unknown> = {
  auth,
  billing,
  ci,
  core,
  docker,
  docs,
  frontend,
  init,
  pytest,
  quality,
  settings,
  users,
};

/** The devkit's Node engine host, resolving our own factories in-process. */
export class OwnFactoriesEngineHost extends NodeModulesEngineHost {
  protected override _resolveReferenceString(
    refString: string,
    parentPath: string,
    collectionDescription?: FileSystemCollectionDesc,
  ): { ref: RuleFactory<object>; path: string } | null {
    const name = /^\.\/dist\/schematics\/([a-z-]+)\/index#default$/.exec(refString)?.[1];
    const factory = name === undefined ? undefined : FACTORIES[name];
    if (factory === undefined) {
      return super._resolveReferenceString(refString, parentPath, collectionDescription);
    }
    // The engine hands each factory the options our bin built for it (typed by its Schema).
    return { ref: factory as unknown as RuleFactory<object>, path: parentPath };
  }
}
