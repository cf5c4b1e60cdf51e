import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { DEMO_FIRST_NAMES, DEMO_LAST_NAMES } from "../src/server/db/demo-names";

const GROUPS = [
  "Clientes",
  "VIP",
  "Asunción",
  "Encarnación",
  "Ciudad del Este",
  "Mayoristas",
  "Minoristas",
  "Leads 2026",
  "Feria",
  "Web",
  "Referidos",
  "Inactivos",
  "Norte",
  "Sur",
  "Este",
  "Oeste",
  "Centro",
  "Premium",
  "Básico",
  "Eventos",
];
const TITLES = ["Sr.", "Sra.", "Dr.", "Lic.", "Ing."];

/** Deterministic PRNG so every run imports the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `+595 98x xxxxxx` in the four spellings spreadsheets use. */
function formatPhone(national9: string, style: number): string {
  const n = national9; // e.g. 982123456
  switch (style % 4) {
    case 0:
      return `+595 ${n.slice(0, 3)} ${n.slice(3)}`;
    case 1:
      return `595${n}`;
    case 2:
      return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
    default:
      return `(0${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`;
  }
}

export type Fixture = {
  rows: number;
  validUnique: number;
  duplicates: number;
  invalid: number;
  existingHits: number;
  normalised: number;
};

/**
 * A realistic 1M-row CSV: Spanish headers, `;`, mixed phone formats, ~5% repeats of earlier
 * rows, ~1% invalid phones, 1–2 groups a row; 10% of phones already exist in the workspace
 * (they become updates). Also writes the normalised rows for the COPY baseline.
 */
export async function writeImportFixture(
  csvPath: string,
  normalisedPath: string,
  workspaceId: string,
  rows: number,
  existing: number,
): Promise<Fixture> {
  const rand = rng(42);
  const csv = createWriteStream(csvPath);
  const norm = createWriteStream(normalisedPath);
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write(csv, "Número;Nombre;Sustantivo;Grupo;Ciudad\r\n");
  const emitted: string[] = [];
  const written = new Set<string>();
  const fx: Fixture = {
    rows,
    validUnique: 0,
    duplicates: 0,
    invalid: 0,
    existingHits: 0,
    normalised: 0,
  };
  for (let i = 0; i < rows; i++) {
    const r = rand();
    let national: string;
    let valid = true;
    if (r < 0.01) {
      valid = false;
      fx.invalid++;
      national = String(Math.floor(rand() * 1e5)); // too short
    } else if (r < 0.06 && emitted.length > 0) {
      national = emitted[Math.floor(rand() * emitted.length)]!;
      fx.duplicates++;
    } else if (r < 0.16) {
      national = `981${String(Math.floor(rand() * existing)).padStart(6, "0")}`;
      fx.existingHits++;
      emitted.push(national);
    } else {
      national = `98${2 + (i % 4)}${String(i).padStart(6, "0")}`;
      emitted.push(national);
      fx.validUnique++;
    }
    const name = `${DEMO_FIRST_NAMES[i % DEMO_FIRST_NAMES.length]} ${DEMO_LAST_NAMES[Math.floor(rand() * DEMO_LAST_NAMES.length)]}`;
    const g1 = GROUPS[Math.floor(rand() * GROUPS.length)]!;
    const groups = rand() < 0.5 ? g1 : `${g1}|${GROUPS[Math.floor(rand() * GROUPS.length)]}`;
    const title = TITLES[i % TITLES.length]!;
    await write(
      csv,
      `${valid ? formatPhone(national, i) : national};${name};${title};${groups};Asunción\r\n`,
    );
    if (valid && !written.has(national)) {
      written.add(national);
      await write(
        norm,
        `${workspaceId}\t+595${national}\t${name}\t${title}\t{"ciudad": "Asunción"}\tcsv\n`,
      );
    }
  }
  fx.normalised = written.size;
  csv.end();
  norm.end();
  await Promise.all([once(csv, "finish"), once(norm, "finish")]);
  return fx;
}

// Run as its own process by bench/import.ts so generating the file never counts in the
// importer's peak RSS: `node --import tsx bench/import-fixture.ts CSV TSV WORKSPACE ROWS EXISTING`.
if (process.argv[1]?.endsWith("import-fixture.ts")) {
  const [csvPath, normPath, workspaceId, rows, existing] = process.argv.slice(2);
  void writeImportFixture(csvPath!, normPath!, workspaceId!, Number(rows), Number(existing)).then(
    (fx) => {
      process.stdout.write(JSON.stringify(fx));
    },
  );
}
