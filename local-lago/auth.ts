// Who may call the local Lago: Lago's API key on the Lago routes, and a token on the admin API when it is reachable
// from other machines. Secrets are compared in constant time, so answer timing tells nothing about a guess.
import { createHash, timingSafeEqual } from "node:crypto";
import * as net from "node:net";

/** The token of an `Authorization: Bearer <token>` header (Lago reads the second word, whatever the first). */
export const bearerToken = (header: string | undefined): string | undefined => (header ?? "").trim().split(/\s+/)[1] || undefined;

/** Equal strings, compared without an early exit: both sides are hashed to the same length first. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/**
 * A host that only this machine can reach: `localhost`, 127.0.0.0/8, ::1 (also as ::ffff:127.x). Anything else,
 * 0.0.0.0 and :: included, is reachable from other machines (a host name is assumed to be).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (net.isIPv4(bare)) return bare.startsWith("127.");
  if (net.isIPv6(bare)) return bare === "::1" || /^::ffff:127\./.test(bare);
  return false;
}
