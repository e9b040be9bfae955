/**
 * `POST /process/split-data` — cut the active dataset into train / test / simulation sets by
 * inclusive UTC date windows (CONTRACT.md §2). 422 (FastAPI shape) for a missing or invalid
 * date, a window whose start is after its end, or overlapping windows; 404 without a dataset or
 * feature list; 409 while the newest upload is still being processed (body has its `state` and
 * `task_id`).
 *
 * @module
 */
import { define } from "../../utils.ts";
import { parseContractDateTime } from "../../lib/api/contract.ts";
import { SplitRequestSchema } from "../../lib/api/requests.ts";
import { parseJsonBody, RequestValidationError } from "../../lib/api/validation.ts";
import {
  createSplit,
  SET_NAMES,
  type SetName,
  SplitError,
  type TimeWindow,
} from "../../lib/pipeline/split/mod.ts";
import { checkWindows } from "../../lib/pipeline/split/windows.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const body = await parseJsonBody(ctx.req, SplitRequestSchema);
    const windows = {} as Record<SetName, TimeWindow>;
    for (const name of SET_NAMES) {
      windows[name] = {
        start_ms: parseContractDateTime(body[`${name}_start_date`])!,
        end_ms: parseContractDateTime(body[`${name}_end_date`])!,
      };
    }
    const issues = checkWindows(windows);
    if (issues.length) {
      throw new RequestValidationError(
        issues.map((i) => ({
          loc: ["body", i.field],
          msg: `Value error, ${i.message}`,
          type: "value_error",
        })),
      );
    }
    try {
      const { response } = await createSplit(ctx.state.services, windows);
      return Response.json(response);
    } catch (err) {
      if (err instanceof SplitError) return Response.json(err.body(), { status: err.status });
      throw err;
    }
  },
});
