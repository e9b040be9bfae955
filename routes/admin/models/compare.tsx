/**
 * `/admin/models/compare?a=<id>&b=<id>` — two trained models side by side, server-rendered:
 * QC figures and metrics with the difference B − A, both confusion matrices, the learning
 * curves overlaid, and both feature importances. A GET form picks the models; unknown ids are
 * named on the page (never a 500). Reached from the models table's "Compare" links.
 *
 * @module
 */
import { define } from "../../../utils.ts";
import { Layout } from "../../../components/Layout.tsx";
import { Card } from "../../../components/Card.tsx";
import { Alert } from "../../../components/Notice.tsx";
import { ConfusionMatrix } from "../../../components/ConfusionMatrix.tsx";
import { FeatureBars } from "../../../components/FeatureBars.tsx";
import { CurveCompare } from "../../../components/CurveCompare.tsx";
import { page } from "fresh";
import { NO_STORE, settle } from "../../../lib/ui/settle.ts";
import { choiceLabel, compareRows, loadComparePage } from "../../../lib/ui/model_compare.ts";
import { shortId } from "../../../lib/ui/format.ts";

export const handler = define.handlers({
  async GET(ctx) {
    return page(
      await settle(() => loadComparePage(ctx.state.services, ctx.url.searchParams)),
      NO_STORE,
    );
  },
});

export default define.page<typeof handler>(function ComparePage({ data: result, config }) {
  const base = config.basePath;
  const data = result.data;
  const a = data?.a ?? null, b = data?.b ?? null;
  const la = `A ${shortId(data?.aId)}`, lb = `B ${shortId(data?.bId)}`;
  return (
    <Layout
      title="Compare models"
      current="/admin/training"
      basePath={base}
      loadError={result.error}
      subtitle="Two trained models side by side on their test sets."
    >
      <Card heading="Models" headingId="compare-pick">
        <form method="get" class="qc-form-row">
          {(["a", "b"] as const).map((side) => (
            <label key={side}>
              Model {side.toUpperCase()}{" "}
              <select name={side}>
                <option value="">—</option>
                {(data?.choices ?? []).map((c) => (
                  <option
                    key={c.id}
                    value={c.id}
                    selected={c.id === (side === "a" ? data?.aId : data?.bId)}
                  >
                    {choiceLabel(c)}
                  </option>
                ))}
              </select>
            </label>
          ))} <button type="submit" class="qc-button">Compare</button>
        </form>
        {data?.unknown.map((id) => <Alert key={id} kind="warning">Unknown model: {id}</Alert>)}
        {data && (!a || !b) && data.unknown.length === 0 && (
          <p class="qc-muted">Pick two models to compare.</p>
        )}
      </Card>
      {a && b && (
        <>
          <Card heading="Figures (test set)" headingId="compare-metrics">
            <table class="qc-table" data-compare-metrics>
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  <th scope="col" class="qc-num">{la}</th>
                  <th scope="col" class="qc-num">{lb}</th>
                  <th scope="col" class="qc-num">B − A</th>
                </tr>
              </thead>
              <tbody>
                {compareRows(a, b).map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td class="qc-num">{r.better === "a" ? <strong>{r.a}</strong> : r.a}</td>
                    <td class="qc-num">{r.better === "b" ? <strong>{r.b}</strong> : r.b}</td>
                    <td class="qc-num">{r.delta}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="qc-muted qc-small">The better value of each ordered figure is in bold.</p>
          </Card>
          <Card heading="Confusion matrices" headingId="compare-cm">
            <div class="qc-two">
              <ConfusionMatrix matrix={a.confusion} caption={`${la}, at its threshold`} />
              <ConfusionMatrix matrix={b.confusion} caption={`${lb}, at its threshold`} />
            </div>
          </Card>
          <Card heading="Learning curves" headingId="compare-curves">
            <div class="qc-two">
              <CurveCompare
                title="Validation log loss"
                a={a.curves?.validation_loss ?? a.curves?.train_loss}
                b={b.curves?.validation_loss ?? b.curves?.train_loss}
                labels={[la, lb]}
              />
              <CurveCompare
                title="Validation accuracy"
                a={a.curves?.validation_accuracy ?? a.curves?.train_accuracy}
                b={b.curves?.validation_accuracy ?? b.curves?.train_accuracy}
                labels={[la, lb]}
              />
            </div>
          </Card>
          <Card heading="Feature importance" headingId="compare-importance">
            <div class="qc-two">
              <FeatureBars features={a.importance} limit={15} caption={`${la} (gain, top 15)`} />
              <FeatureBars features={b.importance} limit={15} caption={`${lb} (gain, top 15)`} />
            </div>
          </Card>
        </>
      )}
    </Layout>
  );
});
