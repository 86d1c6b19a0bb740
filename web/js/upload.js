// upload.js: the upload form an operator (or the department) sees. The file is POSTed as the
// request body; the answer is shown row by row — the store's own problem list (file, row,
// field, code, message), errors refusing the file whole, warnings not.
import { api, ApiError } from './api.js';
import { el, fill, table } from './dom.js';
import { count, problemMessage, t } from './i18n.js';

// The code, file, row and field are the same in both languages; severity and message are said in it.
const problemTable = (problems) => table([
  { title: t('web.col.severity'), value: (p) => t(p.severity === 'error' ? 'problem.error' : 'problem.warning') },
  { title: t('web.col.file'), value: (p) => p.file },
  { title: t('web.col.row'), value: (p) => p.row ?? (p.fid != null ? t('problem.fid', { fid: p.fid }) : null), num: true },
  { title: t('web.col.field'), value: (p) => p.field },
  { title: t('web.col.code'), value: (p) => el('code', {}, p.code) },
  { title: t('web.col.message'), value: problemMessage },
], problems, { limit: 1000 });

export function setupUpload(who, operators, onUploaded) {
  const section = document.getElementById('upload');
  // What each role may send (docs/service.md): a tester (a contracted drive-test company) sends
  // measurements only; the operators' and the department's own forms offer them too.
  const kindsByRole = {
    department: ['stations', 'villages', 'commitments', 'measurements'],
    operator: ['stations', 'measurements'],
    tester: ['measurements'],
  };
  const kinds = kindsByRole[who.role];
  section.hidden = !kinds;
  if (!kinds) return;
  const chosen = document.getElementById('upload-kind').value;
  fill('upload-kind', kinds.map((k) => el('option', { value: k, selected: k === chosen }, t(`web.upload.kind.${k}`))));
  const operatorField = document.getElementById('upload-operator-field');
  operatorField.hidden = who.role === 'operator';
  // Stations name their operator; measurements may not: then each row's operator (or mcc_mnc)
  // column says whose it is, so that choice is offered for them only.
  const fillOperators = () => {
    const operator = document.getElementById('upload-operator').value;
    const fromFile = document.getElementById('upload-kind').value === 'measurements'
      ? [el('option', { value: '', selected: operator === '' }, t('web.upload.operator_from_file'))] : [];
    fill('upload-operator', [...fromFile,
      ...operators.map((o) => el('option', { value: o.code, selected: o.code === operator }, `${o.code} — ${o.name}`))]);
  };
  fillOperators();
  document.getElementById('upload-kind').onchange = fillOperators;
  fill('upload-who', who.role === 'operator'
    ? t('web.upload.as_operator', { operator: who.scope })
    : t(who.role === 'tester' ? 'web.upload.as_tester' : 'web.upload.as_department'));
  const form = document.getElementById('upload-form');
  form.onsubmit = async (event) => {
    event.preventDefault();
    const file = document.getElementById('upload-file').files[0];
    const result = document.getElementById('upload-result');
    if (!file) {
      fill(result, el('p', { class: 'error' }, t('web.upload.choose')));
      return;
    }
    const kind = document.getElementById('upload-kind').value;
    const params = { kind, mode: document.getElementById('upload-mode').value };
    const chosenOperator = document.getElementById('upload-operator').value;
    if (who.role !== 'operator' && (kind === 'stations' || kind === 'measurements') && chosenOperator) {
      params.operator = chosenOperator;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    fill(result, el('p', {}, t('web.upload.sending', { file: file.name, bytes: count(file.size) })));
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

function showAccepted(result, file, status, report) {
  const u = report.upload;
  fill(result,
    el('p', { class: 'ok', id: 'upload-outcome', dataset: { outcome: 'accepted', status } },
      report.no_op
        ? t('web.upload.same', { file: file.name, upload: report.same_file_as ?? t('web.upload.before') })
        : t('web.upload.accepted', { file: file.name, upload: u.id, added: report.added, changed: report.changed,
          ended: report.ended, unchanged: report.unchanged, warned: u.rows_warned,
          rows: t(u.rows_accepted === 1 ? 'web.rows.one' : 'web.rows.other', { count: u.rows_accepted }) })),
    report.warnings.length ? el('h3', {}, t('web.upload.warnings', { count: report.warnings.length })) : null,
    report.warnings.length ? problemTable(report.warnings) : null);
}

function showRefused(result, file, error) {
  if (!(error instanceof ApiError)) {
    fill(result, el('p', { class: 'error', id: 'upload-outcome', dataset: { outcome: 'failed' } }, t('web.upload.failed', { file: file.name, message: error.message })));
    return;
  }
  const problems = error.body?.problems || [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  fill(result,
    el('p', { class: 'error', id: 'upload-outcome', dataset: { outcome: 'refused', status: error.status } },
      t('web.upload.refused', { file: file.name, status: error.status, message: error.message }) +
      (problems.length ? t('web.upload.fix', { errors, warnings: problems.length - errors }) : '')),
    problems.length ? problemTable(problems) : null);
}
