/**
 * `npm run bench -- <name>`: runs bench/<name>.ts. Benchmarks are run by hand, print their
 * figures with a baseline measured in the same run, and end with one JSON line.
 */
import path from "node:path";
import { existsSync } from "node:fs";

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(__dirname, `${name}.ts`))) {
  console.error("usage: npm run bench -- <name>   (available: import, cold-start)");
  process.exit(2);
}
void import(`./${name}.ts`);
