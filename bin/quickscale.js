#!/usr/bin/env node
"use strict";
// A closed pipe (quickscale ... | head) ends the output, not the program with a stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
require("../dist/src/cli/main.js")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
