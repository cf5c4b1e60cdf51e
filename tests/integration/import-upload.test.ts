/**
 * CSV import, refused uploads: an empty file, binary content and an oversize file each get
 * a clear, specific error — and nothing of the upload stays behind (no contact_import row,
 * no stored chunk), even when megabytes were already written before the refusal.
 */
import { afterAll, describe, expect, it } from "vitest";
import { renderErrorRef } from "@/lib/error-text";
import { storeUpload } from "@/modules/contacts/imports.service";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  expectAppError,
  freshTenant,
  storedUploadsIn,
  streamOf,
  upload,
  type Tenant,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

/** Deterministic "random" bytes (xorshift), so a failure reproduces. */
function noise(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** An endless body of `piece`, counting what the server pulled from it. */
function endless(piece: Uint8Array) {
  const pulled = { bytes: 0 };
  async function* body() {
    for (;;) {
      pulled.bytes += piece.length;
      yield piece;
    }
  }
  return { body: body(), pulled };
}

function storeBody(tenant: Tenant, body: AsyncIterable<Uint8Array>, maxBytes?: number) {
  return storeUpload({
    workspaceId: tenant.workspaceId,
    userId: tenant.userId,
    fileName: "contactos.csv",
    body,
    maxBytes,
  });
}

describe("CSV import: empty files", () => {
  it("a 0-byte file is refused as empty; nothing is stored", async () => {
    const tenant = await freshTenant();
    const err = await expectAppError(upload(tenant, ""), "BAD_REQUEST");
    expect(err.key).toBe("import.emptyFile");

    // A body made of zero-length pieces is just as empty.
    async function* blanks() {
      yield new Uint8Array(0);
      yield new Uint8Array(0);
    }
    await expectAppError(storeBody(tenant, blanks()), "BAD_REQUEST");
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it.each([
    ["spaces and line breaks", " \r\n\t\n   \n"],
    ["a UTF-8 BOM only", "\uFEFF"],
    ["a BOM and blank lines", "\uFEFF\r\n\r\n"],
  ])("a whitespace-only file (%s) is refused as empty; nothing is stored", async (_label, text) => {
    const tenant = await freshTenant();
    const err = await expectAppError(upload(tenant, text), "BAD_REQUEST");
    expect(err.key).toBe("import.emptyFile");
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });
});

describe("CSV import: binary files", () => {
  it("random bytes with NULs are not a CSV file", async () => {
    const tenant = await freshTenant();
    const bytes = noise(4096);
    bytes[10] = 0;
    bytes[700] = 0;
    // Not accidentally a UTF-16 BOM.
    bytes[0] = 0x42;
    const err = await expectAppError(upload(tenant, bytes), "UNSUPPORTED_MEDIA_TYPE");
    expect(err.ref).toEqual({ key: "import.notCsv", params: { kind: "nul" } });
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it("control-character noise without NULs is not a CSV file either", async () => {
    const tenant = await freshTenant();
    const bytes = noise(4096, 7).map((b) => (b === 0 ? 1 : b));
    bytes[0] = 0x42;
    const err = await expectAppError(upload(tenant, bytes), "UNSUPPORTED_MEDIA_TYPE");
    expect(err.ref).toEqual({ key: "import.notCsv", params: { kind: "control" } });
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it.each([
    ["a PNG image", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], /PNG image/],
    [
      "an .xlsx (zip) workbook",
      [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00],
      /xlsx.*export it as CSV/,
    ],
  ])("%s is refused with a reason the user can act on", async (_label, magic, reason) => {
    const tenant = await freshTenant();
    // The rest of the file looks like harmless text: the signature alone decides.
    const bytes = Buffer.concat([
      Buffer.from(magic),
      Buffer.from("telefono,nombre\n0981123456,Ana\n"),
    ]);
    const err = await expectAppError(
      upload(tenant, bytes, { fileName: "contactos.csv" }),
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expect(renderErrorRef(err.ref)).toMatch(reason);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it("a large binary upload is refused after its first 64 KiB, not read to the end", async () => {
    const tenant = await freshTenant();
    const piece = noise(16 * 1024, 99);
    piece[0] = 0x42;
    piece[100] = 0;
    const { body, pulled } = endless(piece);
    await expectAppError(storeBody(tenant, body), "UNSUPPORTED_MEDIA_TYPE");
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });
});

describe("CSV import: oversize files", () => {
  it("a file over the limit is refused as soon as it crosses it; nothing is stored", async () => {
    const tenant = await freshTenant();
    const maxBytes = 3 * 1024 * 1024;
    // Valid CSV text, so only the size can refuse it; 3 MiB of 1 MiB chunks are written first.
    const { body, pulled } = endless(Buffer.from("0981123456,Ana Pérez,Clientes\n".repeat(2000)));
    const err = await expectAppError(storeBody(tenant, body, maxBytes), "PAYLOAD_TOO_LARGE");
    expect(err.ref).toEqual({ key: "import.tooLarge", params: { limit: "3 MB" } });
    expect(pulled.bytes).toBeGreaterThan(maxBytes);
    expect(pulled.bytes).toBeLessThan(maxBytes + 100 * 1024);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it("the limit is inclusive: a file of exactly maxBytes is stored, one byte more is not", async () => {
    const tenant = await freshTenant();
    const line = "0981123456,Ana\n";
    const exact = "telefono,nombre\n" + line.repeat(100);
    const maxBytes = Buffer.byteLength(exact);

    const stored = await storeBody(tenant, streamOf(exact), maxBytes);
    expect(stored).toMatchObject({ status: "uploaded", fileSize: maxBytes });
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 1, chunks: 1 });

    await expectAppError(storeBody(tenant, streamOf(exact + "\n"), maxBytes), "PAYLOAD_TOO_LARGE");
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 1, chunks: 1 });
  });
});
