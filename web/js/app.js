// app.js: the dashboard's start-up and state — token, role, the as-of date — and the one
// function that reloads everything for a date. Views live in map.js, charts.js, tables.js,
// upload.js; every request goes through api.js.
import { api, ApiError, token } from './api.js';
import { burnups } from './charts.js';
import { fill } from './dom.js';
import { day, headline, lang, relabel, savedLanguage, t, useLanguage } from './i18n.js';
import { DashboardMap } from './map.js';
import { renderTables, renderVillage } from './tables.js';
import { setupUpload } from './upload.js';

const DAY_MS = 86400000;
const MARGIN_DAYS = 30; // the slider runs this far past the last milestone, to see late arrivals
const RANGE_KEY = 'deadzone.range';
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
const today = () => new Date().toISOString().slice(0, 10);

const state = { who: null, asOf: null, range: null, progress: null, controller: null, village: null, map: null };

function setStatus(message, kind = 'error') {
  const node = fill('status', message || '');
  node.className = message ? kind : '';
}

function showLogin(message) {
  document.getElementById('dashboard').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('sign-out').hidden = true;
  fill('who', '');
  state.loginMessage = message || null;
  fill('login-message', message ? message() : t('web.login_prompt'));
  document.getElementById('token-input').focus();
}

function onError(error) {
  if (error instanceof ApiError && error.status === 401) {
    token.clear();
    showLogin(() => t('web.token_refused', { reason: error.message }));
    return;
  }
  setStatus(error.message || String(error));
}

/** Slider bounds from the campaign: its start to the last milestone plus a margin. */
function campaignRange(progress) {
  const milestones = progress.campaign.milestones.map((m) => m.date).sort();
  const start = progress.campaign.start_date || progress.timeline?.start || progress.as_of;
  const last = milestones.length ? milestones[milestones.length - 1] : progress.as_of;
  return { start, last, end: addDays(last, MARGIN_DAYS) };
}

function setupSlider(range) {
  const slider = document.getElementById('as-of-slider');
  const picker = document.getElementById('as-of-date');
  slider.min = '0';
  slider.max = String(daysBetween(range.start, range.end));
  picker.min = range.start;
  picker.max = range.end;
  fill('slider-start', day(range.start));
  fill('slider-end', day(range.end));
  slider.oninput = () => fill('as-of-label', day(addDays(range.start, Number(slider.value))));
  slider.onchange = () => load(addDays(range.start, Number(slider.value)));
  picker.onchange = () => picker.value && load(picker.value);
}

function showDate(asOf) {
  const r = state.range;
  if (!r) return;
  document.getElementById('as-of-slider').value = String(Math.max(0, Math.min(daysBetween(r.start, asOf), daysBetween(r.start, r.end))));
  document.getElementById('as-of-date').value = asOf;
  fill('as-of-label', day(asOf));
}

async function load(asOf) {
  state.asOf = asOf;
  showDate(asOf);
  history.replaceState(null, '', `#as_of=${asOf}`);
  state.controller?.abort();
  const controller = (state.controller = new AbortController());
  document.body.dataset.loading = 'true';
  try {
    const progress = await api.progress(asOf, controller.signal);
    if (controller !== state.controller) return;
    state.progress = progress;
    setStatus('');
    render(progress);
    state.map.setDate(asOf);
    if (state.village) openVillage(state.village);
  } catch (error) {
    if (error.name !== 'AbortError') onError(error);
  } finally {
    if (controller === state.controller) document.body.dataset.loading = 'false';
  }
}

function render(progress) {
  fill('headline', headline(progress)).dataset.asOf = progress.as_of;
  const f = progress.forecast?.overall;
  // The notes rebuilt from the figures, as progress.json words them in English.
  const note = f && (f.done ? t('forecast.done') : f.completion ? day(f.completion) : t('forecast.no_progress'));
  const operatorsNote = f && (f.operators_completion ? day(f.operators_completion)
    : f.without_expected_date > 0 ? t('late.completion.unknown', { count: f.without_expected_date }) : t('forecast.done'));
  fill('forecast', f ? t('web.forecast', { note }) + (f.operators_note ? t('web.forecast.operators', { note: operatorsNote }) : '') : '');
  state.map.setCampaign(progress.campaign.operators, progress.villages.committed);
  fill('charts', burnups(progress, state.range.end));
  renderTables(progress, openVillage);
}

async function openVillage(id) {
  state.village = id;
  try {
    const doc = await api.village(id, state.asOf);
    renderVillage(doc, closeVillage);
  } catch (error) {
    onError(error);
  }
}

function closeVillage() {
  state.village = null;
  document.getElementById('village-panel').hidden = true;
}

function showWho(who) {
  const text = who.role === 'operator' || who.role === 'province' ? t(`web.who.${who.role}`, { scope: who.scope })
    : t(`web.who.${who.role}`);
  fill('who', t('web.who', { who: text }));
  document.getElementById('sign-out').hidden = false;
  document.body.dataset.role = who.role;
  if (who.role === 'province') state.map.scope = who.scope;
}

/** The EN/VI switch: everything on the page is said again in the chosen language. */
async function switchLanguage(language) {
  try {
    await useLanguage(language);
  } catch (error) {
    setStatus(error.message);
    return;
  }
  for (const button of document.querySelectorAll('.lang-switch button')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang()));
  }
  relabel();
  if (!document.getElementById('login').hidden) fill('login-message', state.loginMessage ? state.loginMessage() : t('web.login_prompt'));
  if (state.who) showWho(state.who);
  if (state.range) {
    fill('slider-start', day(state.range.start));
    fill('slider-end', day(state.range.end));
  }
  if (state.asOf) fill('as-of-label', day(state.asOf));
  if (state.upload) state.upload();
  state.map?.relabel();
  if (state.progress) render(state.progress);
  if (state.village) openVillage(state.village);
}

async function start() {
  document.getElementById('login').hidden = true;
  document.getElementById('dashboard').hidden = false;
  try {
    state.who = await api.whoami();
  } catch (error) {
    onError(error);
    return;
  }
  state.map ??= new DashboardMap('map', { onVillageClick: openVillage, onStatus: onError });
  state.map.addOutline('data/vietnam-outline.geojson');
  showWho(state.who);
  const wanted = /as_of=(\d{4}-\d{2}-\d{2})/.exec(location.hash)?.[1];
  let range = null;
  try {
    range = JSON.parse(localStorage.getItem(RANGE_KEY) || 'null');
  } catch {
    range = null;
  }
  // The campaign's dates come with the first progress document; a remembered range saves
  // computing one at a date nobody asked for.
  let asOf = wanted || (range ? (today() < range.last ? today() : range.last) : today());
  try {
    const first = await api.progress(asOf);
    state.range = campaignRange(first);
    localStorage.setItem(RANGE_KEY, JSON.stringify(state.range));
    setupSlider(state.range);
    state.upload = () => setupUpload(state.who, first.campaign.operators, () => load(state.asOf));
    state.upload();
    if (state.who.role === 'province') state.map.fitPending = true;
    if (!wanted && asOf > state.range.last) asOf = state.range.last;
    await load(asOf);
  } catch (error) {
    onError(error);
  }
}

document.getElementById('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = document.getElementById('token-input').value.trim();
  if (!value) return;
  token.set(value);
  document.getElementById('token-input').value = '';
  start();
});
document.getElementById('sign-out').addEventListener('click', () => {
  token.clear();
  location.hash = '';
  location.reload();
});

for (const button of document.querySelectorAll('.lang-switch button')) {
  button.addEventListener('click', () => switchLanguage(button.dataset.lang));
}
// The catalogue comes first: every word on the page is one of its messages.
await switchLanguage(savedLanguage());
if (token.get()) start();
else showLogin();

// A small, read-only handle for people debugging in the console and for the browser test
// (which still clicks with the mouse: this only says where a village is on screen).
window.dashboard = {
  get map() { return state.map?.map; },
  villagePoint: (id) => state.map?.villagePoint(id),
  villageLatLng: (id) => state.map?.villageCentres.get(id),
  get asOf() { return state.asOf; },
};
