/**
 * Operator sessions for the admin pages: a signed, expiring cookie value (no server-side state,
 * never the raw token or password). Value: `<expiresAtMs>.<nonce>.<HMAC-SHA256 base64url>`.
 *
 * The HMAC key is `SESSION_SECRET` when configured, else derived from the operator password (or
 * `API_TOKEN`) with HMAC over a fixed label, so changing the password ends every session.
 *
 * @example
 * ```ts
 * const sessions = await SessionSigner.create("a long server secret", 12 * 3600_000);
 * const value = await sessions.issue();          // put into Set-Cookie
 * await sessions.verify(value);                  // true until it expires
 * ```
 *
 * @module
 */

/** Name of the session cookie. */
export const SESSION_COOKIE = "qc_session";

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    secret as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

async function hmac(key: CryptoKey, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data)));
}

/**
 * The session HMAC key: `sessionSecret` as given, else HMAC(password, label) — the password
 * itself never signs anything and is never stored in a cookie.
 */
export async function deriveSessionSecret(
  sessionSecret: string | null,
  password: string,
): Promise<Uint8Array> {
  if (sessionSecret) return encoder.encode(sessionSecret);
  return await hmac(await hmacKey(encoder.encode(password)), "qc-ml-service admin session v1");
}

/** Issues and verifies session cookie values. */
export class SessionSigner {
  private constructor(
    private readonly key: CryptoKey,
    /** Lifetime of a new session in milliseconds. */
    readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** A signer for `secret` (≥ 1 byte) issuing sessions valid for `ttlMs`. */
  static async create(
    secret: string | Uint8Array,
    ttlMs: number,
    now: () => number = Date.now,
  ): Promise<SessionSigner> {
    const bytes = typeof secret === "string" ? encoder.encode(secret) : secret;
    if (bytes.length === 0) throw new Error("session secret is empty");
    return new SessionSigner(await hmacKey(bytes), ttlMs, now);
  }

  /** A new session value. */
  async issue(): Promise<string> {
    const expires = Math.floor(this.now() + this.ttlMs);
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const payload = `${expires}.${nonce}`;
    return `${payload}.${base64url(await hmac(this.key, payload))}`;
  }

  /** Whether `value` was issued by this signer and has not expired. */
  async verify(value: string | null | undefined): Promise<boolean> {
    if (!value || value.length > 200) return false;
    const m = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,100})$/.exec(value);
    if (!m) return false;
    if (Number(m[1]) <= this.now()) return false;
    const expected = base64url(await hmac(this.key, `${m[1]}.${m[2]}`));
    return safeEqual(expected, m[3]);
  }
}

/** Constant-time string comparison (no early exit on the first differing byte). */
export function safeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** A cookie's value from a `Cookie` header, or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}
