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

// The bar and line charts' controllers and elements, then the scales and plugins they use.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, Filler);
Chart.register(CategoryScale, LinearScale, Legend, Tooltip);
// Match the admin stylesheet's font; no animations (live charts update every packet).
Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = "#475569";
Chart.defaults.animation = false;

export { Chart };
