/**
 * Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (never a
 * downloaded browser build), with the flags this machine's closed network needs.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether Chromium is installed; when it is not, logs why the calling test is skipped.
 * Use as `ignore: !chromiumAvailable("my_test")`.
 */
export function chromiumAvailable(testName: string): boolean {
  try {
    if (Deno.statSync(CHROMIUM).isFile) return true;
  } catch {
    // absent: fall through
  }
  console.warn(`${testName}: ${CHROMIUM} not found — skipping (apt-get install chromium).`);
  return false;
}

/** Launch headless Chromium; without the networking flags it keeps dialling Google's hosts. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
