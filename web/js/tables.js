// tables.js: the operator, province, overdue, at-risk/cannot-be-met and to-do tables from
// /api/progress, and the village panel from /api/villages/{id}. Every word from i18n.js.
import { el, fill, table } from './dom.js';
import { count, day, decimal, percent, t, target } from './i18n.js';
import { STATUS_COLORS, statusLabel } from './map.js';

const verdictOf = (m) => (m.met === true ? 'met' : m.met === false ? 'missed' : 'upcoming');
const badge = (m) => el('span', { class: `badge ${verdictOf(m)}`, title: t('web.achieved', { percent: percent(m.achieved) }) },
  t('web.badge', { date: day(m.date), target: target(m.target), verdict: t(`verdict.${verdictOf(m)}`) }));
const status = (s) => el('span', { class: 'status' },
  el('span', { class: 'swatch', style: `background:${STATUS_COLORS[s] || STATUS_COLORS.none}` }), statusLabel(s));
const reasons = (list) => (list || []).map((r) => t(`reason.${r}`)).join(', ');
const counts = () => [
  { title: t('web.col.covered'), value: (r) => r.covered, num: true },
  { title: t('web.col.late'), value: (r) => r.covered_late, num: true },
  { title: t('web.col.overdue'), value: (r) => r.overdue, num: true },
  { title: t('web.col.pending'), value: (r) => r.pending, num: true },
  { title: t('web.col.total'), value: (r) => r.total, num: true },
  { title: t('web.col.done'), value: (r) => percent(r.fraction), num: true },
];

/** A section's summary gets its row count; short lists open, long ones stay folded. */
function section(id, rows) {
  const details = document.getElementById(id);
  const summary = details.querySelector('summary');
  fill(summary, `${t(summary.dataset.titleKey)} (${rows.length})`);
  if (!details.dataset.ready) {
    details.dataset.ready = 'true'; // later dates keep what the reader opened or folded
    details.open = rows.length > 0 && rows.length <= 25;
  }
}

export function renderTables(progress, onVillage) {
  const villageLink = (r) => el('a', { href: '#', class: 'village-link', dataset: { village: r.village_id },
    onclick: (e) => { e.preventDefault(); onVillage(r.village_id); } }, r.village);
  fill('operators-table', table([
    { title: t('web.col.operator'), value: (r) => `${r.operator} — ${r.name}` }, ...counts(),
    { title: t('web.col.at_risk'), value: (r) => r.at_risk, num: true },
    { title: t('web.col.milestones'), value: (r) => el('span', {}, r.milestones.map(badge)) },
  ], progress.operators));
  fill('provinces-table', table([
    { title: t('web.col.province'), value: (r) => r.province || t('province.none') }, ...counts(),
    { title: t('web.col.at_risk'), value: (r) => r.at_risk, num: true },
    { title: t('web.col.todo'), value: (r) => (r.todo || []).length, num: true },
  ], progress.provinces, { limit: 100 }));
  const place = (r) => [r.province, r.district, r.commune].filter(Boolean).join(' · ');
  fill('overdue-table', table([
    { title: t('web.col.village'), value: villageLink }, { title: t('web.col.place'), value: place },
    { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.deadline'), value: (r) => day(r.deadline) },
    { title: t('web.col.days_late'), value: (r) => r.days_late, num: true },
    { title: t('web.col.coverage'), value: (r) => percent(r.coverage), num: true },
  ], progress.overdue, { empty: t('web.empty.overdue', { date: day(progress.as_of) }) }));
  fill('cannot-table', table([
    { title: t('web.col.village'), value: villageLink }, { title: t('web.col.place'), value: place },
    { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.deadline'), value: (r) => day(r.deadline) },
    { title: t('web.col.status'), value: (r) => status(r.status) },
    { title: t('web.col.best'), value: (r) => percent(r.potential_coverage), num: true },
  ], progress.cannot_be_met, { empty: t('web.empty.cannot') }));
  fill('at-risk-table', table([
    { title: t('web.col.village'), value: villageLink }, { title: t('web.col.place'), value: place },
    { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.deadline'), value: (r) => day(r.deadline) },
    { title: t('web.col.expected'), value: (r) => day(r.expected_covered_on) },
    { title: t('web.col.delay_days'), value: (r) => r.expected_delay_days, num: true },
    { title: t('web.col.reasons'), value: (r) => reasons(r.delay_reasons) },
  ], progress.at_risk || [], { empty: t('web.empty.at_risk') }));
  const todo = (progress.provinces || []).flatMap((p) => (p.todo || []).map((item) => ({ ...item, province: p.province })));
  fill('todo-table', table([
    { title: t('web.col.province'), value: (r) => r.province }, { title: t('web.col.village'), value: villageLink },
    { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.reason'), value: (r) => t(`reason.${r.reason}`) },
    { title: t('web.col.note'), value: (r) => r.note }, { title: t('web.col.state'), value: (r) => t(`late.state.${r.state}`) },
    { title: t('web.col.days'), value: (r) => r.days, num: true },
  ], todo, { empty: t('web.empty.todo') }));
  section('sec-overdue', progress.overdue);
  section('sec-at-risk', progress.at_risk || []);
  section('sec-cannot', progress.cannot_be_met);
  section('sec-todo', todo);
}

const stationStatus = (s) => t(`web.station.${s}`);

/** The side panel for one village: place, commitments, coverage per operator, cells, history. */
export function renderVillage(doc, onClose) {
  const v = doc.village;
  const panel = fill('village-panel',
    el('button', { class: 'close', type: 'button', 'aria-label': t('web.panel.close'), onclick: onClose }, '×'),
    el('h2', { id: 'village-name' }, v.name),
    el('p', { class: 'meta' }, `${v.village_id} · ${[v.commune, v.district, v.province].filter(Boolean).join(', ')}`),
    el('p', { class: 'meta' }, [
      v.population != null ? t('web.panel.population', { count: count(Math.round(v.population)) }) : '',
      v.households != null ? t('web.panel.households', { count: count(v.households) }) : '',
      t('web.panel.area', { area: decimal(v.area_km2, 3), percent: percent(v.coverage_any), gap: decimal(v.gap_km2, 3) }),
    ].join('')),
    el('h3', {}, t('web.panel.commitments', { date: day(doc.as_of) })),
    table([
      { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.deadline'), value: (r) => day(r.deadline) },
      { title: t('web.col.status'), value: (r) => status(r.status) },
      { title: t('web.col.coverage'), value: (r) => percent(r.coverage), num: true },
      { title: t('web.col.covered_on'), value: (r) => day(r.covered_on) },
      { title: t('web.col.days_late'), value: (r) => r.days_late, num: true },
      { title: t('web.col.notes'), value: (r) => [r.cannot_be_met ? t('web.panel.cannot') : '',
        r.at_risk ? t('web.panel.at_risk', { date: day(r.expected_covered_on) }) : '',
        (r.delay_reasons || []).length ? t('web.panel.delay', { reasons: reasons(r.delay_reasons) }) : ''].filter(Boolean).join('; ') },
    ], doc.commitments, { empty: t('web.panel.no_commitment') }),
    el('h3', {}, t('web.panel.coverage')),
    table([
      { title: t('web.col.operator'), value: (r) => r.operator },
      { title: t('web.col.now'), value: (r) => percent(r.fraction), num: true },
      { title: t('web.col.with_planned'), value: (r) => percent(r.potential_fraction), num: true },
      { title: t('web.col.periods'), value: (r) => r.covered_periods.map((p) => `${day(p.from)} → ${p.to ? day(p.to) : t('web.panel.now')}`).join(', ') },
    ], doc.coverage, { empty: t('web.panel.no_operator') }),
    el('h3', {}, t('web.panel.cells')),
    table([
      { title: t('web.col.operator'), value: (r) => r.operator }, { title: t('web.col.site_cell'), value: (r) => `${r.site_id}${r.cell_id ? '/' + r.cell_id : ''}` },
      { title: t('web.col.tech'), value: (r) => r.tech },
      { title: t('web.col.status'), value: (r) => (r.in_service ? t('web.panel.in_service') : stationStatus(r.status)) },
      { title: t('web.col.on_air'), value: (r) => day(r.on_air_date) },
      { title: t('web.col.delay'), value: (r) => (r.delay_reason ? `${t(`reason.${r.delay_reason}`)}${r.expected_on_air_date ? t('web.panel.expected', { date: day(r.expected_on_air_date) }) : ''}` : '') },
    ], doc.cells, { empty: t('web.panel.no_cell') }),
    el('h3', {}, t('web.panel.history')),
    table([
      { title: t('web.col.date'), value: (r) => day(r.date) },
      { title: t('web.col.status'), value: (r) => el('span', {}, r.commitments.map((c) => el('span', { class: 'hist' }, `${c.operator}: `, status(c.status)))) },
    ], doc.history, { empty: t('web.panel.no_history') }));
  panel.hidden = false;
  panel.dataset.village = v.village_id;
  return panel;
}
