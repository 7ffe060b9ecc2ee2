import { Rule, SchematicContext, Tree } from "@angular-devkit/schematics";
import { ensureSection, h2Headings } from "./sections";
import { readSchematicAsset } from "../../templates/assets";

/** The project's README, relative to the tree root (the project). */
export const README_PATH = "README.md";

/** Concern sections go before this one, so deployment notes stay last. */
const SECTIONS_BEFORE = "Deployment";

/**
 * Adds the concern's `readme-section.md.template` to the project's README, before its
 * Deployment section (or before the first of `sectionsAfter` it has: the sections of modules
 * that keep their place after this one's, whichever was added first), unless a section of
 * that title is already there (perhaps edited by the user). A project whose README was
 * deleted is left without one, with a warning.
 */
export function addReadmeSection(name: string, sectionsAfter: readonly string[] = []): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!tree.exists(README_PATH)) {
      context.logger.warn(
        `${README_PATH} is missing: its ${context.schematic.description.name} section was not added.`,
      );
      return;
    }
    const section = readSchematicAsset(context, "readme-section.md.template", { name });
    const current = tree.readText(README_PATH);
    const titles = new Set(h2Headings(current).map((heading) => heading.title));
    const before = sectionsAfter.find((title) => titles.has(title)) ?? SECTIONS_BEFORE;
    const updated = ensureSection(current, section, before);
    if (updated !== current) {
      tree.overwrite(README_PATH, updated);
    }
  };
}
