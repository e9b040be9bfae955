import type { PageProps } from "fresh";
import type { TestState } from "../../state.ts";

export default function AdminHome({ state }: PageProps<unknown, TestState>) {
  return <p>Admin {state.trace.join(">")}</p>;
}
