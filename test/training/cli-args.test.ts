/** The training commands' flags: defaults, lists, CSV options and one-line errors. */
import { describe, expect, it } from "vitest";
import { parseTrainArgs } from "../../src/training/cli/train-args.js";
import { usage } from "../../src/training/cli/usage.js";

describe("parseTrainArgs", () => {
  it("defaults to a generated sample, seed 42, logistic for churn and mlp for propensity", () => {
    const churn = parseTrainArgs("churn", []);
    expect(churn).toMatchObject({
      kind: "run",
      command: {
        name: "churn",
        data: { kind: "sample", task: "churn" },
        train: { kind: "logistic", seed: 42 },
        modelsDir: "models",
      },
    });
    expect(parseTrainArgs("propensity", [])).toMatchObject({ command: { train: { kind: "mlp" } } });
  });

  it("gives the generated propensity MLP its own L2 default (1e-4), and nothing else", () => {
    const l2 = (task: "churn" | "propensity", argv: string[]) => {
      const parsed = parseTrainArgs(task, argv);
      if (parsed.kind !== "run") throw new Error(`expected a run, got ${parsed.kind}`);
      return parsed.command.train.l2;
    };
    expect(l2("propensity", [])).toBe(1e-4);
    expect(l2("propensity", ["--data", "data/gen"])).toBe(1e-4);
    expect(l2("propensity", ["--l2", "0.003"])).toBe(0.003);
    expect(l2("propensity", ["--model", "logistic"])).toBeUndefined();
    expect(l2("propensity", ["--csv", "bank.csv", "--target", "y", "--positive", "yes"])).toBeUndefined();
    expect(l2("churn", ["--model", "mlp"])).toBeUndefined();
  });

  it("reads the input set, L2 and ensemble size", () => {
    expect(
      parseTrainArgs("propensity", [
        "--inputs",
        "all",
        "--l2",
        "0.001",
        "--ensemble",
        "3",
        "--split",
        "time",
      ]),
    ).toMatchObject({
      command: {
        data: { kind: "sample", set: { inputs: "all" } },
        train: { l2: 0.001, ensemble: 3, split: "time" },
      },
    });
    expect(parseTrainArgs("churn", ["--inputs", "some"])).toMatchObject({ kind: "error" });
    expect(parseTrainArgs("churn", ["--ensemble", "0"])).toMatchObject({ kind: "error" });
  });

  it("reads CSV options, comma lists, fills and repeated formulas", () => {
    const parsed = parseTrainArgs("churn", [
      "--csv",
      "t.csv",
      "--target",
      "Churn",
      "--positive",
      "Yes",
      "--drop",
      "customerID,gender",
      "--sep",
      ";",
      "--fill",
      "TotalCharges=0",
      "--derive",
      "bin(tenure,6,12)",
      "--derive",
      "log1p(x)",
      "--model",
      "mlp",
      "--epochs",
      "5",
      "--split",
      "time",
    ]);
    expect(parsed).toMatchObject({
      kind: "run",
      command: {
        data: {
          kind: "csv",
          flags: {
            csv: "t.csv",
            target: "Churn",
            positive: "Yes",
            drop: ["customerID", "gender"],
            sep: ";",
            fill: { TotalCharges: 0 },
            derive: ["bin(tenure,6,12)", "log1p(x)"],
          },
        },
        train: { kind: "mlp", epochs: 5, split: "time" },
      },
    });
  });

  it("answers help and reports one readable error per mistake", () => {
    expect(parseTrainArgs("churn", ["--help"])).toEqual({ kind: "help" });
    expect(usage("churn")).toContain("--csv FILE");
    expect(parseTrainArgs("churn", ["--model", "forest"])).toEqual({
      kind: "error",
      message: "--model must be logistic, mlp, gbdt or blend",
    });
    // Before any data loads (it used to fail with exit 1 once the rows were built).
    expect(parseTrainArgs("churn", ["--split", "time", "--test-fraction", "0.3"])).toEqual({
      kind: "error",
      message:
        "--test-fraction does not apply to a time split of churn: the test rows are the customers at the label time T",
    });
    expect(parseTrainArgs("propensity", ["--split", "time", "--test-fraction", "0.3"])).toMatchObject({
      kind: "run",
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--tree-learning-rate", "0.1"])).toEqual({
      kind: "error",
      message: "--tree-learning-rate is for --model blend (gbdt: --learning-rate is the shrinkage)",
    });
    expect(
      parseTrainArgs("propensity", [
        "--model",
        "blend",
        "--blend-network",
        "logistic",
        "--interactions",
        "actionId",
        "--l2",
        "0.00001",
        "--tree-learning-rate",
        "0.1",
      ]),
    ).toMatchObject({
      command: {
        train: {
          kind: "blend",
          blendNetwork: "logistic",
          interactions: "actionId",
          l2: 0.00001,
          gbdt: { learningRate: 0.1 },
        },
      },
    });
    expect(parseTrainArgs("propensity", ["--blend-network", "tree"])).toMatchObject({
      kind: "error",
      message: "--blend-network must be logistic or mlp",
    });
    expect(parseTrainArgs("churn", ["--split", "random"])).toEqual({
      kind: "error",
      message: "--split must be stratified, time or sklearn",
    });
    expect(parseTrainArgs("churn", ["--split", "sklearn"])).toMatchObject({
      command: { train: { split: "sklearn" } },
    });
    expect(parseTrainArgs("churn", ["--seed", "-1"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/--seed/),
    });
    expect(parseTrainArgs("churn", ["--data", "d", "--csv", "x.csv"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/either --data or --csv/),
    });
    // The registry root follows MODELS_DIR as `npm run models` and the service do; the flag wins.
    const modelsDir = (argv: string[], env: NodeJS.ProcessEnv) => {
      const parsed = parseTrainArgs("churn", argv, env);
      return parsed.kind === "run" ? parsed.command.modelsDir : parsed.kind;
    };
    expect(modelsDir([], {})).toBe("models");
    expect(modelsDir([], { MODELS_DIR: "" })).toBe("models");
    expect(modelsDir([], { MODELS_DIR: "/srv/models" })).toBe("/srv/models");
    expect(modelsDir(["--models-dir", "m2"], { MODELS_DIR: "/srv/models" })).toBe("m2");
    // Flags that would be silently ignored, or that cannot work together, are refused.
    expect(parseTrainArgs("churn", ["--data", "d", "--customers", "100"])).toEqual({
      kind: "error",
      message:
        "--customers sizes the default generated sample: it does not apply with --data (the folder is used as it is)",
    });
    expect(parseTrainArgs("churn", ["--csv", "x.csv", "--days", "30"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(
        /^--days sizes the default generated sample: it does not apply with --csv/,
      ),
    });
    expect(parseTrainArgs("churn", ["--csv", "x.csv", "--inputs", "all"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/^--inputs chooses the inputs of generated data/),
    });
    expect(parseTrainArgs("churn", ["--promote", "--out", "/tmp/x"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/^--promote promotes the version from the models folder/),
    });
    expect(parseTrainArgs("churn", ["--bogus"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/bogus/),
    });
    expect(parseTrainArgs("churn", ["--csv", "t.csv", "--fill", "x"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/column=value/),
    });
    expect(parseTrainArgs("churn", ["--csv", "t.csv", "--fill", "x="])).toEqual({
      kind: "error",
      message: "--fill x= has no value: give column=value, e.g. x=0",
    });
    expect(parseTrainArgs("churn", ["--model", "mlp", "--hidden", "64,0"])).toEqual({
      kind: "error",
      message: "--hidden layer sizes must be at least 1, got 64,0",
    });
    expect(parseTrainArgs("churn", ["--model", "mlp", "--hidden", "0"])).toMatchObject({ kind: "error" });
    expect(parseTrainArgs("churn", ["--target", "y"])).toMatchObject({
      kind: "error",
      message: "--target describes a CSV: it needs --csv FILE or --config FILE",
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--lambda=-1"])).toEqual({
      kind: "error",
      message: "--lambda must be at least 0",
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--min-child-weight", "abc"])).toEqual({
      kind: "error",
      message: "--min-child-weight must be a number",
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--subsample", "1.5"])).toEqual({
      kind: "error",
      message: "--subsample must be at most 1",
    });
  });

  it("reads the gbdt flags into tree settings, and refuses flags of the other kind", () => {
    expect(
      parseTrainArgs("churn", [
        "--model",
        "gbdt",
        "--trees",
        "300",
        "--depth",
        "4",
        "--leaves",
        "15",
        "--lambda",
        "2",
        "--min-child-weight",
        "0.5",
        "--subsample",
        "0.7",
        "--colsample",
        "1",
        "--bins",
        "63",
        "--learning-rate",
        "0.1",
        "--patience",
        "30",
      ]),
    ).toMatchObject({
      kind: "run",
      command: {
        train: {
          kind: "gbdt",
          learningRate: 0.1,
          patience: 30,
          gbdt: {
            trees: 300,
            maxDepth: 4,
            maxLeaves: 15,
            lambda: 2,
            minChildWeight: 0.5,
            subsample: 0.7,
            colsample: 1,
            maxBins: 63,
          },
        },
      },
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--hidden", "8"])).toEqual({
      kind: "error",
      message: "--hidden is for logistic and mlp models, not gbdt",
    });
    expect(parseTrainArgs("churn", ["--trees", "10"])).toEqual({
      kind: "error",
      message: "--trees is for --model gbdt or blend",
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--bins", "256"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/--bins/),
    });
    expect(parseTrainArgs("churn", ["--model", "gbdt", "--subsample", "0"])).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/--subsample/),
    });
    expect(usage("churn")).toContain("--model logistic|mlp|gbdt|blend");
    expect(usage("churn")).toContain("--leaves N");
  });

  it("gives a blend both the tree flags and the network flags, each for its part", () => {
    expect(
      parseTrainArgs("propensity", [
        "--model",
        "blend",
        "--trees",
        "300",
        "--leaves",
        "15",
        "--hidden",
        "32,16",
        "--epochs",
        "20",
        "--ensemble",
        "2",
      ]),
    ).toMatchObject({
      kind: "run",
      command: {
        train: {
          kind: "blend",
          hidden: [32, 16],
          epochs: 20,
          ensemble: 2,
          // The generated propensity MLP's L2 default applies to the blend's MLP part too.
          l2: 1e-4,
          gbdt: { trees: 300, maxLeaves: 15 },
        },
      },
    });
    const csv = parseTrainArgs("churn", ["--model", "blend", "--csv", "x.csv", "--l2", "0.001"]);
    expect(csv).toMatchObject({ kind: "run", command: { train: { kind: "blend", l2: 0.001, gbdt: {} } } });
    expect(parseTrainArgs("churn", ["--model", "blend", "--class-weight", "balanced"])).toEqual({
      kind: "error",
      message: "--class-weight is for logistic and mlp models, not blend (its trees train unweighted)",
    });
    for (const flag of ["--learning-rate", "--patience"])
      expect(parseTrainArgs("churn", ["--model", "blend", flag, "5"])).toEqual({
        kind: "error",
        message: `${flag} is ambiguous with --model blend (trees and MLP each keep their default)`,
      });
  });
});
