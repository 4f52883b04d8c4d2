// Looking for a secret where an engine run may have left it: files (gzip ones decompressed) and captured text,
// verbatim or base64-encoded at any offset. Plain functions, usable outside vitest.
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * Where `secret` occurs, verbatim or base64-encoded at any offset (inside a larger encoded blob too), as
 * "file <path>" or "text #<n>"; empty when nowhere. Gzip files are read decompressed.
 */
export function secretOccurrences(secret: string, where: { dirs: string[]; texts: readonly string[] }): string[] {
  const spellings = [secret, ...base64Fragments(secret)];
  const found: string[] = [];
  for (const file of where.dirs.flatMap(regularFiles)) {
    const content = readable(fs.readFileSync(file));
    if (spellings.some((s) => content.includes(s))) found.push(`file ${file}`);
  }
  where.texts.forEach((text, i) => {
    if (spellings.some((s) => text.includes(s))) found.push(`text #${i}`);
  });
  return found;
}

const isGzip = (content: Buffer) => content[0] === 0x1f && content[1] === 0x8b;
const readable = (content: Buffer): Buffer => (isGzip(content) ? gunzipSync(content) : content);

/**
 * The base64 characters that depend on `secret` alone, for each of the three byte offsets it can sit at inside
 * a longer encoded value: a secret wrapped in a larger blob is found as one of these.
 */
export function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    return encoded.slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3));
  });
}

/** How a file starts: "PLOG" (the engine's log, encrypted with the stack's secrets provider), "gzip", or "other". */
export function fileFormat(file: string): "PLOG" | "gzip" | "other" {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString("latin1") === "PLOG" ? "PLOG" : isGzip(head) ? "gzip" : "other";
}

/**
 * Files under `dir` that look like the Pulumi CLI's automatic logs: named `….log`, or in one of their formats
 * (PLOG when encrypted, gzip when not). Nothing else a file backend writes is either.
 */
export function engineLogFiles(dir: string): string[] {
  return regularFiles(dir).filter((file) => file.endsWith(".log") || fileFormat(file) !== "other");
}

/** Every regular file under `dir`; symlinks are not followed (the NODE_PATH link points back at the repo). */
export function regularFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...regularFiles(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
