/**
 * An incremental RFC 4180 CSV reader fed one physical line at a time: fields may be quoted, a quoted
 * field may hold commas, doubled quotes and line breaks. Each record carries the line it starts on.
 */

export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export class CsvRecords {
  private fields: string[] = [];
  private field = "";
  private quoted = false;
  private start = 0;

  /** Feeds one line (without its line break); returns the record it completes, if any. */
  push(text: string, line: number): CsvRecord | undefined {
    if (!this.quoted) {
      this.start = line;
      this.fields = [];
      this.field = "";
    } else {
      this.field += "\n";
    }
    const s = text.endsWith("\r") ? text.slice(0, -1) : text;
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (this.quoted) {
        if (c !== '"') this.field += c;
        else if (s[i + 1] === '"') {
          this.field += '"';
          i++;
        } else this.quoted = false;
      } else if (c === '"') {
        this.quoted = true;
      } else if (c === ",") {
        this.fields.push(this.field);
        this.field = "";
      } else {
        this.field += c;
      }
    }
    if (this.quoted) return undefined;
    this.fields.push(this.field);
    return { line: this.start, fields: this.fields };
  }

  /** The line an unterminated quoted field started on, when the input ended inside one. */
  unterminated(): number | undefined {
    return this.quoted ? this.start : undefined;
  }
}
