// Compiles src/ to dist/src/ (ES modules, one file per source file, source maps) and copies the Lua
// scripts the Redis stores load next to their modules. The service runs from dist/ in production and in
// bench:decide: transpiling at run time (tsx) wraps every function created in a hot path in a naming
// call (esbuild's keepNames) and costs start-up time. Type checking is `npm run typecheck`'s job.
import { cpSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const started = performance.now();
const files = (dir, ext) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));

// An optional folder (inside the repository, so the build still finds node_modules) instead of dist:
// a test builds its own copy rather than replacing the dist/ a running service uses.
const out = process.argv[2] ?? "dist";
rmSync(join(out, "src"), { recursive: true, force: true });
await build({
  entryPoints: files("src", ".ts"),
  outdir: join(out, "src"),
  outbase: "src",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
for (const lua of files("src", ".lua")) cpSync(lua, join(out, lua));
console.error(`built ${join(out, "src")} in ${Math.round(performance.now() - started)} ms`);
