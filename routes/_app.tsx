/**
 * The HTML shell of every page: head (stylesheet, base path for `asset()`), body.
 *
 * @module
 */
import type { PageProps } from "fresh";

/** Stylesheets by concern, in cascade order (linked in parallel, not chained with `@import`). */
const STYLESHEETS = ["base", "panels", "controls", "pages"];

const TITLES: Record<string, string> = {
  "/admin": "Dashboard",
  "/admin/datasets": "Datasets",
  "/admin/training": "Training",
  "/admin/simulation": "Simulation",
};

export default function App({ Component, url, config }: PageProps) {
  const base = config.basePath;
  const path = url.pathname.slice(base.length).replace(/\/+$/, "") || "/";
  const section = TITLES[path] ??
    TITLES[Object.keys(TITLES).find((p) => p !== "/admin" && path.startsWith(p + "/")) ?? ""];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="fresh-base-path" content={base} />
        <title>{section ? `${section} · QC ML Service` : "QC ML Service"}</title>
        <link rel="icon" href="data:," />
        {STYLESHEETS.map((name) => (
          <link key={name} rel="stylesheet" href={`${base}/css/${name}.css`} />
        ))}
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
