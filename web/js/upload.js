// upload.js: the upload form an operator (or the department) sees. The file is POSTed as the
// request body; the answer is shown row by row — the store's own problem list (file, row,
// field, code, message), errors refusing the file whole, warnings not.
import { api, ApiError } from './api.js';
import { el, fill, table } from './dom.js';

const problemTable = (problems) => table([
  { title: 'severity', value: (p) => p.severity },
  { title: 'file', value: (p) => p.file },
  { title: 'row', value: (p) => p.row ?? (p.fid != null ? `FID ${p.fid}` : null), num: true },
  { title: 'field', value: (p) => p.field },
  { title: 'code', value: (p) => el('code', {}, p.code) },
  { title: 'message', value: (p) => p.message },
], problems, { limit: 1000 });

export function setupUpload(who, operators, onUploaded) {
  const section = document.getElementById('upload');
  const canUpload = who.role === 'operator' || who.role === 'department';
  section.hidden = !canUpload;
  if (!canUpload) return;
  const kinds = who.role === 'department' ? ['stations', 'villages', 'commitments'] : ['stations'];
  fill('upload-kind', kinds.map((k) => el('option', { value: k }, k)));
  const operatorField = document.getElementById('upload-operator-field');
  operatorField.hidden = who.role !== 'department';
  fill('upload-operator', operators.map((o) => el('option', { value: o.code }, `${o.code} — ${o.name}`)));
  fill('upload-who', who.role === 'operator'
    ? `Uploading as operator ${who.scope}: the file may hold ${who.scope}'s cells only.`
    : 'Uploading as the department.');
  const form = document.getElementById('upload-form');
  form.onsubmit = async (event) => {
    event.preventDefault();
    const file = document.getElementById('upload-file').files[0];
    const result = document.getElementById('upload-result');
    if (!file) {
      fill(result, el('p', { class: 'error' }, 'Choose a file first.'));
      return;
    }
    const kind = document.getElementById('upload-kind').value;
    const params = { kind, mode: document.getElementById('upload-mode').value };
    if (who.role === 'department' && kind === 'stations') params.operator = document.getElementById('upload-operator').value;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    fill(result, el('p', {}, `Uploading ${file.name} (${file.size.toLocaleString('en')} bytes)…`));
    try {
      const { status, json } = await api.upload(file, params);
      showAccepted(result, file, status, json);
      onUploaded();
    } catch (error) {
      showRefused(result, file, error);
    } finally {
      button.disabled = false;
    }
  };
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function showAccepted(result, file, status, report) {
  const u = report.upload;
  fill(result,
    el('p', { class: 'ok', id: 'upload-outcome', dataset: { outcome: 'accepted', status } },
      report.no_op
        ? `${file.name}: accepted, nothing changed (same content as upload ${report.same_file_as ?? 'before'}).`
        : `${file.name}: accepted as upload ${u.id} — ${report.added} added, ${report.changed} changed, ` +
          `${report.ended} ended, ${report.unchanged} unchanged; ${plural(u.rows_accepted, 'row')} accepted, ${u.rows_warned} with warnings.`),
    report.warnings.length ? el('h3', {}, `${report.warnings.length} warning(s) — the file was still accepted`) : null,
    report.warnings.length ? problemTable(report.warnings) : null);
}

function showRefused(result, file, error) {
  if (!(error instanceof ApiError)) {
    fill(result, el('p', { class: 'error', id: 'upload-outcome', dataset: { outcome: 'failed' } }, `${file.name}: ${error.message}`));
    return;
  }
  const problems = error.body?.problems || [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  fill(result,
    el('p', { class: 'error', id: 'upload-outcome', dataset: { outcome: 'refused', status: error.status } },
      `${file.name}: refused (HTTP ${error.status}) — ${error.message}.` +
      (problems.length ? ` ${errors} error(s), ${problems.length - errors} warning(s): fix the rows below and upload again.` : '')),
    problems.length ? problemTable(problems) : null);
}
