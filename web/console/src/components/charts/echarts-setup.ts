import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the dashboard draws is registered, so that the bundle leaves the rest of ECharts out.
// SVG keeps the text of axes and labels in the page, where tests and screen magnifiers find it.
use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, SVGRenderer]);

/** The option of any chart the console draws: the registered series and components only. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption>;
