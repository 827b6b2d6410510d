/**
 * The file format of the cache of results (`cache.ts`): the magic `SGDCACHE`, a format version
 * (little-endian u32), the header's length (u32), the header as JSON (kind, key, label, date,
 * compute seconds, generator draws, payload length and SHA-256), then the payload (the value in
 * V8's structured-clone serialisation). {@link decodeEntry} checks all of it and says what is wrong.
 *
 * @module
 */
import { deserialize } from "node:v8";
import { sha256Hex } from "./cache_key.ts";

/** The first bytes of every cache file. */
export const CACHE_MAGIC = "SGDCACHE";
/** Version of the file layout; a file of another version is rebuilt. */
export const CACHE_FORMAT_VERSION = 1;
/** File name extension of cache entries. */
export const CACHE_EXTENSION = ".sgdcache";

/** The header of a cache file. */
export interface CacheHeader {
  kind: string;
  key: string;
  /** what the entry is, for listings (e.g. the model's name) */
  label: string;
  /** when it was computed (ISO 8601) */
  created: string;
  /** how long the computation took */
  seconds: number;
  /** draws the computation made from each named generator */
  draws: Record<string, number>;
  /** each named generator's internal state after the computation (`CountedPrng.snapshot`) */
  prngStates?: Record<string, number[]>;
  payloadLength: number;
  payloadSha256: string;
}

const PREFIX = 16; // magic (8) + format version (4) + header length (4)

/** Encodes a cache file: magic, format version, header length, header JSON, payload. */
export function encodeEntry(
  header: Omit<CacheHeader, "payloadLength" | "payloadSha256">,
  payload: Uint8Array,
): Uint8Array {
  const full: CacheHeader = {
    ...header,
    payloadLength: payload.length,
    payloadSha256: sha256Hex(payload),
  };
  const head = new TextEncoder().encode(JSON.stringify(full));
  const out = new Uint8Array(PREFIX + head.length + payload.length);
  out.set(new TextEncoder().encode(CACHE_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CACHE_FORMAT_VERSION, true);
  view.setUint32(12, head.length, true);
  out.set(head, PREFIX);
  out.set(payload, PREFIX + head.length);
  return out;
}

/** Why a cache file was rejected. */
export class CorruptCacheError extends Error {
  override name = "CorruptCacheError";
}

/**
 * Decodes and checks the header of a cache file (not the payload).
 * @throws CorruptCacheError with the reason
 */
export function decodeHeader(bytes: Uint8Array): { header: CacheHeader; payloadOffset: number } {
  if (bytes.length < PREFIX) {
    throw new CorruptCacheError(`truncated: ${bytes.length} bytes, shorter than the prefix`);
  }
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== CACHE_MAGIC) {
    throw new CorruptCacheError("not a cache file (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CACHE_FORMAT_VERSION) {
    throw new CorruptCacheError(`format version ${version}, expected ${CACHE_FORMAT_VERSION}`);
  }
  const headLength = view.getUint32(12, true);
  if (PREFIX + headLength > bytes.length) {
    throw new CorruptCacheError(`truncated: header of ${headLength} bytes runs past the end`);
  }
  let header: CacheHeader;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(PREFIX, PREFIX + headLength),
    ));
  } catch (e) {
    throw new CorruptCacheError(`unreadable header (${(e as Error).message})`);
  }
  if (
    typeof header !== "object" || header === null || typeof header.key !== "string" ||
    typeof header.kind !== "string" || !Number.isInteger(header.payloadLength) ||
    typeof header.payloadSha256 !== "string"
  ) {
    throw new CorruptCacheError("header lacks its fields");
  }
  return { header, payloadOffset: PREFIX + headLength };
}

/**
 * Decodes and checks a whole cache file: header, the expected kind and key, the exact length
 * (a truncated or extended file is rejected) and the payload's SHA-256.
 * @throws CorruptCacheError with the reason
 */
export function decodeEntry(
  bytes: Uint8Array,
  expect?: { kind: string; key: string },
): { header: CacheHeader; value: unknown } {
  const { header, payloadOffset } = decodeHeader(bytes);
  if (expect && (header.kind !== expect.kind || header.key !== expect.key)) {
    throw new CorruptCacheError(`holds another key (${header.kind} ${header.key.slice(0, 12)}…)`);
  }
  const actual = bytes.length - payloadOffset;
  if (actual !== header.payloadLength) {
    throw new CorruptCacheError(
      `${actual < header.payloadLength ? "truncated" : "too long"}: payload of ${actual} bytes, ` +
        `the header says ${header.payloadLength}`,
    );
  }
  const payload = bytes.subarray(payloadOffset);
  if (sha256Hex(payload) !== header.payloadSha256) {
    throw new CorruptCacheError("checksum mismatch (the payload was modified)");
  }
  let value: unknown;
  try {
    value = deserialize(payload);
  } catch (e) {
    throw new CorruptCacheError(`payload does not decode (${(e as Error).message})`);
  }
  return { header, value };
}
