/**
 * Content negotiation helpers.
 *
 * @module
 */

/** Parse an Accept header into media ranges with their q values (order kept). */
export function parseAccept(header: string | null): { type: string; q: number }[] {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [type, ...params] = part.trim().split(";");
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k === "q") q = Number.isFinite(Number(v)) ? Number(v) : 0;
    }
    return { type: type.trim().toLowerCase(), q };
  }).filter((r) => r.type !== "");
}

function quality(ranges: { type: string; q: number }[], mime: string): number {
  const [major] = mime.split("/");
  let best = -1;
  let specificity = -1;
  for (const r of ranges) {
    const s = r.type === mime ? 2 : r.type === `${major}/*` ? 1 : r.type === "*/*" ? 0 : -1;
    if (s > specificity) {
      specificity = s;
      best = r.q;
    }
  }
  return best < 0 ? 0 : best;
}

/**
 * True when the client prefers HTML over JSON (browsers). Ties and a missing header mean JSON:
 * API clients (the .NET backend, curl's `*\/*`) keep getting JSON.
 */
export function prefersHtml(header: string | null): boolean {
  const ranges = parseAccept(header);
  return quality(ranges, "text/html") > quality(ranges, "application/json");
}
