// Regenerates the import list in src/levels/index.ts from the JSON files in src/levels/.
// Node and the browser both need static imports, so the list is written out rather than globbed.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const dir = new URL("../src/levels/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
const name = (f) => f.replace(/\.json$/, "").replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const indexPath = new URL("index.ts", dir);
const src = readFileSync(indexPath, "utf8");
const imports = files.map((f) => `import ${name(f)} from "./${f}" with { type: "json" };`).join("\n");
const table = files.map((f) => `  "${f}": ${name(f)},`).join("\n");
const out = src
  .replace(
    /\/\/ <level-imports>[\s\S]*?\/\/ <\/level-imports>/,
    `// <level-imports>\n${imports}\n// </level-imports>`,
  )
  .replace(
    /\/\/ <level-table>[\s\S]*?\/\/ <\/level-table>/,
    `// <level-table>\n${table}\n  // </level-table>`,
  );
writeFileSync(indexPath, out);
console.log(`src/levels/index.ts: ${files.length} levels`);
