/** Reading CSVs for training: typing, blanks, unseen categories and the errors a user can hit. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CsvConfigInput,
  CsvInputError,
  readCsvConfigFile,
  resolveCsvConfig,
} from "../../src/training/data/csv-config.js";
import { loadCsv } from "../../src/training/data/csv-source.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import { fitInputs } from "../../src/training/prep/fit-inputs.js";

const dir = mkdtempSync(join(tmpdir(), "nba-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const load = (csv: string, flags: Partial<CsvConfigInput> = {}) =>
  loadCsv(resolveCsvConfig({}, { csv, target: "Churn", positive: "Yes", ...flags }));

// Telco-like: CRLF, a blank TotalCharges for a tenure-0 customer, an id column, a 0/1 flag.
const TELCO = [
  "customerID,SeniorCitizen,tenure,Contract,TotalCharges,Churn",
  "a-1,0,1,Month-to-month,29.85,No",
  "a-2,1,34,One year,1889.5,No",
  "a-3,0,0,Two year, ,No",
  "a-4,0,2,Month-to-month,108.15,Yes",
  "a-5,1,45,One year,1840.75,Yes",
].join("\r\n");

describe("loadCsv", () => {
  it("types columns, keeps blank numbers as missing, drops what it is told and labels the target", async () => {
    const set = await load(file("telco.csv", TELCO), { drop: ["customerID"] });
    expect([...set.table.numeric.keys()]).toEqual(["SeniorCitizen", "tenure", "TotalCharges"]);
    expect([...set.table.categorical.keys()]).toEqual(["Contract"]);
    expect(Array.from(set.labels)).toEqual([0, 0, 0, 1, 1]);
    expect(set.table.numeric.get("TotalCharges")![2]).toBeNaN();
    expect(set.info).toMatchObject({ target: "Churn", positiveValue: "Yes" });
    expect(set.info.dataHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("fills a blank number with the given fill (TotalCharges -> 0) or the training mean", async () => {
    const set = await load(file("telco2.csv", TELCO), { drop: ["customerID"], fill: { TotalCharges: 0 } });
    const rows = [0, 1, 2, 3, 4];
    const withZero = fitInputs(set.table, rows, { fills: set.fills! }).find(
      (i) => i.name === "TotalCharges",
    )!;
    expect(withZero).toMatchObject({ type: "numeric", fill: 0 });
    const withMean = fitInputs(set.table, rows).find((i) => i.name === "TotalCharges")!;
    expect(withMean.type === "numeric" && withMean.fill).toBeCloseTo(
      (29.85 + 1889.5 + 108.15 + 1840.75) / 4,
      9,
    );
  });

  it("encodes a category never seen in training into the unseen column", async () => {
    const set = await load(file("telco3.csv", TELCO), { drop: ["customerID"] });
    const inputs = fitInputs(set.table, [0, 1, 3, 4]); // "Two year" only in row 2
    const contract = inputs.find((i) => i.name === "Contract")!;
    expect(contract.type === "categorical" && contract.vocabulary).toEqual(["Month-to-month", "One year"]);
    const x = encodeTable(inputs, set.table, [2]);
    // SeniorCitizen, tenure, TotalCharges, then Contract: [Month-to-month, One year, unseen].
    expect(Array.from(x.data.slice(3))).toEqual([0, 0, 1]);
  });

  it("reads a ';'-separated file with quoted strings", async () => {
    const path = file(
      "bank.csv",
      '"age";"job";"pdays";"y"\r\n56;"housemaid";999;"no"\r\n41;"admin.";6;"yes"\r\n',
    );
    const set = await loadCsv(resolveCsvConfig({}, { csv: path, target: "y", positive: "yes", sep: ";" }));
    expect(set.table.categorical.get("job")).toEqual(["housemaid", "admin."]);
    expect(Array.from(set.table.numeric.get("pdays")!)).toEqual([999, 6]);
    expect(Array.from(set.labels)).toEqual([0, 1]);
  });

  it("keeps a dropped column that a formula reads in the table, not as an input, so formulas encode", async () => {
    const path = file("bank2.csv", '"age";"pdays";"y"\r\n56;999;"no"\r\n41;6;"yes"\r\n33;10;"no"\r\n');
    const set = await loadCsv(
      resolveCsvConfig(
        {},
        { csv: path, target: "y", positive: "yes", sep: ";", drop: ["pdays"], derive: ["unless(pdays,999)"] },
      ),
    );
    expect(set.inputs).toEqual(["age", "unless(pdays,999)"]);
    const rows = [0, 1, 2];
    const inputs = fitInputs(set.table, rows, { columns: set.inputs!, formulas: set.formulas! });
    expect(inputs.map((i) => i.name)).toEqual(["age", "unless(pdays,999)"]);
    const unless = inputs[1]!;
    if (unless.type !== "numeric") throw new Error("unless() is numeric");
    const x = encodeTable(inputs, set.table, rows);
    // Row 1: pdays 999 is the sentinel, so missing -> the fill (the mean of 6 and 10); then 6 and 10.
    expect(unless.fill).toBe(8);
    expect(Array.from(x.data.filter((_, i) => i % 2 === 1))).toEqual(
      [8, 6, 10].map((v) => Math.fround((v - unless.mean) / unless.scale)),
    );
  });

  it("names the wrong positive value and the values found", async () => {
    const path = file("telco4.csv", TELCO);
    await expect(load(path, { positive: "yes" })).rejects.toThrow(
      /no row of Churn has the positive value "yes"; values found: "No" \(3\), "Yes" \(2\)/,
    );
  });

  it("names a missing target column and lists the columns", async () => {
    await expect(load(file("telco5.csv", TELCO), { target: "churn" })).rejects.toThrow(
      /target column "churn" is not in .*; its columns are: customerID, SeniorCitizen, tenure, Contract, TotalCharges, Churn/,
    );
  });

  it("says so for an empty file, a header without rows, or a missing file", async () => {
    await expect(load(file("empty.csv", ""))).rejects.toThrow(/is empty/);
    await expect(load(file("blank.csv", "\r\n\r\n"))).rejects.toThrow(/is empty/);
    await expect(load(file("header.csv", "a,Churn\r\n"))).rejects.toThrow(/has a header but no data rows/);
    await expect(load(join(dir, "nope.csv"))).rejects.toThrow(/does not exist/);
    await expect(load(file("one.csv", "a;Churn\n1;Yes\n"))).rejects.toBeInstanceOf(CsvInputError);
  });

  it("rejects option columns that are not in the file", async () => {
    await expect(load(file("telco6.csv", TELCO), { drop: ["customer_id"] })).rejects.toThrow(
      /column "customer_id"/,
    );
  });

  it("reads a fill given as text for a numeric column as its number, and refuses one that is not a number", async () => {
    const path = file("telco7.csv", TELCO);
    const set = await load(path, { drop: ["customerID"], fill: { TotalCharges: "0" } });
    expect(set.fills).toEqual({ TotalCharges: 0 });
    await expect(load(path, { drop: ["customerID"], fill: { TotalCharges: "none" } })).rejects.toThrow(
      /fill for column "TotalCharges" is "none", but TotalCharges is numeric: give a number \(--fill or "fill" in the config\)/,
    );
    await expect(load(path, { drop: ["customerID"], fill: { Contract: " " } })).rejects.toThrow(
      /fill for column "Contract" is blank/,
    );
    // A category's fill may be any text, and a number given for one is that text.
    expect((await load(path, { drop: ["customerID"], fill: { Contract: 1 } })).fills).toEqual({
      Contract: "1",
    });
  });

  it("refuses options that leave no input column", async () => {
    await expect(
      load(file("telco8.csv", TELCO), {
        drop: ["customerID", "SeniorCitizen", "tenure", "Contract", "TotalCharges"],
      }),
    ).rejects.toThrow(/no input column is left: .*--drop/);
  });

  it("names a formula column that is not in the file", async () => {
    await expect(
      load(file("telco9.csv", TELCO), { drop: ["customerID"], derive: ["log1p(TotalCharge)"] }),
    ).rejects.toThrow(
      /--derive "log1p\(TotalCharge\)" reads column "TotalCharge", which is not in .*; its columns are: customerID,/,
    );
  });

  it("names the line of a quote that is never closed, rather than failing with the parser's stack", async () => {
    const lines = TELCO.split("\r\n");
    lines[3] = `a-3,0,"5,One year,100,No`; // line 4
    const read = load(file("telco-quote.csv", lines.join("\r\n")));
    await expect(read).rejects.toThrow(CsvInputError);
    await expect(read).rejects.toThrow(/the quote opened on line 4 is never closed/);
  });

  it("refuses a blank target, and names the row of a line with too few or too many fields", async () => {
    const blank = [
      ...TELCO.split("\r\n").slice(0, 3),
      "a-9,0,3,One year,55.1, ",
      ...TELCO.split("\r\n").slice(3),
    ];
    await expect(load(file("telco10.csv", blank.join("\n")))).rejects.toThrow(
      /row 4: the target column "Churn" is blank/,
    );
    const short = [...TELCO.split("\r\n").slice(0, 4), "a-9,0,3,One year", ...TELCO.split("\r\n").slice(4)];
    await expect(load(file("telco11.csv", short.join("\n")))).rejects.toThrow(
      /row 5 has 4 fields, but the header has 6/,
    );
    const long = [...TELCO.split("\r\n"), "a-9,0,3,One year,55.1,No,extra"];
    await expect(load(file("telco12.csv", long.join("\n")))).rejects.toThrow(
      /row 7 has 7 fields, but the header has 6/,
    );
  });

  it("reads a JSON config whose csv path is relative to the config file", () => {
    const config = file(
      "config.json",
      JSON.stringify({ csv: "telco.csv", target: "Churn", positive: "Yes", drop: ["customerID"] }),
    );
    const resolved = resolveCsvConfig(readCsvConfigFile(config), { sep: "," });
    expect(resolved.csv).toBe(join(dir, "telco.csv"));
    expect(() => readCsvConfigFile(file("bad.json", '{"target": 3}'))).toThrow(/target/);
    expect(() => resolveCsvConfig({}, { target: "Churn", positive: "Yes" })).toThrow(/no CSV file/);
  });
});
