import type { RuleFactory } from "@angular-devkit/schematics";

/**
 * The factories linked into the bin's bundle, by their reference in collection.json
 * (`./dist/schematics/auth/index#default`). Empty here: when the bin runs from the
 * compiled files (the unit specs), the engine requires each factory by its path, as the
 * stock CLI does. scripts/bundle.mjs replaces this module with one importing every
 * factory collection.json lists, so nothing in src/ names a schematic.
 */
export const LINKED_FACTORIES: Readonly<Record<string, RuleFactory<object>>> = {};
