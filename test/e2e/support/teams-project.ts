/** The project's own test files of the teams module, under the package `name`. */
export function teamsTestFiles(name: string): string[] {
  return [
    "admin",
    "invitations",
    "membership",
    "middleware",
    "models",
    "scoping",
    "team_isolation",
    "views",
  ].map((file) => `${name}/teams/tests/test_${file}.py`);
}
