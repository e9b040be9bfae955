/**
 * Best split of a node from its histogram, with XGBoost's objective:
 *
 *   weight(G, H) = −T(G) / (H + λ),   score(G, H) = T(G)² / (H + λ),
 *   T(G) = sign(G)·max(|G| − α, 0)  (L1 soft-thresholding by reg_alpha)
 *   gain = score(G_L, H_L) + score(G_R, H_R) − score(G, H)
 *
 * (XGBoost reports this `loss_chg` without the ½ factor and without subtracting gamma; a split
 * is kept only if gain > 1e-6 and gain ≥ gamma, both children have H ≥ min_child_weight.)
 *
 * Missing values: for every feature the bins are scanned forward (left = value bins 0..k,
 * missing go right) and, when the node has missing values for that feature, backward (right =
 * value bins k..end, missing go left) — XGBoost's learned default direction. Ties keep the
 * first candidate found (lower feature index, forward before backward, lower threshold).
 *
 * @module
 */

/** Regularisation parameters of split finding. */
export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  gamma: number;
}

/** The best split found for a node (mutable, reused to avoid allocation). */
export class SplitInfo {
  gain = 0;
  feature = -1;
  /** Value bins 0..bin go left on non-missing values; -1 = none (only missing go left). */
  bin = -1;
  defaultLeft = false;
  gl = 0;
  hl = 0;
  gr = 0;
  hr = 0;
  reset(): void {
    this.gain = 0;
    this.feature = -1;
    this.bin = -1;
    this.defaultLeft = false;
    this.gl =
      this.hl =
      this.gr =
      this.hr =
        0;
  }
}

/** L1 soft-threshold of a gradient sum. */
export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** XGBoost's CalcGain: T(G)²/(H+λ), 0 when H < min_child_weight. */
export function nodeScore(g: number, h: number, p: SplitParams): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/** XGBoost's CalcWeight: −T(G)/(H+λ), 0 when H < min_child_weight (eta not applied). */
export function leafWeight(g: number, h: number, p: SplitParams): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  return 0 - thresholdL1(g, p.alpha) / (h + p.lambda); // 0 − x avoids −0
}

/**
 * Scans all (allowed) features of a node's histogram and leaves the best split in `best`
 * (best.feature = -1 when nothing beats a gain of 0). G/H are the node's totals.
 */
export function findBestSplit(
  hist: Float64Array,
  featBinStart: Int32Array,
  featureMask: Uint8Array | null,
  G: number,
  H: number,
  p: SplitParams,
  best: SplitInfo,
): void {
  best.reset();
  const nF = featBinStart.length - 1;
  const lambda = p.lambda, alpha = p.alpha, nAlpha = -p.alpha;
  const mcw = Math.max(p.minChildWeight, 0);
  // Gains are compared before subtracting the parent's score (a constant per node).
  const rootScore = nodeScore(G, H, p);
  let bestScore = rootScore;
  for (let f = 0; f < nF; f++) {
    if (featureMask !== null && featureMask[f] === 0) continue;
    const b0 = featBinStart[f], b1 = featBinStart[f + 1];
    if (b1 === b0) continue;
    // Forward: left = bins b0..i, missing → right.
    let gl = 0, hl = 0;
    for (let i = b0; i < b1; i++) {
      const hb = hist[2 * i + 1];
      if (hb === 0) continue; // empty bin: same partition as the previous candidate
      gl += hist[2 * i];
      hl += hb;
      const gr = G - gl, hr = H - hl;
      if (hl < mcw || hr < mcw || hl <= 0 || hr <= 0) continue;
      // s = tl²/(hl+λ) + tr²/(hr+λ) > best  ⇔  tl²(hr+λ) + tr²(hl+λ) > best·(hl+λ)(hr+λ):
      // one multiply-compare per candidate instead of two divisions.
      const tl = gl - Math.max(nAlpha, Math.min(alpha, gl)); // = thresholdL1, branch-free
      const tr = gr - Math.max(nAlpha, Math.min(alpha, gr));
      const dl = hl + lambda, dr = hr + lambda;
      const num = tl * tl * dr + tr * tr * dl;
      if (num > bestScore * (dl * dr)) {
        const s = (tl * tl) / dl + (tr * tr) / dr;
        if (!(s > bestScore)) continue;
        bestScore = s;
        best.feature = f;
        best.bin = i - b0;
        best.defaultLeft = false;
        best.gl = gl;
        best.hl = hl;
        best.gr = gr;
        best.hr = hr;
      }
    }
    // Missing rows exist for f iff the value bins don't add up to the node totals; with no
    // non-missing rows at all (common deep in sparse data) there is nothing to scan back.
    if ((gl === G && hl === H) || hl === 0) continue;
    // Backward: right = bins i..b1-1, missing → left; threshold = lower edge of bin i.
    let gr = 0, hr = 0;
    for (let i = b1 - 1; i >= b0; i--) {
      const hb = hist[2 * i + 1];
      if (hb === 0) continue;
      gr += hist[2 * i];
      hr += hb;
      const gl2 = G - gr, hl2 = H - hr;
      if (hl2 < mcw || hr < mcw || hl2 <= 0 || hr <= 0) continue;
      const tl = gl2 - Math.max(nAlpha, Math.min(alpha, gl2));
      const tr = gr - Math.max(nAlpha, Math.min(alpha, gr));
      const dl = hl2 + lambda, dr = hr + lambda;
      const num = tl * tl * dr + tr * tr * dl;
      if (num > bestScore * (dl * dr)) {
        const s = (tl * tl) / dl + (tr * tr) / dr;
        if (!(s > bestScore)) continue;
        bestScore = s;
        best.feature = f;
        best.bin = i - b0 - 1;
        best.defaultLeft = true;
        best.gl = gl2;
        best.hl = hl2;
        best.gr = gr;
        best.hr = hr;
      }
    }
  }
  best.gain = best.feature >= 0 ? bestScore - rootScore : 0;
}

/** Whether a found split should be applied (XGBoost's ExpandEntry::IsValid, minus depth). */
export function isSplitValid(best: SplitInfo, p: SplitParams): boolean {
  return best.feature >= 0 && best.gain > 1e-6 && best.gain >= p.gamma && best.hl > 0 &&
    best.hr > 0;
}
