export type Delimiter = "," | ";" | "\t";

// In tie-break order: cells rarely hold a tab, while `Pérez, Juan` or `vip;norte` is common.
const CANDIDATES: readonly Delimiter[] = ["\t", ",", ";"];
const MAX_LINES = 50;

type LineCounts = Record<Delimiter, number>;

type Scan = { lines: LineCounts[]; commas: number; decimalCommas: number };

/**
 * The delimiter of a CSV sample (the decoded first ~64 KiB): the candidate that splits the
 * first lines into the same number of cells most consistently. Single-column files get ",".
 */
export function sniffDelimiter(sample: string): Delimiter {
  const hinted = excelSeparatorHint(sample);
  if (hinted) return hinted;

  const { lines, commas, decimalCommas } = scanLines(sample);
  if (lines.length === 0) return ",";
  const scores = new Map(CANDIDATES.map((d) => [d, score(lines.map((l) => l[d]))]));
  const semicolon = scores.get(";")!;
  const comma = scores.get(",")!;
  // Spanish Excel writes `;` files because the comma is the decimal separator: `1,5`.
  const commasLookDecimal = commas > 0 && decimalCommas >= commas * 0.8;
  if (semicolon.mode > 0 && commasLookDecimal && semicolon.consistency >= comma.consistency)
    return ";";

  let best: Delimiter | null = null;
  for (const d of CANDIDATES) {
    const s = scores.get(d)!;
    const b = best && scores.get(best)!;
    if (s.mode === 0) continue;
    if (
      !b ||
      s.consistency > b.consistency ||
      (s.consistency === b.consistency && s.mode > b.mode)
    ) {
      best = d;
    }
  }
  return best ?? ",";
}

/** Excel honours (and some tools write) a first line `sep=;` naming the delimiter. */
function excelSeparatorHint(sample: string): Delimiter | null {
  const match = /^\uFEFF?sep=(.)\r?\n/i.exec(sample);
  const d = match?.[1];
  return d === "," || d === ";" || d === "\t" ? d : null;
}

/** Share of lines whose delimiter count equals the most common count (the mode). */
function score(counts: number[]): { mode: number; consistency: number } {
  const frequency = new Map<number, number>();
  for (const c of counts) frequency.set(c, (frequency.get(c) ?? 0) + 1);
  let mode = 0;
  let modeLines = 0;
  for (const [count, lines] of frequency) {
    if (lines > modeLines || (lines === modeLines && count > mode)) {
      mode = count;
      modeLines = lines;
    }
  }
  return { mode, consistency: modeLines / counts.length };
}

/**
 * Counts candidate delimiters per logical line, outside double-quoted fields (which may hold
 * delimiters and line breaks). A quote only opens a field at the start of a cell, so a stray
 * `5"` inside a cell does not swallow the rest of the sample.
 */
function scanLines(sample: string): Scan {
  const lines: LineCounts[] = [];
  let current: LineCounts = { ",": 0, ";": 0, "\t": 0 };
  let blank = true;
  let inQuotes = false;
  let commas = 0;
  let decimalCommas = 0;
  let prev = "\n";
  const endLine = () => {
    if (!blank) lines.push(current);
    current = { ",": 0, ";": 0, "\t": 0 };
    blank = true;
  };

  for (let i = 0; i < sample.length && lines.length < MAX_LINES; i++) {
    const ch = sample[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (sample[i + 1] === '"') i++;
        else inQuotes = false;
      }
      prev = ch;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && sample[i + 1] === "\n") i++;
      endLine();
      prev = "\n";
      continue;
    }
    if (ch === '"' && (prev === "\n" || prev === "," || prev === ";" || prev === "\t")) {
      inQuotes = true;
    } else if (ch === "," || ch === ";" || ch === "\t") {
      current[ch]++;
      if (ch === ",") {
        commas++;
        if (isDigit(prev) && isDigit(sample[i + 1])) decimalCommas++;
      }
    }
    if (ch !== " " && ch !== "\uFEFF") blank = false;
    prev = ch;
  }
  // A sample cut inside a quoted field ends in a partial line that would skew the counts.
  if (!inQuotes && lines.length < MAX_LINES) endLine();
  return { lines, commas, decimalCommas };
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}
