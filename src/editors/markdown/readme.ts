import { Rule, SchematicContext, Tree } from "@angular-devkit/schematics";
import { ensureSection } from "./sections";
import { readSchematicAsset } from "../../templates/assets";

/** The project's README, relative to the tree root (the project). */
export const README_PATH = "README.md";

/** Concern sections go before this one, so deployment notes stay last. */
const SECTIONS_BEFORE = "Deployment";

/**
 * Adds the concern's `readme-section.md.template` to the project's README, before its
 * Deployment section, unless a section of that title is already there (perhaps edited by
 * the user). A project whose README was deleted is left without one, with a warning.
 */
export function addReadmeSection(name: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!tree.exists(README_PATH)) {
      context.logger.warn(
        `${README_PATH} is missing: its ${context.schematic.description.name} section was not added.`,
      );
      return;
    }
    const section = readSchematicAsset(context, "readme-section.md.template", { name });
    const current = tree.readText(README_PATH);
    const updated = ensureSection(current, section, SECTIONS_BEFORE);
    if (updated !== current) {
      tree.overwrite(README_PATH, updated);
    }
  };
}
