/**
 * Chart.js with only the parts the admin charts use (bar and line charts, category and linear
 * scales, tooltip, legend), registered once. Islands load this module with a dynamic
 * `import()` from an effect, so esbuild puts Chart.js in its own chunk that the server never
 * loads and the browser fetches only on pages that draw a chart.
 *
 * @module
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
// Match the admin stylesheet's font; no animations (live charts update every packet).
Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = "#475569";
Chart.defaults.animation = false;

export { Chart };
