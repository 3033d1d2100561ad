// Build step of the network UI: copy the ES-module builds of the npm libraries into static/vendor
// (gitignored), which crn/web/static/js/graph.js imports by path. Run after `npm ci`: `node crn/web/build.mjs`.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const vendor = join(here, "static", "vendor");
const files = {
  "cytoscape/dist/cytoscape.esm.min.mjs": "cytoscape.esm.min.mjs",
  "cytoscape-dagre/dist/cytoscape-dagre.min.mjs": "cytoscape-dagre.min.mjs",
};
mkdirSync(vendor, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", from), join(vendor, to));
  console.log(`vendor/${to}`);
}
