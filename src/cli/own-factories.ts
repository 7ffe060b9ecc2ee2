import { RuleFactory } from "@angular-devkit/schematics";
import type { FileSystemCollectionDesc } from "@angular-devkit/schematics/tools/description";
import { NodeModulesEngineHost } from "@angular-devkit/schematics/tools/node-module-engine-host";
import { LINKED_FACTORIES } from "./linked-factories";

/**
 * The devkit's Node engine host, taking our schematics' factories from the bin's bundle
 * (LINKED_FACTORIES, written at build time from collection.json) rather than `require`-ing
 * each by path: the bin then runs as one bundle, with a single copy of the devkit shared
 * by the engine and the rules. The engine still reads collection.json for the names,
 * schemas and the folders where templates live.
 */
export class OwnFactoriesEngineHost extends NodeModulesEngineHost {
  protected override _resolveReferenceString(
    refString: string,
    parentPath: string,
    collectionDescription?: FileSystemCollectionDesc,
  ): { ref: RuleFactory<object>; path: string } | null {
    const factory = LINKED_FACTORIES[refString];
    if (factory === undefined) {
      return super._resolveReferenceString(refString, parentPath, collectionDescription);
    }
    return { ref: factory, path: parentPath };
  }
}
