/**
 * The test-set confusion matrix as a coloured 2×2 grid (positive class = Fail, `Response` 1).
 * Rows are the actual class, columns the prediction; correct cells are green, errors red, and
 * the shade grows with the cell's share of its row. Pure, so it renders on the server too.
 *
 * @example
 * ```tsx
 * <ConfusionMatrix matrix={{ true_positives: 4, false_positives: 3, true_negatives: 556,
 *   false_negatives: 19 }} />
 * ```
 *
 * @module
 */
import { fmtInt, fmtPct } from "../lib/ui/format.ts";

/** The contract's confusion matrix. */
export interface ConfusionCounts {
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
}

/** Props of `ConfusionMatrix`. */
export interface ConfusionMatrixProps {
  matrix: ConfusionCounts;
  caption?: string;
}

function cell(n: number, rowTotal: number, correct: boolean, name: string) {
  const share = rowTotal > 0 ? n / rowTotal : 0;
  // Shade 0.08..0.5 by the share of the actual class, so a tiny fail class still shows; the
  // text stays dark, and the darkest shade keeps it above 4.5:1 (WCAG AA).
  const alpha = 0.08 + 0.42 * share;
  const rgb = correct ? "22, 163, 74" : "220, 38, 38";
  return (
    <td
      class={`qc-cm-cell ${correct ? "qc-cm-ok" : "qc-cm-err"}`}
      style={{ backgroundColor: `rgba(${rgb}, ${alpha.toFixed(3)})` }}
      data-cell={name}
    >
      <span class="qc-cm-count">{fmtInt(n)}</span>
      <span class="qc-cm-share">{fmtPct(share, 1)} of row</span>
      <span class="qc-cm-name">{name}</span>
    </td>
  );
}

/** A cell's count, whether the prediction was right, and its name. */
type Cell = [n: number, correct: boolean, name: string];

/** The row of one actual class: predicted Fail, predicted Pass, total. */
function row(actual: string, fail: Cell, pass: Cell) {
  const total = fail[0] + pass[0];
  return (
    <tr>
      <th scope="row">{actual}</th>
      {cell(fail[0], total, fail[1], fail[2])}
      {cell(pass[0], total, pass[1], pass[2])}
      <td class="qc-cm-total">{fmtInt(total)}</td>
    </tr>
  );
}

/** The grid, with row totals and the overall count. */
export function ConfusionMatrix(
  { matrix, caption = "Confusion matrix (test set)" }: ConfusionMatrixProps,
) {
  const { true_positives: tp, false_positives: fp, true_negatives: tn, false_negatives: fn } =
    matrix;
  return (
    <table class="qc-cm">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" class="qc-cm-corner">Actual ↓ / Predicted →</th>
          <th scope="col">Fail</th>
          <th scope="col">Pass</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {row("Fail", [tp, true, "True positives"], [fn, false, "False negatives"])}
        {row("Pass", [fp, false, "False positives"], [tn, true, "True negatives"])}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td class="qc-cm-total">{fmtInt(tp + fp)}</td>
          <td class="qc-cm-total">{fmtInt(tn + fn)}</td>
          <td class="qc-cm-total">{fmtInt(tp + fp + tn + fn)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export default ConfusionMatrix;
