/**
 * Failed-login rate limit per client address: after `maxFailures` failures within `windowMs`
 * further attempts are refused until the window has passed (429 with `Retry-After`).
 *
 * @example
 * ```ts
 * const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 15 * 60_000 });
 * const wait = limiter.retryAfterSeconds(ip); // > 0: answer 429
 * if (!ok) limiter.fail(ip); else limiter.succeed(ip);
 * ```
 *
 * @module
 */

export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at most (oldest dropped first), bounding memory under a spray. */
  maxClients?: number;
  now?: () => number;
}

/** Counts failed logins per address in a fixed window. */
export class LoginLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #opts: Required<LoginLimiterOptions>;

  constructor(opts: LoginLimiterOptions) {
    this.#opts = { maxClients: 10_000, now: Date.now, ...opts };
  }

  /** Seconds the address must wait before another attempt; 0 when it may try now. */
  retryAfterSeconds(addr: string): number {
    const entry = this.#failures.get(addr);
    if (!entry) return 0;
    const left = entry.since + this.#opts.windowMs - this.#opts.now();
    if (left <= 0) {
      this.#failures.delete(addr);
      return 0;
    }
    return entry.count >= this.#opts.maxFailures ? Math.ceil(left / 1000) : 0;
  }

  /** Record a failed attempt. */
  fail(addr: string): void {
    const now = this.#opts.now();
    const entry = this.#failures.get(addr);
    if (entry && entry.since + this.#opts.windowMs > now) {
      entry.count++;
      return;
    }
    if (this.#failures.size >= this.#opts.maxClients) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(addr, { count: 1, since: now });
  }

  /** Forget the address's failures (a successful login). */
  succeed(addr: string): void {
    this.#failures.delete(addr);
  }
}
