/**
 * Moved to `lib/tasks/task_view.ts`. This re-export only keeps `lib/ui/admin_data.ts` (another
 * branch's file) compiling until that branch is merged; delete it then.
 *
 * @module
 */
export { type ContractStatus, contractStatus, taskView } from "../tasks/task_view.ts";
