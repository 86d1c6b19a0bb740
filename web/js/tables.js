// tables.js: the operator, province, overdue, at-risk/cannot-be-met and to-do tables from
// /api/progress, and the village panel from /api/villages/{id}.
import { el, fill, percent, table } from './dom.js';
import { STATUS_COLORS, STATUS_LABELS } from './map.js';

const badge = (m) => {
  const verdict = m.met === true ? 'met' : m.met === false ? 'missed' : 'upcoming';
  return el('span', { class: `badge ${verdict}`, title: `achieved ${percent(m.achieved)}` },
    `${m.date}: ${Math.round(m.target * 100)} % ${verdict}`);
};
const status = (s) => el('span', { class: 'status' },
  el('span', { class: 'swatch', style: `background:${STATUS_COLORS[s] || STATUS_COLORS.none}` }), STATUS_LABELS[s] || s);
const counts = [
  { title: 'covered', value: (r) => r.covered, num: true },
  { title: 'late', value: (r) => r.covered_late, num: true },
  { title: 'overdue', value: (r) => r.overdue, num: true },
  { title: 'pending', value: (r) => r.pending, num: true },
  { title: 'total', value: (r) => r.total, num: true },
  { title: 'done', value: (r) => percent(r.fraction), num: true },
];

/** A section's summary gets its row count; short lists open, long ones stay folded. */
function section(id, rows) {
  const details = document.getElementById(id);
  const summary = details.querySelector('summary');
  summary.dataset.title ??= summary.textContent;
  fill(summary, `${summary.dataset.title} (${rows.length})`);
  if (!details.dataset.ready) {
    details.dataset.ready = 'true'; // later dates keep what the reader opened or folded
    details.open = rows.length > 0 && rows.length <= 25;
  }
}

export function renderTables(progress, onVillage) {
  const villageLink = (r) => el('a', { href: '#', class: 'village-link', dataset: { village: r.village_id },
    onclick: (e) => { e.preventDefault(); onVillage(r.village_id); } }, r.village);
  fill('operators-table', table([
    { title: 'operator', value: (r) => `${r.operator} — ${r.name}` }, ...counts,
    { title: 'at risk', value: (r) => r.at_risk, num: true },
    { title: 'milestones', value: (r) => el('span', {}, r.milestones.map(badge)) },
  ], progress.operators));
  fill('provinces-table', table([
    { title: 'province', value: (r) => r.province || '(no province)' }, ...counts,
    { title: 'at risk', value: (r) => r.at_risk, num: true },
    { title: 'to-do', value: (r) => (r.todo || []).length, num: true },
  ], progress.provinces, { limit: 100 }));
  const place = (r) => [r.province, r.district, r.commune].filter(Boolean).join(' · ');
  fill('overdue-table', table([
    { title: 'village', value: villageLink }, { title: 'place', value: place },
    { title: 'operator', value: (r) => r.operator }, { title: 'deadline', value: (r) => r.deadline },
    { title: 'days late', value: (r) => r.days_late, num: true },
    { title: 'coverage', value: (r) => percent(r.coverage), num: true },
  ], progress.overdue, { empty: `No commitment is overdue on ${progress.as_of}.` }));
  fill('cannot-table', table([
    { title: 'village', value: villageLink }, { title: 'place', value: place },
    { title: 'operator', value: (r) => r.operator }, { title: 'deadline', value: (r) => r.deadline },
    { title: 'status', value: (r) => status(r.status) },
    { title: 'best possible coverage', value: (r) => percent(r.potential_coverage), num: true },
  ], progress.cannot_be_met, { empty: 'Every commitment can be met with the cells listed.' }));
  fill('at-risk-table', table([
    { title: 'village', value: villageLink }, { title: 'place', value: place },
    { title: 'operator', value: (r) => r.operator }, { title: 'deadline', value: (r) => r.deadline },
    { title: 'expected', value: (r) => r.expected_covered_on },
    { title: 'delay (days)', value: (r) => r.expected_delay_days, num: true },
    { title: 'reasons', value: (r) => (r.delay_reasons || []).join(', ') },
  ], progress.at_risk || [], { empty: 'No pending commitment is expected after its deadline.' }));
  const todo = (progress.provinces || []).flatMap((p) => (p.todo || []).map((t) => ({ ...t, province: p.province })));
  fill('todo-table', table([
    { title: 'province', value: (r) => r.province }, { title: 'village', value: villageLink },
    { title: 'operator', value: (r) => r.operator }, { title: 'reason', value: (r) => r.reason },
    { title: 'note', value: (r) => r.note }, { title: 'state', value: (r) => r.state.replace('_', ' ') },
    { title: 'days', value: (r) => r.days, num: true },
  ], todo, { empty: 'Nothing for the provincial departments to unblock.' }));
  section('sec-overdue', progress.overdue);
  section('sec-at-risk', progress.at_risk || []);
  section('sec-cannot', progress.cannot_be_met);
  section('sec-todo', todo);
}

/** The side panel for one village: place, commitments, coverage per operator, cells, history. */
export function renderVillage(doc, onClose) {
  const v = doc.village;
  const panel = fill('village-panel',
    el('button', { class: 'close', type: 'button', 'aria-label': 'Close the village panel', onclick: onClose }, '×'),
    el('h2', { id: 'village-name' }, v.name),
    el('p', { class: 'meta' }, `${v.village_id} · ${[v.commune, v.district, v.province].filter(Boolean).join(', ')}`),
    el('p', { class: 'meta' }, [
      v.population != null ? `population ${Math.round(v.population).toLocaleString('en')} · ` : '',
      v.households != null ? `${v.households.toLocaleString('en')} households · ` : '',
      `area ${v.area_km2.toFixed(3)} km² · covered by any operator ${percent(v.coverage_any)} · gap ${v.gap_km2.toFixed(3)} km²`,
    ].join('')),
    el('h3', {}, `Commitments as of ${doc.as_of}`),
    table([
      { title: 'operator', value: (r) => r.operator }, { title: 'deadline', value: (r) => r.deadline },
      { title: 'status', value: (r) => status(r.status) },
      { title: 'coverage', value: (r) => percent(r.coverage), num: true },
      { title: 'covered on', value: (r) => r.covered_on }, { title: 'days late', value: (r) => r.days_late, num: true },
      { title: 'notes', value: (r) => [r.cannot_be_met ? 'cannot be met with the listed cells' : '',
        r.at_risk ? `at risk: expected ${r.expected_covered_on}` : '',
        (r.delay_reasons || []).length ? `delay: ${r.delay_reasons.join(', ')}` : ''].filter(Boolean).join('; ') },
    ], doc.commitments, { empty: 'No commitment.' }),
    el('h3', {}, 'Coverage per operator'),
    table([
      { title: 'operator', value: (r) => r.operator },
      { title: 'now', value: (r) => percent(r.fraction), num: true },
      { title: 'with planned cells', value: (r) => percent(r.potential_fraction), num: true },
      { title: 'covered periods', value: (r) => r.covered_periods.map((p) => `${p.from} → ${p.to || 'now'}`).join(', ') },
    ], doc.coverage, { empty: 'No operator reaches this village.' }),
    el('h3', {}, 'Cells reaching the village'),
    table([
      { title: 'operator', value: (r) => r.operator }, { title: 'site/cell', value: (r) => `${r.site_id}${r.cell_id ? '/' + r.cell_id : ''}` },
      { title: 'tech', value: (r) => r.tech }, { title: 'status', value: (r) => (r.in_service ? 'in service' : r.status) },
      { title: 'on air', value: (r) => r.on_air_date },
      { title: 'delay', value: (r) => (r.delay_reason ? `${r.delay_reason}${r.expected_on_air_date ? ', expected ' + r.expected_on_air_date : ''}` : '') },
    ], doc.cells, { empty: 'No cell reaches this village.' }),
    el('h3', {}, 'History'),
    table([
      { title: 'date', value: (r) => r.date },
      { title: 'status', value: (r) => el('span', {}, r.commitments.map((c) => el('span', { class: 'hist' }, `${c.operator}: `, status(c.status)))) },
    ], doc.history, { empty: 'No history.' }));
  panel.hidden = false;
  panel.dataset.village = v.village_id;
  return panel;
}
