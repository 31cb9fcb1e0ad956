import type { Component } from 'vue';

interface DashboardCharts {
  readonly BarChart: Component;
  readonly DonutChart: Component;
  readonly LineChart: Component;
}

let loading: Promise<DashboardCharts> | undefined;

/**
 * The dashboard's charts (and ECharts with them), fetched once: by the router as it opens 监督, so
 * that they arrive with the screen's own code, and by the screen, which then finds them loaded.
 */
export function loadDashboardCharts(): Promise<DashboardCharts> {
  loading ??= Promise.all([import('./BarChart.vue'), import('./DonutChart.vue'), import('./LineChart.vue')]).then(
    ([bar, donut, line]) => ({ BarChart: bar.default, DonutChart: donut.default, LineChart: line.default }),
  );
  // A failed fetch (a network blip) is tried again by the next caller rather than remembered.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
