/**
 * The admin pages' frame: header with the service name, the section navigation and the page
 * title. Pages render their content as children.
 *
 * @example
 * ```tsx
 * <Layout title="Training" current="/admin/training">…</Layout>
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { Alert } from "./Notice.tsx";

/** Navigation entries (path, label). */
export const NAV: readonly { href: string; label: string }[] = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/datasets", label: "Datasets" },
  { href: "/admin/training", label: "Training" },
  { href: "/admin/simulation", label: "Simulation" },
  { href: "/docs", label: "API docs" },
];

export interface LayoutProps {
  /** Page heading. */
  title: string;
  /** Path of the current section (highlighted in the nav); defaults to none. */
  current?: string;
  /** Optional short text under the heading. */
  subtitle?: ComponentChildren;
  /** Optional controls shown right of the heading. */
  actions?: ComponentChildren;
  /** Why the page's data could not be loaded (shown above the content), if it could not. */
  loadError?: string | null;
  /** URL base path (when mounted under a prefix). */
  basePath?: string;
  children?: ComponentChildren;
}

export function Layout(
  { title, current, subtitle, actions, loadError, basePath = "", children }: LayoutProps,
) {
  return (
    <div class="qc-shell">
      <a class="qc-skip" href="#main">Skip to content</a>
      <header class="qc-header">
        <a class="qc-brand" href={`${basePath}/admin`}>
          <span class="qc-brand-mark" aria-hidden="true">QC</span>
          <span>ML Service</span>
        </a>
        <nav class="qc-nav" aria-label="Sections">
          {NAV.map((item) => (
            <a
              key={item.href}
              href={basePath + item.href}
              class={item.href === current ? "qc-nav-link qc-nav-active" : "qc-nav-link"}
              aria-current={item.href === current ? "page" : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <form class="qc-logout" method="post" action={`${basePath}/admin/logout`}>
          <button type="submit" class="qc-nav-link">Log out</button>
        </form>
      </header>
      <main class="qc-main" id="main" tabIndex={-1}>
        <div class="qc-page-head">
          <div>
            <h1 class="qc-title">{title}</h1>
            {subtitle && <p class="qc-subtitle">{subtitle}</p>}
          </div>
          {actions && <div class="qc-actions">{actions}</div>}
        </div>
        {loadError && <Alert kind="error" title="Some data could not be loaded">{loadError}</Alert>}
        {children}
      </main>
      <footer class="qc-footer">
        Manufacturing QC · <a href={`${basePath}/docs`}>API</a> ·{" "}
        <a href={`${basePath}/health`}>health</a>
      </footer>
    </div>
  );
}

export default Layout;
