/**
 * The points of a sparkline's polyline in a `width`×`height` box, `pad` pixels in from top and
 * bottom: the first value at the left edge, the last at the right, zero at the bottom and the
 * largest value at the top. One value is drawn as a flat line across; none as nothing.
 */
export function sparkPoints(values: readonly number[], width: number, height: number, pad: number): string {
  if (!values.length) return '';
  const top = Math.max(...values, 0);
  const y = (v: number): number => (top > 0 ? height - pad - (Math.max(v, 0) / top) * (height - 2 * pad) : height - pad);
  const round = (n: number): number => Math.round(n * 10) / 10;
  if (values.length === 1) return `0,${round(y(values[0] ?? 0))} ${width},${round(y(values[0] ?? 0))}`;
  const step = width / (values.length - 1);
  return values.map((v, k) => `${round(k * step)},${round(y(v))}`).join(' ');
}
