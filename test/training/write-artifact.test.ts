import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelMetadata } from "../../src/scoring/model-metadata.js";
import {
  ArtifactDirError,
  type ArtifactFiles,
  versionDir,
  writeArtifact,
} from "../../src/training/artifact/write-artifact.js";
import { formatSummary } from "../../src/training/cli/summary.js";
import type { TrainingRun } from "../../src/training/pipeline/run-training.js";
import { fixtureMetadata } from "../support/onnx-fixtures.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "write-artifact-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = (version: string, createdAt: string): ArtifactFiles => ({
  onnx: new Uint8Array([1, 2, 3]),
  metadata: {
    ...fixtureMetadata("churn", 2, { training: { createdAt, command: "train" } }),
    version,
  } as ModelMetadata,
  metrics: { trainSeconds: createdAt.length },
  reportHtml: `<p>${createdAt}</p>`,
});

const createdAt = (folder: string): string =>
  JSON.parse(readFileSync(join(folder, "metadata.json"), "utf8")).training.createdAt;

describe("writeArtifact", () => {
  it("keeps a folder that already holds the version (never removing it), and says so", () => {
    const target = versionDir(dir, "churn", "0123456789abcdef");
    const first = writeArtifact(target, files("0123456789abcdef", "2025-01-01T00:00:00.000Z"));
    expect(first).toEqual({ dir: target, existed: false });
    const inode = statSync(target).ino;

    // The same command run again: same content hash, another wall clock.
    const again = writeArtifact(target, files("0123456789abcdef", "2025-02-02T00:00:00.000Z"));
    expect(again).toEqual({ dir: target, existed: true });
    expect(statSync(target).ino).toBe(inode);
    expect(createdAt(target)).toBe("2025-01-01T00:00:00.000Z");
    expect(readdirSync(join(dir, "churn"))).toEqual(["0123456789abcdef"]); // no staging folder left

    const run = {
      metadata: { name: "churn", kind: "logistic", version: "0123456789abcdef" },
      trained: { evaluation: { rows: 1, positives: 1 }, options: { split: "stratified", seed: 1 } },
      parityMaxAbsDiff: 0,
      ...again,
    } as unknown as TrainingRun;
    expect(formatSummary(run)).toContain(`${target} already existed with this version`);
  });

  it("replaces a folder of this version whose model file is damaged, rather than keeping it", () => {
    const target = versionDir(dir, "churn", "0123456789abcdef");
    writeArtifact(target, files("0123456789abcdef", "2025-01-01T00:00:00.000Z"));
    writeFileSync(join(target, "model.onnx"), new Uint8Array([1])); // cut short
    const again = writeArtifact(target, files("0123456789abcdef", "2025-02-02T00:00:00.000Z"));
    expect(again).toEqual({ dir: target, existed: false });
    expect([...readFileSync(join(target, "model.onnx"))]).toEqual([1, 2, 3]);
    expect(readdirSync(join(dir, "churn"))).toEqual(["0123456789abcdef"]); // nothing left aside
    // Another version is never written into a registry version's folder (named by its own version).
    expect(() => writeArtifact(target, files("fedcba9876543210", "2025-03-03T00:00:00.000Z"))).toThrow(
      ArtifactDirError,
    );
    expect(createdAt(target)).toBe("2025-02-02T00:00:00.000Z");
  });

  it("replaces an earlier version folder (an --out folder reused), but not one holding other files", () => {
    const target = join(dir, "out");
    writeArtifact(target, files("0123456789abcdef", "2025-01-01T00:00:00.000Z"));
    writeFileSync(join(target, "notes.txt"), "someone's");
    expect(() => writeArtifact(target, files("fedcba9876543210", "2025-02-02T00:00:00.000Z"))).toThrow(
      ArtifactDirError,
    );
    // A desktop's own files (a Finder opened the report) are not someone's data.
    writeFileSync(join(target, ".DS_Store"), "finder");
    rmSync(join(target, "notes.txt"));
    const other = writeArtifact(target, files("fedcba9876543210", "2025-02-02T00:00:00.000Z"));
    expect(other).toEqual({ dir: target, existed: false });
    expect(readdirSync(target).sort()).toEqual([
      "metadata.json",
      "metrics.json",
      "model.onnx",
      "report.html",
    ]);
    expect(createdAt(target)).toBe("2025-02-02T00:00:00.000Z");
  });

  it("refuses a non-empty folder that is not a version folder (--out models), removing nothing", () => {
    const models = join(dir, "models");
    writeArtifact(
      versionDir(models, "churn", "0123456789abcdef"),
      files("0123456789abcdef", "2025-01-01T00:00:00.000Z"),
    );
    writeFileSync(join(models, "registry.json"), "{}");
    expect(() => writeArtifact(models, files("fedcba9876543210", "2025-02-02T00:00:00.000Z"))).toThrow(
      ArtifactDirError,
    );
    expect(readdirSync(models).sort()).toEqual(["churn", "registry.json"]);
    expect(readdirSync(join(models, "churn"))).toEqual(["0123456789abcdef"]);

    const work = join(dir, "work");
    mkdirSync(work);
    writeFileSync(join(work, "notes.txt"), "mine");
    expect(() => writeArtifact(work, files("fedcba9876543210", "2025-02-02T00:00:00.000Z"))).toThrow(
      /work already holds other files \(notes\.txt\) and is not a model version folder/,
    );
    expect(readFileSync(join(work, "notes.txt"), "utf8")).toBe("mine");

    // A project folder with a metadata.json of its own among other files is not a version folder.
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(
      join(project, "metadata.json"),
      JSON.stringify({ version: "mine", onnx: { file: "x.onnx" } }),
    );
    writeFileSync(join(project, "data.csv"), "a,b\n1,2\n");
    expect(() => writeArtifact(project, files("fedcba9876543210", "2025-02-02T00:00:00.000Z"))).toThrow(
      ArtifactDirError,
    );
    expect(readdirSync(project).sort()).toEqual(["data.csv", "metadata.json"]);
    expect(readdirSync(dir).sort()).toEqual(["models", "project", "work"]); // no staging folder left behind
  });
});
