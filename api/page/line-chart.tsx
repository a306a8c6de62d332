/**
 * A uPlot line chart in a Preact component: the series are redrawn in place when the data change
 * (the live progress chart gets a point several times a second). The canvas is an image to a
 * screen reader, labelled by `summary`; every chart also has its figures as text beside it.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface LineSeries {
  label: string;
  colour: string;
  values: (number | null)[];
  dash?: number[];
}

export interface LineChartProps {
  summary: string;
  xLabel: string;
  x: number[];
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Pointer click on the plot: the index of the nearest x. */
  onPick?: (index: number) => void;
  /** Show points, not only lines (few x values). */
  points?: boolean;
}

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  const shape = `${props.series.map((s) => s.label).join("|")}:${props.width ?? 560}x${props.height ?? 220}:${props.xLabel}`;

  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const options: uPlot.Options = {
      width: props.width ?? 560,
      height: props.height ?? 220,
      scales: { x: { time: false } },
      axes: [{ label: props.xLabel }, { size: 96 }],
      series: [{ label: props.xLabel }, ...props.series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, dash: s.dash, points: { show: props.points === true } }))],
      hooks: {
        ready: [
          (u: uPlot) => {
            u.over.addEventListener("click", () => {
              const index = u.cursor.idx;
              if (index !== null && index !== undefined) pick.current?.(index);
            });
          },
        ],
      },
    };
    chart.current = new uPlot(options, [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, element);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // Rebuilt only when the chart's shape changes; data changes go through setData below.
  }, [shape]);

  useEffect(() => {
    chart.current?.setData([props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData);
  });

  return <div class="chart" role="img" aria-label={props.summary} ref={box} />;
}
