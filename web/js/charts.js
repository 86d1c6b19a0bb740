// charts.js: burn-up charts drawn as SVG by hand — commitments covered (cumulative, from
// progress.json's timeline) against each milestone's target, for all operators and each one.
import { el, svg } from './dom.js';
import { day as dayText, lang, t, target } from './i18n.js';

const DAY_MS = 86400000;
const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/**
 * One chart: `series` is [{date, value}] up to as_of, `total` the group's commitments,
 * `milestones` [{date, target, met}], x from `start` to `end` (ISO dates).
 */
export function burnup({ title, color, series, total, milestones, start, end, asOf }) {
  const width = 360, height = 210, left = 40, right = 12, top = 24, bottom = 30;
  const x0 = day(start), x1 = Math.max(day(end), x0 + 1);
  const yMax = Math.max(total, 1);
  const px = (iso) => left + ((day(iso) - x0) / (x1 - x0)) * (width - left - right);
  const py = (v) => top + (1 - v / yMax) * (height - top - bottom);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'burnup', role: 'img' });
  root.append(svg('title', {}, t('web.burnup.title', { name: title })));
  root.append(svg('rect', { x: left, y: top, width: width - left - right, height: height - top - bottom, class: 'plot' }));
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const y = py(f * yMax);
    root.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
    root.append(svg('text', { x: left - 4, y: y + 3, class: 'axis', 'text-anchor': 'end' }, `${Math.round(f * 100)}%`));
  }
  // Month ticks along the bottom.
  const first = new Date(x0 * DAY_MS);
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); m.getTime() / DAY_MS <= x1;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    const iso = m.toISOString().slice(0, 10);
    root.append(svg('line', { x1: px(iso), x2: px(iso), y1: height - bottom, y2: height - bottom + 4, class: 'tick' }));
    root.append(svg('text', { x: px(iso), y: height - bottom + 15, class: 'axis', 'text-anchor': 'middle' },
      m.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en', { month: 'short', timeZone: 'UTC' })));
  }
  for (const m of milestones) {
    const x = px(m.date), y = py(m.target * total);
    const verdict = m.met === true ? 'met' : m.met === false ? 'missed' : 'upcoming';
    root.append(svg('line', { x1: x, x2: x, y1: top, y2: height - bottom, class: 'milestone' }));
    root.append(svg('circle', { cx: x, cy: y, r: 4.5, class: `target ${verdict}` },
      svg('title', {}, t('web.burnup.target', { date: dayText(m.date), target: target(m.target), verdict: t(`verdict.${verdict}`) }))));
    root.append(svg('text', { x: x - 3, y: y - 7, class: 'axis', 'text-anchor': 'end' }, `${Math.round(m.target * 100)}%`));
  }
  if (series.length) {
    const d = series.map((p, i) => `${i ? 'L' : 'M'}${px(p.date).toFixed(1)},${py(p.value).toFixed(1)}`).join('');
    root.append(svg('path', { d, class: 'series', stroke: color }));
  }
  const xa = px(asOf);
  root.append(svg('line', { x1: xa, x2: xa, y1: top, y2: height - bottom, class: 'asof' }));
  root.append(svg('text', { x: left, y: 14, class: 'chart-title' }, title));
  const last = series.length ? series[series.length - 1].value : 0;
  return el('figure', { class: 'chart' }, root,
    el('figcaption', {}, t('web.burnup.caption', { covered: last, total, date: dayText(asOf) })));
}

/** All charts for a progress document: overall first, then each operator. */
export function burnups(progress, end) {
  const points = progress.timeline?.points || [];
  const start = progress.campaign.start_date || points[0]?.date || progress.as_of;
  const color = (code) => progress.campaign.operators.find((o) => o.code === code)?.color || '#555';
  const charts = [burnup({
    title: t('all_operators'), color: '#333', series: points.map((p) => ({ date: p.date, value: p.all })),
    total: progress.overall.total, milestones: progress.overall.milestones, start, end, asOf: progress.as_of,
  })];
  for (const op of progress.operators) {
    charts.push(burnup({
      title: `${op.operator} — ${op.name}`, color: color(op.operator),
      series: points.map((p) => ({ date: p.date, value: p[op.operator] ?? 0 })),
      total: op.total, milestones: op.milestones, start, end, asOf: progress.as_of,
    }));
  }
  return charts;
}
