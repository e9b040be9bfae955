/**
 * Gradients of the logistic loss (`binary:logistic`) at the current margins, for a range of
 * rows: the one kernel the booster runs serially and the parallel histogram helpers run on
 * their share of rows (the same arithmetic per row, so the results are bit-identical).
 *
 * @example
 * ```ts
 * const gh = new Float32Array(2 * n);
 * logisticGradients(margin, labels, undefined, 1, gh, 0, n); // gh = [g0, h0, g1, h1, …]
 * ```
 * @module
 */

/**
 * gh[2i] = (p − y)·w, gh[2i+1] = max(p(1 − p), 1e-16)·w with p = sigmoid(margin[i]) and
 * w = weight (1 without weights) × `scalePosWeight` for positives, for rows [start, end).
 */
export function logisticGradients(
  margin: Float32Array,
  labels: Uint8Array,
  weights: Float32Array | undefined,
  scalePosWeight: number,
  gh: Float32Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const pr = 1 / (1 + Math.exp(-margin[i]));
    const y = labels[i];
    let w = weights ? weights[i] : 1;
    if (y === 1) w *= scalePosWeight;
    gh[2 * i] = (pr - y) * w;
    gh[2 * i + 1] = Math.max(pr * (1 - pr), 1e-16) * w;
  }
}
