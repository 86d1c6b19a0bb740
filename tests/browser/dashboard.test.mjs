#!/usr/bin/env node
// Browser test of the dashboard: a real `deadzone serve` on a store built from the sample, a
// real Chromium (Debian's, driven by playwright-core; never a downloaded browser) and real
// clicks. Exit 0 passed, 1 failed, 77 skipped (a prerequisite missing; CTest's SKIP_RETURN_CODE).
//
//   node tests/browser/dashboard.test.mjs --deadzone build/deadzone --source . \
//        --screenshots build/browser-screenshots
//
// Expected figures are the sample's, worked out from the campaign and checked against
// `deadzone report` (tests/cli): 270 of 628 villages covered on 2022-06-30, 537 on 2022-07-30;
// province Bắc Kạn has 30 villages; village V02-011 (Xóm Mào Chồ) is overdue for VNP by 30
// days on 2022-07-30.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const SKIP = 77;
const { values: args } = parseArgs({
  options: {
    deadzone: { type: 'string' },
    source: { type: 'string' },
    screenshots: { type: 'string' },
    chromium: { type: 'string', default: process.env.DEADZONE_CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.deadzone || !args.source || !args.screenshots) {
  console.error('usage: dashboard.test.mjs --deadzone BIN --source DIR --screenshots DIR [--chromium PATH]');
  process.exit(2);
}
const source = path.resolve(args.source);
const shots = path.resolve(args.screenshots);

function skip(why) {
  const line = `SKIPPED browser.dashboard: ${why}`;
  console.log(line);
  console.error(line);
  process.exit(SKIP);
}

// --- prerequisites -----------------------------------------------------------------------
if (!fs.existsSync(args.chromium)) skip(`no Chromium at ${args.chromium} (apt-get install chromium)`);
const modules = path.join(source, 'tools/node/node_modules');
const playwrightEntry = path.join(modules, 'playwright-core/index.mjs');
if (!fs.existsSync(playwrightEntry)) skip(`no ${playwrightEntry} (run tools/setup.sh: npm ci in tools/node)`);
const vendor = path.join(source, 'web/vendor/leaflet');
const leafletDist = path.join(modules, 'leaflet/dist');
if (!fs.existsSync(path.join(vendor, 'leaflet-src.esm.js'))) {
  // The same copy tools/setup.sh makes, so that a fresh `npm ci` is enough.
  if (!fs.existsSync(leafletDist)) skip(`no ${leafletDist} (run tools/setup.sh)`);
  fs.cpSync(leafletDist, vendor, { recursive: true });
}
const { chromium } = await import(pathToFileURL(playwrightEntry).href);

// --- checks ------------------------------------------------------------------------------
const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'deadzone-browser-'));
const store = path.join(temp, 'store.gpkg');
const deadzone = (...argv) => execFileSync(args.deadzone, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function buildStore() {
  const g = (f) => path.join(source, 'geodata', f);
  deadzone('-q', 'init', store, '--campaign', g('campaign_flat.json'));
  deadzone('-q', 'import', store, '--stations', g('stations/viettel.csv'), '--operator', 'VTL');
  deadzone('-q', 'import', store, '--stations', g('stations/vinaphone.geojson'), '--operator', 'VNP');
  deadzone('-q', 'import', store, '--stations', g('stations/mobifone.gpkg'), '--operator', 'MBF');
  deadzone('-q', 'import', store, '--stations', g('stations/mobifone_opencellid.csv'), '--operator', 'MBF', '--mode', 'upsert');
  const token = (...who) => JSON.parse(deadzone('-q', 'token', 'add', store, ...who, '--json')).token;
  return {
    department: token('--role', 'department'),
    mbf: token('--operator', 'MBF'),
    province: token('--province', 'Bắc Kạn'),
    tester: token('--role', 'tester'),
  };
}

/** Starts `deadzone serve` on a free port; resolves with its base URL once /healthz answers. */
async function startServer(state) {
  const server = spawn(args.deadzone, ['serve', store, '--listen', '127.0.0.1:0', '--web-root', path.join(source, 'web')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  state.server = server;
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${log}`)), 20000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /Serving .* on https?:\/\/[^:]+:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}):\n${log}`)); });
  });
  server.stderr.on('data', (chunk) => { state.log += chunk; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; ++i) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return base;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('/healthz never answered');
}

async function stopServer(server) {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A new tab that records console errors and uncaught exceptions. */
async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(`uncaught: ${e.message}`));
  return page;
}

async function signIn(page, base, token) {
  await page.goto(`${base}/`);
  await page.fill('#token-input', token);
  await page.click('#login-form button[type=submit]');
  await settled(page);
}

/** Waits until the headline and the map's layers are loaded for the same, current date. */
async function settled(page, asOf) {
  await page.waitForFunction((want) => {
    const map = document.getElementById('map');
    const headline = document.getElementById('headline');
    return document.body.dataset.loading === 'false' && map.dataset.loading === 'false' &&
      headline.dataset.asOf && map.dataset.loadedAsOf === headline.dataset.asOf && (!want || want === headline.dataset.asOf);
  }, asOf, { timeout: 90000 });
}

const text = (page, selector) => page.locator(selector).first().textContent();
const count = (page) => page.locator('#village-count').getAttribute('data-count').then(Number);

async function slideTo(page, asOf) {
  // The slider counts days from the campaign's start (2022-04-01): what a drag would set.
  const days = Math.round((Date.parse(asOf) - Date.parse('2022-04-01')) / 86400000);
  const slider = page.locator('#as-of-slider');
  await slider.focus();
  await slider.evaluate((node, value) => {
    node.value = String(value);
    node.dispatchEvent(new Event('input', { bubbles: true }));
    node.dispatchEvent(new Event('change', { bubbles: true }));
  }, days);
  await settled(page, asOf);
}

/**
 * The EN/VI switch on the department's page (the village panel open): the page relabels itself
 * from /locale/vi.json, figures and dates take their Vietnamese form, the choice survives a reload.
 */
async function languageSwitch(page) {
  await page.click('#lang-vi');
  await page.waitForFunction(() => document.documentElement.lang === 'vi' && document.getElementById('headline').textContent.startsWith('Tính') &&
    document.querySelector('#village-panel h3')?.textContent.startsWith('Các'));
  const july = await text(page, '#headline');
  check(july === 'Tính đến 30/7/2022: 537/628 thôn đã được phủ sóng (85,5 %) — mốc 100 %: không đạt',
    `VI: the headline in Vietnamese with 537/628 and a decimal comma: "${july}"`);
  check((await page.getAttribute('#lang-vi', 'aria-pressed')) === 'true', 'VI: the VI button is pressed');
  const labels = {
    '#sec-operators summary': 'Các nhà mạng',
    '#sec-provinces summary': 'Các tỉnh',
    '#operators-table th': 'nhà mạng',
    '#legend strong': 'Trạng thái thôn',
    '#slider-help': 'Kéo rồi thả để đánh giá chiến dịch vào một ngày khác.',
    '#sign-out': 'Đăng xuất',
    '#as-of-label': '30/7/2022',
    '#upload h2': 'Tải tệp lên',
    '#upload-form button[type=submit]': 'Tải lên',
    '#village-panel h3': 'Các cam kết tính đến 30/7/2022',
    '#who': 'Đã đăng nhập: sở',
  };
  for (const [selector, want] of Object.entries(labels)) {
    const got = (await text(page, selector))?.trim();
    check(got === want, `VI: ${selector} reads "${want}" (got "${got}")`);
  }
  check(/^Việc cần làm cấp tỉnh \(những gì sở có thể tháo gỡ\) \(\d+\)$/.test(await text(page, '#sec-todo summary')),
    'VI: the to-do section title is Vietnamese with its row count');
  check(await page.locator('.leaflet-control-layers label', { hasText: 'Vùng lõm sóng' }).count() === 1,
    'VI: the layer switcher says "Vùng lõm sóng"');
  check(/^\d+ thôn trên bản đồ \(trong tổng số 628 thôn của chiến dịch\)$/.test(await text(page, '#village-count')),
    `VI: the village counter in Vietnamese ("${await text(page, '#village-count')}")`);
  await slideTo(page, '2022-06-30');
  const june = await text(page, '#headline');
  check(june === 'Tính đến 30/6/2022: 270/628 thôn đã được phủ sóng (43,0 %) — mốc 40 %: đạt',
    `VI: the slider at 30/6/2022 gives 270/628 (43,0 %): "${june}"`);
  const done = await page.locator('#operators-table tbody tr td').nth(6).textContent();
  check(/^\d+,\d %$/.test(done), `VI: shares have a decimal comma in the tables ("${done}")`);
  const badge = await page.locator('#operators-table .badge').first().textContent();
  check(badge === '30/6/2022: 40 % — đạt' || badge === '30/6/2022: 40 % — không đạt', `VI: milestone badges day first ("${badge}")`);
  await page.screenshot({ path: path.join(shots, '04b-dashboard-vi.png'), fullPage: true });
  await page.reload();
  await settled(page);
  check((await page.evaluate(() => document.documentElement.lang)) === 'vi' && (await text(page, '#headline')).startsWith('Tính đến'),
    'VI: the choice is remembered after a reload (localStorage)');
  await page.click('#lang-en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.getElementById('headline').textContent.startsWith('As of'));
  check((await text(page, '#sec-operators summary')) === 'Operators' && /^As of /.test(await text(page, '#headline')),
    'EN: switching back relabels the page in English');
}

async function department(context, base, tokens) {
  const page = await newPage(context);
  await page.goto(`${base}/`);
  check(await page.locator('#login').isVisible(), 'a visitor without a token sees the sign-in prompt');
  check(/needs an access token/.test(await text(page, '#login-message')), 'the prompt says a token is needed');
  check(!(await page.locator('#dashboard').isVisible()), 'and no dashboard');
  await page.screenshot({ path: path.join(shots, '01-sign-in.png') });

  await signIn(page, base, tokens.department);
  const first = await text(page, '#headline');
  check(/^As of 30 July 2022: 537 of 628 villages covered/.test(first), `the first view is the last milestone: "${first}"`);
  check((await count(page)) === 628, `the map shows the sample's 628 villages (counted ${await count(page)})`);
  check((await page.locator('svg.burnup').count()) === 4, 'four burn-up charts: all operators, VTL, VNP, MBF');
  check((await page.locator('#operators-table tbody tr').count()) === 3, 'the operators table has 3 rows');
  check((await page.locator('#provinces-table tbody tr').count()) === 20, 'the provinces table has 20 rows');
  check(await page.locator('#upload').isVisible(), 'the department sees the upload form');
  await page.screenshot({ path: path.join(shots, '02-department-2022-07-30.png'), fullPage: false });

  await slideTo(page, '2022-06-30');
  const june = await text(page, '#headline');
  check(/^As of 30 June 2022: 270 of 628 villages covered \(43\.0 %\) — 40 % milestone met/.test(june),
    `the slider at 2022-06-30 changes the headline: "${june}"`);
  check((await count(page)) === 628, 'still 628 villages on the map on 2022-06-30');
  check((await page.locator('#overdue-table tbody tr').count()) === 0, 'nothing overdue on 2022-06-30');
  await page.screenshot({ path: path.join(shots, '03-department-2022-06-30.png') });
  await slideTo(page, '2022-07-30');
  check(/537 of 628/.test(await text(page, '#headline')), 'back to 537 of 628 on 2022-07-30');

  // Zoom onto the village and click it with the mouse, where the map draws it.
  await page.evaluate(() => { window.dashboard.map.setView(window.dashboard.villageLatLng('V02-011'), 13, { animate: false }); });
  await settled(page, '2022-07-30');
  const point = await page.evaluate(() => window.dashboard.villagePoint('V02-011'));
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + point.x, box.y + point.y);
  await page.locator('#village-panel[data-village="V02-011"]').waitFor({ state: 'visible', timeout: 10000 });
  check((await text(page, '#village-name')) === 'Xóm Mào Chồ', 'clicking the village opens its panel (Xóm Mào Chồ)');
  const panel = await text(page, '#village-panel');
  check(/VNP/.test(panel) && /overdue/.test(panel) && /30/.test(panel), 'the panel shows VNP overdue by 30 days');
  check(/Hà Giang/.test(panel), 'the panel names the province, Hà Giang');
  await page.locator('.leaflet-control-layers label', { hasText: 'Stations' }).locator('input').check();
  await page.locator('.leaflet-control-layers label', { hasText: 'Coverage gaps' }).locator('input').check();
  await settled(page, '2022-07-30');
  await page.screenshot({ path: path.join(shots, '04-village-panel.png') });
  await languageSwitch(page);
  check(page.errors.length === 0, `no console errors for the department (${page.errors.join(' | ') || 'none'})`);
  await page.close();
}

async function operatorUpload(context, base, tokens) {
  const page = await newPage(context);
  await signIn(page, base, tokens.mbf);
  check(/operator MBF/.test(await text(page, '#who')), 'the MBF token is shown as operator MBF');
  check(await page.locator('#upload').isVisible(), 'the operator sees the upload form');
  const data = (f) => path.join(source, 'tests/browser/data', f);

  await page.setInputFiles('#upload-file', data('mbf_bad_rows.csv'));
  await page.selectOption('#upload-mode', 'upsert');
  await page.click('#upload-form button[type=submit]');
  const outcome = page.locator('#upload-outcome');
  await outcome.waitFor({ timeout: 30000 });
  check((await outcome.getAttribute('data-outcome')) === 'refused' && (await outcome.getAttribute('data-status')) === '422',
    `the faulty file is refused with 422 (${await outcome.getAttribute('data-status')})`);
  const rows = await page.locator('#upload-result tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const errors = rows.filter((r) => r[0] === 'error').map((r) => `${r[1]}:${r[2]}:${r[3]}:${r[4]}`);
  check(JSON.stringify(errors) === JSON.stringify([
    'mbf_bad_rows.csv:3:lat:lat_out_of_range', 'mbf_bad_rows.csv:4:on_air_date:bad_date', 'mbf_bad_rows.csv:5:tech:unknown_tech']),
  `the report lists each bad row with file, row, field and code (${errors.join(', ')})`);
  await page.evaluate(() => document.getElementById('upload').scrollIntoView());
  await page.screenshot({ path: path.join(shots, '05-upload-refused.png') });

  await page.setInputFiles('#upload-file', data('mbf_new_site.csv'));
  await page.click('#upload-form button[type=submit]');
  await page.locator('#upload-outcome[data-outcome="accepted"]').waitFor({ timeout: 30000 });
  const accepted = await text(page, '#upload-outcome');
  check((await outcome.getAttribute('data-status')) === '201' && /1 added, 0 changed, 0 ended/.test(accepted),
    `the good file is accepted: "${accepted}"`);
  await settled(page);
  await page.evaluate(() => document.getElementById('upload').scrollIntoView());
  await page.screenshot({ path: path.join(shots, '06-upload-accepted.png') });
  // The one expected error: Chromium logs the refused upload's 422 as a failed resource.
  const unexpected = page.errors.filter((e) => !/status of 422/.test(e));
  check(unexpected.length === 0, `no other console errors for the operator (${unexpected.join(' | ') || 'none'})`);
  await page.close();
}

async function province(context, base, tokens) {
  const page = await newPage(context);
  await signIn(page, base, tokens.province);
  check(/province Bắc Kạn/.test(await text(page, '#who')), 'the province token is shown as province Bắc Kạn');
  check(/ of 30 villages covered/.test(await text(page, '#headline')), `the headline counts Bắc Kạn's 30 villages: "${await text(page, '#headline')}"`);
  check((await count(page)) === 30, `the map shows Bắc Kạn's 30 villages only (counted ${await count(page)})`);
  const provinces = await page.locator('#provinces-table tbody tr td:first-child').allTextContents();
  check(JSON.stringify(provinces) === '["Bắc Kạn"]', `the provinces table holds Bắc Kạn only (${provinces.join(', ')})`);
  check(!(await page.locator('#upload').isVisible()), 'a province token sees no upload form');
  await page.screenshot({ path: path.join(shots, '07-province-bac-kan.png') });
  check(page.errors.length === 0, `no console errors for the province (${page.errors.join(' | ') || 'none'})`);
  const other = await fetch(`${base}/api/villages/V02-011?as_of=2022-07-30`, { headers: { Authorization: `Bearer ${tokens.province}` } });
  check(other.status === 403, `the province token cannot read a Hà Giang village (HTTP ${other.status})`);
  await page.close();
}

// A contracted drive-test company: reads everything, uploads measurements only (any operator's).
async function tester(context, base, tokens) {
  const page = await newPage(context);
  await signIn(page, base, tokens.tester);
  check(/tester/.test(await text(page, '#who')), `the tester token is shown as a tester: "${await text(page, '#who')}"`);
  check(await page.locator('#upload').isVisible(), 'the tester sees the upload form');
  const kinds = await page.locator('#upload-kind option').evaluateAll((os) => os.map((o) => o.value));
  check(JSON.stringify(kinds) === '["measurements"]', `a tester may send measurements only (offered: ${kinds.join(', ')})`);
  const operators = await page.locator('#upload-operator option').evaluateAll((os) => os.map((o) => o.value));
  check(operators[0] === '' && operators.includes('VTL'), `the tester names an operator or lets the file say (${operators.join(', ')})`);
  // The first 40 samples of the sample's drive test, whoever's they are: the file's operator column decides.
  const lines = fs.readFileSync(path.join(source, 'geodata/measurements/drive_test_2022.csv'), 'utf8').split('\n');
  const file = path.join(temp, 'drive_40.csv');
  fs.writeFileSync(file, lines.slice(0, 41).join('\n') + '\n');
  await page.setInputFiles('#upload-file', file);
  await page.click('#upload-form button[type=submit]');
  await page.locator('#upload-outcome').waitFor({ timeout: 30000 });
  const outcome = await page.locator('#upload-outcome').getAttribute('data-outcome');
  check(outcome === 'accepted', `the tester's measurements are accepted: "${await text(page, '#upload-outcome')}"`);
  const stations = await fetch(`${base}/api/uploads?kind=stations&operator=VTL`, { method: 'POST',
    headers: { Authorization: `Bearer ${tokens.tester}`, 'Content-Type': 'text/csv' }, body: 'site_id\n' });
  check(stations.status === 403, `a tester cannot upload stations (HTTP ${stations.status})`);
  check(page.errors.length === 0, `no console errors for the tester (${page.errors.join(' | ') || 'none'})`);
  await page.close();
}

async function badToken(context, base) {
  const page = await newPage(context);
  await page.goto(`${base}/`);
  await page.fill('#token-input', 'not-a-token');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login').waitFor({ state: 'visible', timeout: 10000 });
  check(/refused/.test(await text(page, '#login-message')), 'a wrong token brings the prompt back, saying it was refused');
  await page.close();
}

// --- run ---------------------------------------------------------------------------------
const state = { server: null, log: '' };
let browser = null;
let profile = null;
try {
  fs.mkdirSync(shots, { recursive: true });
  const tokens = buildStore();
  const base = await startServer(state);
  console.log(`server at ${base}`);
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'deadzone-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: args.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  await department(browser, base, tokens);
  await operatorUpload(browser, base, tokens);
  await province(browser, base, tokens);
  await tester(browser, base, tokens);
  await badToken(browser, base);
  check(state.server.exitCode === null && (await fetch(`${base}/healthz`)).ok, 'the server is still up');
  for (const language of ['en', 'vi']) {
    const served = await fetch(`${base}/locale/${language}.json`);
    const file = fs.readFileSync(path.join(source, 'share/locale', `${language}.json`), 'utf8');
    check(served.ok && (await served.text()) === file, `/locale/${language}.json is share/locale/${language}.json, byte for byte, without a token`);
  }
} catch (error) {
  failures.push(String(error.message || error));
  console.error(error.stderr ? `${error.message}\n${error.stderr}` : (error.stack || String(error)));
  if (state.log) console.error(`--- server log (tail) ---\n${state.log.split('\n').slice(-30).join('\n')}`);
} finally {
  await browser?.close().catch(() => {});
  await stopServer(state.server);
  fs.rmSync(temp, { recursive: true, force: true });
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
}
console.log(failures.length ? `${failures.length} check(s) failed` : `all checks passed; screenshots in ${shots}`);
process.exit(failures.length ? 1 : 0);
